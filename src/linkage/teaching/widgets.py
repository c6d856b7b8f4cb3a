"""Interactive figures that degrade (交互图形): sliders in JupyterLab, a still figure elsewhere.

:func:`interactive_figure` takes a drawing function of the kit (``draw(**values) ->
matplotlib Figure``) and the controls of its arguments. In JupyterLab the participant moves a
slider and the figure is drawn again (ipywidgets ``interactive_output``); where no one can
move a slider — papermill, nbconvert, a handout, the tests — the figure is drawn once with the
defaults and a short note says so, instead of an empty widget or an error.

Which form (:func:`widgets_mode`): the environment variable ``LINKAGE_WIDGETS`` (``static`` or
``live``) decides when set — the kit's executors set ``static``; otherwise the form is live
only inside an IPython kernel started by a Jupyter server (the server sets
``JPY_SESSION_NAME`` for its kernels; papermill and nbconvert do not) with ipywidgets
importable. Anything else is static.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from linkage.errors import InputError

__all__ = [
    "STATIC_NOTE",
    "Control",
    "Dropdown",
    "FloatSlider",
    "IntSlider",
    "InteractiveFigure",
    "figure_image",
    "interactive_figure",
    "widgets_mode",
]

#: The note under a static interactive figure.
STATIC_NOTE = "静态版本：在 JupyterLab 中运行本笔记本可拖动滑块"

Mode = Literal["live", "static"]


def _check_range(label: str, lo: float, hi: float, step: float, default: float) -> None:
    if not lo < hi:
        raise InputError(f"滑块“{label}”的最小值应小于最大值（{lo} ≥ {hi}）/ min must be < max")
    if step <= 0:
        raise InputError(f"滑块“{label}”的步长应为正数（现为 {step}）/ step must be > 0")
    if not lo <= default <= hi:
        raise InputError(f"滑块“{label}”的默认值 {default} 不在 [{lo}, {hi}] 内 / default "
                         "outside the range")


@dataclass(frozen=True)
class IntSlider:
    """An integer slider: ``IntSlider("剥夺临界值 k", min=1, max=6, default=2)``."""

    label: str
    min: int
    max: int
    default: int
    step: int = 1

    def __post_init__(self) -> None:
        _check_range(self.label, self.min, self.max, self.step, self.default)

    def widget(self) -> Any:
        import ipywidgets as w

        return w.IntSlider(value=self.default, min=self.min, max=self.max, step=self.step,
                           description=self.label, continuous_update=False,
                           style={"description_width": "initial"})


@dataclass(frozen=True)
class FloatSlider:
    """A decimal slider: ``FloatSlider("权重", min=0, max=1, step=0.05, default=0.5)``."""

    label: str
    min: float
    max: float
    step: float
    default: float

    def __post_init__(self) -> None:
        _check_range(self.label, self.min, self.max, self.step, self.default)

    def widget(self) -> Any:
        import ipywidgets as w

        return w.FloatSlider(value=self.default, min=self.min, max=self.max, step=self.step,
                             description=self.label, continuous_update=False,
                             style={"description_width": "initial"})


@dataclass(frozen=True)
class Dropdown:
    """A choice: ``Dropdown("赋权方法", options={"熵值法": "entropy", "等权重": "equal"},
    default="entropy")`` — a mapping shows its keys and passes its values; a sequence shows
    and passes its items."""

    label: str
    options: Mapping[str, Any] | Sequence[Any]
    default: Any
    choices: tuple[tuple[str, Any], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        pairs = (tuple((str(k), v) for k, v in self.options.items())
                 if isinstance(self.options, Mapping)
                 else tuple((str(v), v) for v in self.options))
        if not pairs:
            raise InputError(f"下拉框“{self.label}”没有选项 / no options")
        if self.default not in [v for _, v in pairs]:
            raise InputError(f"下拉框“{self.label}”的默认值 {self.default!r} 不在选项中 / "
                             "default is not an option")
        object.__setattr__(self, "choices", pairs)

    def widget(self) -> Any:
        import ipywidgets as w

        return w.Dropdown(options=list(self.choices), value=self.default,
                          description=self.label, style={"description_width": "initial"})


#: A control of :func:`interactive_figure`.
Control = IntSlider | FloatSlider | Dropdown


def widgets_mode() -> Mode:
    """``"live"`` or ``"static"`` by the rule of the module docstring."""
    chosen = os.environ.get("LINKAGE_WIDGETS", "").strip().lower()
    if chosen == "static":
        return "static"
    try:
        import ipywidgets  # noqa: F401
        from IPython import get_ipython
    except ImportError:
        return "static"
    if chosen == "live":
        return "live"
    shell = get_ipython()
    in_kernel = shell is not None and getattr(shell, "kernel", None) is not None
    return "live" if in_kernel and os.environ.get("JPY_SESSION_NAME") else "static"


@dataclass(frozen=True)
class InteractiveFigure:
    """What :func:`interactive_figure` returns; displays itself (last line of a cell).

    Attributes
    ----------
    mode : {"live", "static"}
    figure : matplotlib Figure or None
        The default figure (static form).
    widget : ipywidgets widget or None
        The controls and the figure (live form).
    note : str
        Text shown under the figure.
    """

    mode: Mode
    figure: Any
    widget: Any
    note: str

    def _ipython_display_(self) -> None:
        from IPython.display import Markdown, display

        display(self.widget if self.mode == "live" else figure_image(self.figure))
        if self.note:
            display(Markdown(self.note))


def figure_image(figure: Any) -> Any:
    """The figure as an ``IPython.display.Image`` (PNG, cropped as the inline backend does).

    Displaying a ``Figure`` itself shows only its text form when the inline backend has not
    been loaded yet (a figure made with ``matplotlib.figure.Figure``, no pyplot call before).
    """
    from IPython.core.pylabtools import print_figure
    from IPython.display import Image

    return Image(data=print_figure(figure, "png", bbox_inches="tight"))


def _checked(draw: Callable[..., Any], controls: Mapping[str, Control]) -> None:
    if not callable(draw):
        raise InputError("draw 应是一个画图函数 / draw must be callable")
    if not controls:
        raise InputError("controls 不能为空：至少给一个滑块或下拉框 / give at least one control")
    for name, control in controls.items():
        if not isinstance(control, IntSlider | FloatSlider | Dropdown):
            raise InputError(f"控件 {name} 应为 IntSlider、FloatSlider 或 Dropdown / unknown "
                             f"control type {type(control).__name__}")


def interactive_figure(draw: Callable[..., Any], *, controls: Mapping[str, Control],
                       note: str = "") -> InteractiveFigure:
    """A figure whose arguments the participant can change with sliders (交互图形).

    Parameters
    ----------
    draw : callable
        ``draw(**values) -> matplotlib.figure.Figure``, a function of the kit; called with one
        keyword per control.
    controls : mapping of str to IntSlider, FloatSlider or Dropdown
        Argument name → control (labels in Chinese), in display order.
    note : str, optional
        A sentence (Markdown) shown under the figure in both forms; the static form puts
        :data:`STATIC_NOTE` before it.

    Returns
    -------
    InteractiveFigure
        Displays itself: in JupyterLab the controls above a figure redrawn on every change
        (:func:`widgets_mode` ``"live"``), elsewhere the default figure and the note.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> def draw(k):
    ...     fig, ax = plt.subplots()
    ...     ax.bar(["k"], [k])
    ...     return fig
    >>> shown = interactive_figure(draw, controls={"k": IntSlider("k", min=1, max=5, default=2)})
    >>> shown.mode, shown.note[:4]
    ('static', '静态版本')
    """
    import matplotlib.pyplot as plt

    _checked(draw, controls)
    if widgets_mode() == "static":
        figure = draw(**{name: c.default for name, c in controls.items()})
        plt.close(figure)  # shown once by the display, not again by the inline backend
        text = f"*{STATIC_NOTE}*" + (f"　{note}" if note else "")
        return InteractiveFigure("static", figure, None, text)

    import ipywidgets as w
    from IPython.display import display

    inputs = {name: c.widget() for name, c in controls.items()}

    def redraw(**values: Any) -> None:
        figure = draw(**values)
        display(figure_image(figure))
        plt.close(figure)

    output = w.interactive_output(redraw, inputs)
    box = w.VBox([w.VBox(list(inputs.values())), output])
    return InteractiveFigure("live", None, box, note)
