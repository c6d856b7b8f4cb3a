"""Interactive figures: live controls that redraw, and the static form without a front end."""

from __future__ import annotations

from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import pytest

from linkage.errors import InputError
from linkage.teaching.widgets import (
    STATIC_NOTE,
    Dropdown,
    FloatSlider,
    IntSlider,
    interactive_figure,
    widgets_mode,
)

matplotlib.use("Agg")


class Recorder:
    """A draw function that remembers its calls."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **values: Any) -> Any:
        self.calls.append(values)
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, values.get("k", 1)])
        return fig


CONTROLS = {"k": IntSlider("剥夺临界值 k", min=1, max=6, default=2),
            "w": FloatSlider("权重", min=0.0, max=1.0, step=0.1, default=0.5),
            "method": Dropdown("赋权方法", options={"熵值法": "entropy", "等权重": "equal"},
                               default="entropy")}


def test_static_form_draws_the_defaults_once_with_a_note(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINKAGE_WIDGETS", "static")
    draw = Recorder()
    shown = interactive_figure(draw, controls=CONTROLS, note="看排名如何变化。")
    assert shown.mode == "static" and shown.widget is None
    assert draw.calls == [{"k": 2, "w": 0.5, "method": "entropy"}]
    assert shown.figure is not None and not plt.fignum_exists(shown.figure.number)  # closed
    assert STATIC_NOTE in shown.note and shown.note.endswith("看排名如何变化。")


def test_live_form_redraws_when_a_control_moves(monkeypatch: pytest.MonkeyPatch) -> None:
    import ipywidgets as w

    monkeypatch.setenv("LINKAGE_WIDGETS", "live")
    draw = Recorder()
    shown = interactive_figure(draw, controls=CONTROLS)
    assert shown.mode == "live" and shown.figure is None
    controls, output = shown.widget.children
    assert isinstance(output, w.Output)
    k, weight, method = controls.children
    assert (k.description, k.min, k.max, k.value) == ("剥夺临界值 k", 1, 6, 2)
    assert (weight.step, weight.value) == (0.1, 0.5)
    assert method.label == "熵值法" and method.value == "entropy"  # shown label, passed value
    assert draw.calls[-1] == {"k": 2, "w": 0.5, "method": "entropy"}  # drawn at once
    k.value = 4
    assert draw.calls[-1] == {"k": 4, "w": 0.5, "method": "entropy"}
    method.value = "equal"
    assert draw.calls[-1] == {"k": 4, "w": 0.5, "method": "equal"}
    assert plt.get_fignums() == []  # every drawn figure is closed after it is shown


def test_mode_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINKAGE_WIDGETS", raising=False)
    monkeypatch.setenv("JPY_SESSION_NAME", "/x/01.ipynb")
    assert widgets_mode() == "static"  # a server's variable, but no kernel here (pytest)
    monkeypatch.setenv("LINKAGE_WIDGETS", "STATIC")
    assert widgets_mode() == "static"
    monkeypatch.setenv("LINKAGE_WIDGETS", "live")
    assert widgets_mode() == "live"


def test_mode_is_live_in_a_server_kernel_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython

    class Shell:
        kernel = object()

    monkeypatch.delenv("LINKAGE_WIDGETS", raising=False)
    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell())
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert widgets_mode() == "static"  # papermill / nbconvert: a kernel, no server
    monkeypatch.setenv("JPY_SESSION_NAME", "/x/01.ipynb")
    assert widgets_mode() == "live"  # JupyterLab
    monkeypatch.setenv("LINKAGE_WIDGETS", "static")
    assert widgets_mode() == "static"  # the kit's executors win


@pytest.mark.parametrize("make", [
    lambda: IntSlider("k", min=3, max=3, default=3),
    lambda: IntSlider("k", min=1, max=5, default=9),
    lambda: FloatSlider("w", min=0, max=1, step=0, default=0.5),
    lambda: Dropdown("m", options=[], default=None),
    lambda: Dropdown("m", options=["a", "b"], default="c"),
])
def test_bad_controls_are_input_errors(make: Any) -> None:
    with pytest.raises(InputError):
        make()


def test_bad_arguments_are_input_errors() -> None:
    with pytest.raises(InputError, match="controls"):
        interactive_figure(Recorder(), controls={})
    with pytest.raises(InputError, match="IntSlider"):
        interactive_figure(Recorder(), controls={"k": 3})  # type: ignore[dict-item]


def test_static_display_is_a_png_even_without_pyplot(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kit figure made with matplotlib.figure.Figure (no pyplot) still shows as an image."""
    import IPython.display
    from matplotlib.figure import Figure

    def draw(k: int) -> Figure:
        fig = Figure(figsize=(2, 2))
        fig.add_subplot().bar(["k"], [k])
        return fig

    shown_objects: list[Any] = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown_objects.append(obj))
    monkeypatch.setenv("LINKAGE_WIDGETS", "static")
    interactive_figure(draw, controls={"k": IntSlider("k", min=1, max=3, default=2)},
                       )._ipython_display_()
    image, note = shown_objects
    assert isinstance(image, IPython.display.Image) and image.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert STATIC_NOTE in note.data
