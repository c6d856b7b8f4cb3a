"""Teaching material (教学材料): the kit's kernel and JupyterLab, interactive figures that
degrade, handouts, slides and the classroom pack. Rules for the notebooks: ``docs/teaching.md``.
"""

from linkage.teaching.catalog import (
    TeachingNotebook,
    catalog_frame,
    find_notebook,
    list_notebooks,
    read_teaching_metadata,
    teaching_dir,
)
from linkage.teaching.kernel import (
    DISPLAY_NAME,
    KERNEL_NAME,
    ensure_kernel,
    execute_teaching,
    run_lab,
)
from linkage.teaching.widgets import (
    Dropdown,
    FloatSlider,
    IntSlider,
    interactive_figure,
    widgets_mode,
)

__all__ = [
    "DISPLAY_NAME",
    "KERNEL_NAME",
    "Dropdown",
    "FloatSlider",
    "IntSlider",
    "TeachingNotebook",
    "catalog_frame",
    "ensure_kernel",
    "execute_teaching",
    "find_notebook",
    "interactive_figure",
    "list_notebooks",
    "read_teaching_metadata",
    "run_lab",
    "teaching_dir",
    "widgets_mode",
]
