"""Reports (研究报告): execute parameterised notebooks with papermill and render them.

A report run executes one or more notebooks from ``notebooks/`` with the same parameters and
writes, into a fresh folder ``reports/<run-id>/``:

- ``<notebook>.ipynb`` — each executed notebook (outputs kept, for inspection in JupyterLab);
- ``report.html`` — one self-contained HTML document (figures embedded, code hidden,
  ``lang="zh-CN"``) joining the notebooks in order and ending with a provenance block;
- ``provenance.json`` — inputs' SHA-256, parameters, package versions, git revision.

The folder is assembled under a temporary name and renamed into place only when everything
succeeded, so a failed run never leaves a half-written report and never touches earlier runs.
When a notebook fails, the partly executed notebook is kept in ``reports/_failed/`` for
debugging (``reports/_failed/<run-id>/``) and :class:`~linkage.errors.ReportError` says which
cell failed.

Before anything runs or is written, :func:`check_report_inputs` checks what the report will
read: ``run_id`` is a plain name and the run folder is not inside ``data/raw/``; ``language`` is
``zh`` or ``en``; indicator parameters name indicators of the framework; ``start_year`` ≤
``end_year``; ``panel`` and ``households`` files are read and validated with the kit's readers
and schemas (:func:`linkage.ingest.validate_file`; the bundled sample is trusted) and
``counties`` is read with :func:`linkage.readers.read_table`. Bad input is one
:class:`~linkage.errors.InputError` (exit 2) and nothing is written.

Every notebook output is sanitised before the HTML is rendered: Markdown outputs have their raw
HTML escaped (a county named ``<img src=x onerror=…>`` is shown as text), are rendered and then,
like HTML outputs, pass an allowlist sanitiser (:func:`linkage.escaping.sanitise_html`: no
script, no event handlers, no ``javascript:`` links); JavaScript outputs are dropped. The
report therefore shows data as text whatever the notebooks display. Text, Markdown and HTML
outputs also pass :func:`linkage.privacy.redact` (runs of 11 or more digits — phone, ID and bank
card numbers — are masked), so an identifier displayed by mistake does not reach the report.
"""

from __future__ import annotations

import ast
import html
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256
from pathlib import Path
from typing import Any

import nbformat

from linkage.atomic import atomic_dir, atomic_path, check_output_target
from linkage.errors import InputError, ReportError
from linkage.paths import check_plain_name, is_within, notebooks_dir, reports_dir, sample_dir
from linkage.provenance import provenance_record

__all__ = [
    "DEFAULT_NOTEBOOKS",
    "LANGUAGES",
    "ReportResult",
    "check_report_inputs",
    "coerce_parameters",
    "list_notebooks",
    "resolve_notebook",
    "run_report",
]

#: Report languages (the argument vocabulary's ``language``).
LANGUAGES = ("zh", "en")

#: Parameters holding framework indicator ids (checked before a report runs).
INDICATOR_PARAMETERS = ("key_indicators",)

#: Notebooks of the flagship (demo) report, in reading order.
DEFAULT_NOTEBOOKS: tuple[str, ...] = (
    "01_data_overview", "02_linkage", "03_consolidation", "04_extension", "05_policy_effects",
)


@dataclass(frozen=True)
class ReportResult:
    """Where a report run wrote its outputs."""

    run_id: str
    run_dir: Path
    html: Path
    notebooks: tuple[Path, ...]
    provenance: Path

    def summary(self) -> str:
        return f"报告已生成 / report written: {self.html}"


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
        for name, info in _inspect(path).items():
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


def _check_inputs(parameters: Mapping[str, Any], fw: Any) -> None:
    from linkage.ingest import validate_file
    from linkage.readers import read_table

    for key, kind in (("panel", "county"), ("households", "household")):
        value = parameters.get(key)
        if not value:
            continue
        path = _check_file(key, value)
        if _in_sample(path):
            continue  # the bundled sample is the kit's own, tested data
        report = validate_file(path, kind=kind, framework=fw if kind == "county" else None,
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


def _run_id(names: Sequence[str], parameters: Mapping[str, Any]) -> str:
    digest = sha256(json.dumps(dict(parameters), sort_keys=True, default=str).encode())
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    slug = "+".join(names) if len(names) <= 2 else f"{names[0]}+{len(names) - 1}"
    return f"{stamp}-{slug}-{digest.hexdigest()[:8]}"


def _input_files(parameters: Mapping[str, Any]) -> dict[str, Path]:
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


#: Names of the kit's input errors, as papermill reports an exception raised inside a notebook.
_INPUT_ERRORS = frozenset(
    cls.__name__ for cls in (InputError, *InputError.__subclasses__())
)


def _execute(
    notebook: Path, output: Path, parameters: Mapping[str, Any], *, cwd: Path, failed_dir: Path
) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(
            str(notebook), str(output), parameters=dict(parameters), cwd=str(cwd),
            kernel_name="python3", progress_bar=False, log_output=False,
            report_mode=False, request_save_on_cell_execute=False,
            # keep the kernel's start-up chatter (transport warnings) off the user's console
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
    except PapermillExecutionError as exc:
        failed_dir.mkdir(parents=True, exist_ok=True)
        failed = failed_dir / output.name
        if output.exists():
            os.replace(output, failed)
        error = ReportError(
            f"笔记本 {notebook.name} 第 {exc.exec_count} 个单元格出错 / cell "
            f"{exc.exec_count} of {notebook.name} failed: {exc.ename}: {exc.evalue} "
            f"— 已保存出错的笔记本 / failed notebook kept at {failed}"
        )
        if exc.ename in _INPUT_ERRORS:  # bad data or parameters: the user's input, exit 2
            error.exit_code = InputError.exit_code
        raise error from exc


def _inspect(notebook: Path) -> dict[str, Any]:
    """papermill's view of a notebook's parameters; a notebook without a kernelspec (saved by
    a script) is inspected as a Python 3 notebook, as it will be executed."""
    import tempfile

    import papermill

    nb = nbformat.read(notebook, as_version=4)
    if nb.metadata.get("kernelspec", {}).get("name"):
        return papermill.inspect_notebook(str(notebook))
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / notebook.name
        nbformat.write(nb, copy)
        return papermill.inspect_notebook(str(copy))


def _declared(notebook: Path, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters this notebook declares (a report's notebooks share one parameter set)."""
    names = _inspect(notebook)
    return {k: v for k, v in parameters.items() if k in names}


def _cell(value: object) -> str:
    """A value as the text of a Markdown table cell (HTML-escaped, pipes kept in the cell)."""
    return html.escape(str(value)).replace("|", "&#124;")


_JAVASCRIPT = ("application/javascript", "text/javascript",
               "application/vnd.jupyter.widget-view+json")
#: A ``<`` that Markdown would read as raw HTML: preceded by an even number of backslashes.
#: One already escaped for Markdown (``\<``, :func:`linkage.escaping.markdown_text`) renders
#: as a literal ``<`` and is left alone, so an escaped county name is not escaped twice.
_RAW_ANGLE = re.compile(r"(?<!\\)((?:\\\\)*)<")


def sanitise_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Make every output of an executed notebook inert (see the module docstring)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from linkage.escaping import sanitise_html
    from linkage.privacy import redact

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                output["text"] = redact("".join(output.get("text", "")))
            data = output.get("data")
            if not data:
                continue
            for mime in [m for m in data if m in ("text/plain", "text/markdown", "text/html")]:
                data[mime] = redact("".join(data[mime]))
            for mime in [m for m in data if m in _JAVASCRIPT or m == "image/svg+xml"]:
                if mime != "image/svg+xml" or re.search(
                        r"<script|\son\w+\s*=|javascript:", str(data[mime]), re.IGNORECASE):
                    del data[mime]
            if "text/markdown" in data:
                source = "".join(data.pop("text/markdown"))
                html_text = markdown2html_mistune(_RAW_ANGLE.sub(r"\1&lt;", source))
                data.setdefault("text/html", html_text)
            if "text/html" in data:
                data["text/html"] = sanitise_html("".join(data["text/html"]))
    return nb


def _provenance_cell(record: Mapping[str, Any]) -> nbformat.NotebookNode:
    rows = [
        ("生成时间 / created (UTC)", record["created_utc"]),
        ("linkage 版本 / version", record["linkage_version"]),
        ("代码版本 / git revision", record["git_revision"]),
        ("Python", record["python"]),
        ("参数 / parameters", json.dumps(record["parameters"], ensure_ascii=False)),
    ]
    table = "\n".join(f"| {k} | {_cell(v)} |" for k, v in rows)
    inputs = "\n".join(
        f"| {_cell(label)} | `{(meta['sha256'] or '')[:16]}…` | {meta['bytes']} |"
        for label, meta in record["inputs"].items()
    )
    packages = ", ".join(f"{k} {v}" for k, v in record["packages"].items())
    text = (
        "## 运行记录 / Provenance\n\n"
        "同样的输入与参数得到同样的结果。完整记录见同目录 `provenance.json`。\n\n"
        f"| 项目 / item | 值 / value |\n|---|---|\n{table}\n\n"
        f"**输入文件 / inputs** (SHA-256)\n\n| 文件 / file | SHA-256 | 字节 / bytes |\n"
        f"|---|---|---|\n{inputs or '| (无 / none) | | |'}\n\n"
        f"**软件版本 / packages**: {packages}\n"
    )
    return nbformat.v4.new_markdown_cell(text)


def _render_html(notebooks: Sequence[Path], record: Mapping[str, Any], title: str) -> str:
    from nbconvert import HTMLExporter

    combined = nbformat.v4.new_notebook()
    combined.metadata = nbformat.read(notebooks[0], as_version=4).metadata
    for path in notebooks:
        combined.cells.extend(sanitise_outputs(nbformat.read(path, as_version=4)).cells)
    combined.cells.append(_provenance_cell(record))
    combined.metadata["title"] = title
    exporter = HTMLExporter(
        template_name="lab", exclude_input=True, exclude_input_prompt=True,
        exclude_output_prompt=True, embed_images=True,
    )
    body, _ = exporter.from_notebook_node(combined)
    return re.sub(r"<html(\s[^>]*)?>", '<html lang="zh-CN">', body, count=1)


def run_report(
    notebooks: Sequence[str | os.PathLike[str]] = DEFAULT_NOTEBOOKS,
    *,
    parameters: Mapping[str, Any] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    run_id: str | None = None,
    title: str = "巩固拓展脱贫攻坚成果同乡村振兴有效衔接 研究报告",
) -> ReportResult:
    """Execute report notebooks and render them into ``reports/<run-id>/``.

    Parameters
    ----------
    notebooks : sequence of str or path
        Notebook names (stems in ``notebooks/``, unique prefixes) or paths, in report order.
    parameters : mapping, optional
        Papermill parameters (literal values only); each notebook receives those its
        ``parameters`` cell declares. String values that name existing files or folders are
        hashed into the provenance record.
    out_dir : path, optional
        Parent folder of the run folder (default ``reports/``).
    run_id : str, optional
        Name of the run folder (default: time stamp, notebook names and a parameter hash).
    title : str
        Title of the HTML document.

    Returns
    -------
    ReportResult
        Paths of the run folder, the HTML report, executed notebooks and provenance file.

    Raises
    ------
    InputError
        Bad parameters or input files (:func:`check_report_inputs`); ``run_id`` not a plain
        name, or the run folder inside ``data/raw/`` (OutputError). Nothing is written.
    ReportError
        If a notebook fails (the partly executed notebook is kept in
        ``<out_dir>/_failed/<run-id>/``).
    """
    parameters = dict(parameters or {})
    paths = [resolve_notebook(n) for n in notebooks]
    names = [p.stem for p in paths]
    if run_id is not None:
        check_plain_name(run_id, option="--run-id / run_id")
    run_id = run_id or _run_id(names, parameters)
    parent = Path(out_dir) if out_dir is not None else reports_dir()
    target = check_output_target(parent / run_id, folder=True)
    if target.exists():
        raise ReportError(f"报告目录已存在 / report folder exists: {target}")
    check_report_inputs(parameters)
    inputs = {f"notebook/{p.name}": p for p in paths} | _input_files(parameters)
    record = provenance_record(inputs, parameters, run_id=run_id, notebooks=names)
    with atomic_dir(target) as tmp:
        executed = []
        for path in paths:
            output = tmp / path.name
            _execute(path, output, _declared(path, parameters), cwd=path.parent,
                     failed_dir=parent / "_failed" / run_id)
            executed.append(output)
        with atomic_path(tmp / "provenance.json") as p:
            p.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        with atomic_path(tmp / "report.html") as p:
            p.write_text(_render_html(executed, record, title), encoding="utf-8")
    return ReportResult(
        run_id=run_id,
        run_dir=target,
        html=target / "report.html",
        notebooks=tuple(target / p.name for p in paths),
        provenance=target / "provenance.json",
    )
