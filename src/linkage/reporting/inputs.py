"""Report inputs (报告输入): notebooks, their parameters, and the checks made before a run.

- :func:`list_notebooks`, :func:`resolve_notebook`: the report notebooks in ``notebooks/`` by
  name, unique prefix or path; :func:`section_notebook`: the notebook of a report section
  (``notebooks/NN_*.ipynb``, numbered by :data:`~linkage.reporting.config.SECTION_NOTEBOOKS`);
- :func:`declared_parameters`: papermill's view of a notebook's ``parameters`` cell;
  :func:`coerce_parameters` converts ``-p KEY VALUE`` text to the declared types;
- :func:`check_report_inputs`: before anything runs or is written, checks what a report will
  read: ``language`` is ``zh`` or ``en``; indicator parameters name indicators of the
  framework; ``start_year`` ≤ ``end_year``; ``region_code`` has 6 digits; ``panel`` and
  ``households`` files are read and validated with the kit's readers and schemas
  (:func:`linkage.ingest.validate_file`; the bundled sample is trusted) and ``counties`` is read
  with :func:`linkage.readers.read_table` and must hold ``region_code``; the policy-synergy
  inputs (``policy_corpus`` folder, ``coding_sheet``, coding ``scheme``, ``pmc_documents``) are
  read and validated as the chapter reads them
  (:func:`linkage.sections.policy_synergy.read_policy_inputs`). Bad input is one
  :class:`~linkage.errors.InputError` (exit 2) and nothing is written;
- :func:`absolute_inputs`: path-valued section options made absolute (notebooks run in their
  own folder);
- :func:`input_files`: the files a run reads (for the provenance record).
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat

from linkage.errors import InputError
from linkage.paths import is_within, notebooks_dir, sample_dir

__all__ = [
    "CHECKED_OPTIONS",
    "DEFAULT_NOTEBOOKS",
    "LANGUAGES",
    "POLICY_PARAMETERS",
    "absolute_inputs",
    "check_report_inputs",
    "coerce_parameters",
    "declared_parameters",
    "input_files",
    "list_notebooks",
    "resolve_notebook",
    "section_notebook",
]

#: Report languages (the argument vocabulary's ``language``).
LANGUAGES = ("zh", "en")

#: Parameters holding framework indicator ids (checked before a report runs).
INDICATOR_PARAMETERS = ("key_indicators",)

#: Parameters of the policy-synergy chapter naming a file or a folder: the user's policy
#: corpus folder, a filled coding sheet, a coding scheme YAML.
POLICY_PARAMETERS = ("policy_corpus", "coding_sheet", "scheme")

#: Section options checked with the common parameters before a run (``linkage run``).
CHECKED_OPTIONS = (*INDICATOR_PARAMETERS, *POLICY_PARAMETERS, "pmc_documents", "pmc_bands")

#: Notebooks of the flagship (demo) report, in reading order.
DEFAULT_NOTEBOOKS: tuple[str, ...] = (
    "01_data_overview", "07_national", "02_linkage", "03_consolidation", "04_extension",
    "05_policy_effects", "06_policy_synergy",
)


def list_notebooks(directory: str | os.PathLike[str] | None = None) -> list[str]:
    """Names (file stems) of the report notebooks available in ``notebooks/``."""
    folder = Path(directory) if directory is not None else notebooks_dir()
    return sorted(p.stem for p in folder.glob("*.ipynb"))


def resolve_notebook(name: str | os.PathLike[str]) -> Path:
    """A notebook path from a name (``01_data_overview``), a unique prefix (``01``) or a path."""
    path = Path(name)
    if path.suffix == ".ipynb" and path.is_file():
        try:
            nbformat.read(path, as_version=4)
        except Exception as exc:  # nbformat raises several types for a damaged file
            raise InputError(f"无法读取笔记本：{type(exc).__name__} / cannot read the notebook",
                             file=path, hint="检查该文件是否为有效的 .ipynb") from exc
        return path.resolve()
    available = list_notebooks()
    matches = [n for n in available if n == str(name)] or [
        n for n in available if n.startswith(str(name))
    ]
    if len(matches) != 1:
        raise InputError(
            f"找不到唯一的报告笔记本 “{name}” / no unique notebook named {str(name)!r}",
            file=notebooks_dir(),
            hint=f"可用 / available: {', '.join(available) or '(none)'}",
        )
    return notebooks_dir() / f"{matches[0]}.ipynb"


def coerce_parameters(
    notebooks: Sequence[str | os.PathLike[str]], raw: Mapping[str, str]
) -> dict[str, Any]:
    """Turn command-line parameter strings into the types the notebooks declare (参数类型转换).

    Each notebook's ``parameters`` cell declares ``name: type = default``; a value given as
    text (``-p start_year 2018``) is converted to that type, so a region code stays the string
    ``"011000"`` while a year becomes an int. Lists are written as Python literals
    (``-p key_indicators "['rural_income_pc']"``) or comma-separated (``rural_income_pc,x``).

    Raises
    ------
    InputError
        For a parameter no notebook declares (with the list of known ones), or a value that
        does not convert.
    """
    declared: dict[str, str] = {}
    for path in (resolve_notebook(n) for n in notebooks):
        for name, info in declared_parameters(path).items():
            declared.setdefault(name, info["inferred_type_name"])
    out: dict[str, Any] = {}
    for name, text in raw.items():
        if name not in declared:
            raise InputError(
                f"报告没有参数 “{name}” / unknown report parameter {name!r}",
                hint=f"可用参数 / parameters: {', '.join(declared)}",
            )
        kind = declared[name]
        try:
            if kind == "int":
                out[name] = int(text)
            elif kind == "float":
                out[name] = float(text)
            elif kind == "bool":
                if text.lower() not in {"true", "false", "1", "0", "是", "否"}:
                    raise ValueError(text)
                out[name] = text.lower() in {"true", "1", "是"}
            elif kind == "list":
                out[name] = (ast.literal_eval(text) if text.lstrip().startswith("[")
                             else [part.strip() for part in text.split(",") if part.strip()])
            else:
                out[name] = text
        except (ValueError, SyntaxError) as exc:
            raise InputError(
                f"参数 {name} 的值 {text!r} 不是 {kind} / value is not of type {kind}",
                hint="例如 / e.g. -p start_year 2018 -p region_code 011000",
            ) from exc
    return out


def _in_sample(path: Path) -> bool:
    return is_within(path, [sample_dir()])


def _check_file(key: str, value: str) -> Path:
    path = Path(value)
    if not path.is_file():
        raise InputError(f"参数 {key} 指向的文件不存在 / file not found", file=path,
                         hint=f"检查 -p {key} 的路径")
    return path


def _first_problem(report: Any) -> InputError:
    from linkage.ingest import _validation_error

    return _validation_error(report.problems)


def check_report_inputs(parameters: Mapping[str, Any]) -> None:
    """Check a report's parameters and input files before anything runs (报告输入预检).

    See the module docstring for the rules.

    Raises
    ------
    InputError
        The first problem found, naming the parameter or the file, row and column.
    """
    from linkage.frameworks import load_framework

    language = parameters.get("language", "zh")
    if language not in LANGUAGES:
        raise InputError(f"参数 language 只能是 zh 或 en，现为 {language!r} / unknown language",
                         hint="-p language zh（中文）或 -p language en（English）")
    start, end = parameters.get("start_year"), parameters.get("end_year")
    if isinstance(start, int) and isinstance(end, int) and start > end:
        raise InputError(f"起始年 {start} 晚于截止年 {end} / start year after end year",
                         hint="检查 -p start_year 与 -p end_year")
    code = parameters.get("region_code")
    if code and not re.fullmatch(r"\d{6}", str(code)):
        raise InputError(f"region_code 应为 6 位数字，现为 {code!r} / region code must be 6 digits",
                         hint="例如 -p region_code 990102")
    framework = parameters.get("framework") or None
    fw = load_framework(_check_file("framework", framework) if framework else None)
    known = set(fw.indicator_ids)
    for key in INDICATOR_PARAMETERS:
        value = parameters.get(key)
        wanted = [value] if isinstance(value, str) else list(value or ())
        unknown = [str(v) for v in wanted if str(v) not in known]
        if unknown:
            raise InputError(
                f"参数 {key} 中的指标 {'、'.join(unknown)} 不在指标体系 {fw.id} 中 / unknown "
                "indicator", hint=f"可用指标编号：{'、'.join(fw.indicator_ids[:8])} …"
                                  "（linkage framework --list 列出全部）")
    _check_inputs(parameters, fw)
    _check_policy(parameters)


def _check_policy(parameters: Mapping[str, Any]) -> None:
    """The policy-synergy inputs, read and validated as the chapter reads them."""
    given = {k: str(parameters.get(k) or "")
             for k in (*POLICY_PARAMETERS, "pmc_documents", "pmc_bands")}
    if not any(given.values()):
        return  # the bundled sample corpus: the kit's own, tested data
    for key in POLICY_PARAMETERS:
        path = Path(given[key]) if given[key] else None
        if path is not None and not (path.is_dir() if key == "policy_corpus" else
                                     path.is_file()):
            raise InputError(f"参数 {key} 指向的{'文件夹' if key == 'policy_corpus' else '文件'}"
                             "不存在 / not found", file=path, hint=f"检查 {key} 的路径")
    from linkage.sections.policy_synergy import read_policy_inputs

    read_policy_inputs(**given, framework=str(parameters.get("framework") or ""))


def absolute_inputs(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """``parameters`` with the path-valued section options (:data:`POLICY_PARAMETERS`) made
    absolute, relative to the folder the kit runs in: notebooks run in their own folder."""
    return {k: (str(Path(v).absolute()) if k in POLICY_PARAMETERS and isinstance(v, str) and v
                else v) for k, v in parameters.items()}


def _check_inputs(parameters: Mapping[str, Any], fw: Any) -> None:
    from linkage.ingest import validate_file
    from linkage.readers import read_table

    for key, kind in (("panel", "panel"), ("households", "household")):
        value = parameters.get(key)
        if not value:
            continue
        path = _check_file(key, value)
        if _in_sample(path):
            continue  # the bundled sample is the kit's own, tested data
        report = validate_file(path, kind=kind, framework=None if kind == "household" else fw,
                               allow_extra=True)
        if not report.ok:
            raise _first_problem(report)
    value = parameters.get("counties")
    if value:
        path = _check_file("counties", value)
        if not _in_sample(path):
            table = read_table(path)
            if "region_code" not in table.columns:
                raise InputError("县属性表缺少 region_code 列 / county table lacks region_code",
                                 file=path, column="region_code",
                                 hint="县属性表每县一行，须有 region_code（6 位区划代码）列")


def input_files(parameters: Mapping[str, Any]) -> dict[str, Path]:
    """Files a report reads: path-valued parameters (files, or every file in a folder)."""
    files: dict[str, Path] = {}
    for key, value in parameters.items():
        if not isinstance(value, str) or not value:
            continue
        path = Path(value)
        if path.is_file():
            files[key] = path
        elif path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                files[f"{key}/{child.relative_to(path).as_posix()}"] = child
    return files


def declared_parameters(notebook: str | os.PathLike[str]) -> dict[str, Any]:
    """papermill's view of a notebook's ``parameters`` cell: name → {inferred_type_name, …}.

    Read once per notebook version (cached on path, size and modification time). A notebook
    without a kernelspec (saved by a script) is inspected as a Python 3 notebook, as it will
    be executed.
    """
    path = Path(notebook).resolve()
    stat = path.stat()
    return dict(_inspect(str(path), stat.st_size, stat.st_mtime_ns))


@lru_cache(maxsize=64)
def _inspect(path: str, size: int, mtime_ns: int) -> dict[str, Any]:
    import tempfile

    import papermill

    nb = nbformat.read(path, as_version=4)
    if nb.metadata.get("kernelspec", {}).get("name"):
        return papermill.inspect_notebook(path)
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / Path(path).name
        nbformat.write(nb, copy)
        return papermill.inspect_notebook(str(copy))


def section_notebook(key: str, folder: str | os.PathLike[str] | None = None) -> Path:
    """The notebook of report section ``key``: ``NN_*.ipynb`` with ``NN`` its number in
    :data:`~linkage.reporting.config.SECTION_NOTEBOOKS`.

    Raises
    ------
    InputError
        Unknown key, or not exactly one such notebook in ``folder`` (default ``notebooks/``).
    """
    from linkage.reporting.config import SECTION_KEYS, SECTION_NOTEBOOKS

    if key not in SECTION_KEYS:
        raise InputError(f"未知的报告章节 “{key}” / unknown report section",
                         hint=f"可选 / choose from: {', '.join(SECTION_KEYS)}")
    folder = Path(folder) if folder is not None else notebooks_dir()
    number = SECTION_NOTEBOOKS[key]
    found = sorted(folder.glob(f"{number:02d}_*.ipynb"))
    if len(found) != 1:
        raise InputError(f"章节 {key} 应有且只有一个笔记本 {number:02d}_*.ipynb，找到 "
                         f"{len(found)} 个 / expected one notebook", file=folder)
    return found[0]
