"""One region report (地区报告): execute the section notebooks, assemble, render.

:func:`run_region` is the task every executor runs, once per region of a batch: it executes
the configured section notebooks (``notebooks/0N_*.ipynb`` ↔ the section keys) with the common
parameters (``panel, counties, households, framework, region_code, start_year, end_year,
language, cache_dir, section_out``) and the section's options, loads the :class:`Section` each
notebook saved, assembles a :class:`~linkage.reporting.document.Document` (cover from the run
config, region name from the data, 模拟数据 when simulated, the provenance record with file
names, not absolute paths) and renders it with ``linkage.reporting.html.render_html``,
``linkage.reporting.docx.write_docx`` and ``linkage.reporting.pdf.write_pdf``. The report is
built from the saved sections, never from notebook outputs.

A region folder holds::

    notebooks/NN_name.ipynb   the executed notebooks (partial, failing cell marked, on failure)
    sections/<key>.json       the sections the notebooks saved
    <stem>.html .docx .pdf    the report
    provenance.json           inputs (names and SHA-256), parameters, versions, git revision

Nothing a region does stops the others: every failure (a notebook that raises, a cell that
times out, bad data, a region code not in the data, a renderer error) becomes a failed
:class:`RegionResult` saying what and where; failures that are not the user's input are retried
``retries`` times (sections saved by an earlier attempt are reused).

:func:`run_report` is the single-region run behind ``linkage report`` and the notebook tests:
the notebooks given, into ``reports/<run-id>/`` written atomically (a failed run leaves no run
folder and keeps its partial notebooks in ``reports/_failed/<run-id>/``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from linkage.atomic import atomic_dir, atomic_path, check_output_target
from linkage.errors import InputError, LinkageError, ReportError
from linkage.reporting.config import SECTION_KEYS, SECTION_NOTEBOOKS, Region
from linkage.reporting.document import (
    Cover,
    Document,
    Figure,
    Heading,
    Metric,
    Paragraph,
    Section,
    Table,
)
from linkage.reporting.executors import NotebookFailed, NotebookRunner, PapermillRunner
from linkage.reporting.inputs import (
    DEFAULT_NOTEBOOKS,
    absolute_inputs,
    check_report_inputs,
    declared_parameters,
    input_files,
    resolve_notebook,
)

__all__ = [
    "COMMON_PARAMETERS",
    "RegionJob",
    "RegionResult",
    "ReportResult",
    "SectionSpec",
    "county_table",
    "find_region",
    "named_provenance",
    "run_region",
    "run_report",
]

#: Parameters every section notebook receives (when it declares them).
COMMON_PARAMETERS = ("panel", "counties", "households", "framework", "region_code",
                     "start_year", "end_year", "language", "cache_dir", "section_out")

#: Longest failure reason kept (one line, redacted).
MAX_REASON = 600

#: Tag of the cell marked where a notebook stopped (timeouts, dead kernels).
FAILED_CELL_TAG = "linkage-failed-cell"


@dataclass(frozen=True)
class SectionSpec:
    """A section of a region report: its key, its notebook and its options."""

    key: str
    notebook: str
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RegionJob:
    """Everything one region report needs (plain, picklable data)."""

    region: Region
    folder: str
    sections: tuple[SectionSpec, ...]
    panel: str = ""
    counties: str = ""
    households: str = ""
    framework: str = ""
    start_year: int = 2015
    end_year: int = 2025
    language: str = "zh"
    formats: tuple[str, ...] = ("html", "docx")
    title: str = ""
    organisation: str = ""
    author: str = ""
    cache_dir: str = ""
    timeout: float | None = None
    retries: int = 0
    stem: str = "report"
    parameters: Mapping[str, Any] = field(default_factory=dict)
    run_id: str = ""

    def notebook_parameters(self) -> dict[str, Any]:
        """The common parameters (plus ``parameters``) before ``section_out`` is set."""
        return {"panel": self.panel, "counties": self.counties, "households": self.households,
                "framework": self.framework, "region_code": self.region.code,
                "start_year": self.start_year, "end_year": self.end_year,
                "language": self.language, "cache_dir": self.cache_dir, **self.parameters}


@dataclass(frozen=True)
class RegionResult:
    """What became of one region report.

    ``outputs`` maps a format (``html``, ``docx``, ``pdf``, ``provenance``) to its path
    relative to the region folder; ``metrics`` maps a section key to its metrics; ``error``
    is one redacted line (empty when ``status == "ok"``); ``partial`` the failed notebook,
    relative to the region folder; ``kind`` is ``input`` (bad data or parameters), ``timeout``,
    ``notebook`` or ``error``.
    """

    code: str
    name: str
    level: str
    folder: str
    status: str
    outputs: Mapping[str, str] = field(default_factory=dict)
    metrics: Mapping[str, tuple[Metric, ...]] = field(default_factory=dict)
    seconds: float = 0.0
    error: str = ""
    kind: str = ""
    partial: str = ""
    attempts: int = 1
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "level": self.level,
                "folder": self.folder, "status": self.status, "outputs": dict(self.outputs),
                "metrics": {k: [{"key": m.key, "label": m.label, "value": m.value,
                                 "unit": m.unit} for m in v] for k, v in self.metrics.items()},
                "seconds": round(self.seconds, 3), "error": self.error, "kind": self.kind,
                "partial": self.partial, "attempts": self.attempts, "notes": list(self.notes)}

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> RegionResult:
        return cls(record["code"], record["name"], record["level"], record["folder"],
                   record["status"], dict(record["outputs"]),
                   {k: tuple(Metric(**m) for m in v) for k, v in record["metrics"].items()},
                   record["seconds"], record["error"], record["kind"], record["partial"],
                   record["attempts"], tuple(record["notes"]))


# ---------------------------------------------------------------------------- the task ----

def run_region(job: RegionJob, runner: NotebookRunner) -> RegionResult:
    """Produce one region report (a module-level task for the executors; never raises).

    Parameters
    ----------
    job : RegionJob
    runner : NotebookRunner
        Executes each section notebook (cold papermill, a warm kernel, a Dask worker's).

    Returns
    -------
    RegionResult
        ``status`` ``"ok"`` with the output paths and the sections' metrics, or ``"failed"``
        with the reason (the partial notebook kept, its failing cell marked).
    """
    started = time.perf_counter()
    # notebooks run in their own folder: every path they get must be absolute
    folder = Path(job.folder).absolute()
    job = replace(job, folder=str(folder),
                  cache_dir=str(Path(job.cache_dir).absolute()) if job.cache_dir else "")
    attempts = 0
    while True:
        attempts += 1
        try:
            sections, notes = _execute_sections(job, runner, folder)
            record = provenance(job, {s.key: s.title for s in sections})
            with atomic_path(folder / "provenance.json") as tmp:
                Path(tmp).write_text(json.dumps(record, ensure_ascii=False, indent=2),
                                     encoding="utf-8")
            outputs = {"provenance": "provenance.json"}
            more: list[str] = []
            if sections:
                outputs |= render_document(_document(job, sections, record), folder, job.stem,
                                           job.formats, more)
            return RegionResult(
                job.region.code, job.region.name, job.region.level, job.region.folder, "ok",
                outputs, {s.key: s.metrics for s in sections},
                time.perf_counter() - started, attempts=attempts, notes=(*notes, *more))
        except Exception as exc:  # every failure is this region's result, never the batch's
            kind, reason, partial = _failure(exc, folder)
            if kind == "input" or attempts > job.retries:
                return RegionResult(
                    job.region.code, job.region.name, job.region.level, job.region.folder,
                    "failed", seconds=time.perf_counter() - started, error=reason, kind=kind,
                    partial=partial, attempts=attempts)


def _execute_sections(job: RegionJob, runner: NotebookRunner, folder: Path,
                      ) -> tuple[list[Section], list[str]]:
    if not job.region.found:
        raise InputError(f"区划代码 {job.region.code} 不在数据中 / region code not in the data",
                         hint="检查 regions 中的代码，或县属性表（counties）是否包含该县")
    (folder / "notebooks").mkdir(parents=True, exist_ok=True)
    (folder / "sections").mkdir(parents=True, exist_ok=True)
    sections, notes = [], []
    common = job.notebook_parameters()
    for spec in job.sections:
        notebook = Path(spec.notebook)
        declared = declared_parameters(notebook)
        unknown = sorted(set(spec.options) - set(declared))
        if unknown:
            raise InputError(f"章节 {spec.key} 的笔记本没有选项 {'、'.join(unknown)} / unknown "
                             "section option", file=notebook.name,
                             hint=f"可用 / available: {', '.join(declared)}")
        saved = folder / "sections" / f"{spec.key}.json"
        if saved.exists():  # saved by an earlier attempt of this region
            sections.append(Section.load(saved))
            continue
        if "section_out" not in declared and spec.key in SECTION_KEYS:
            raise ReportError(f"章节笔记本 {notebook.name} 未声明参数 section_out，无法保存章节 / "
                              "a section notebook must declare section_out")
        parameters = {k: v for k, v in (common | {"section_out": str(saved)}).items()
                      if k in declared} | dict(spec.options)
        output = folder / "notebooks" / notebook.name
        try:
            runner.execute(notebook, output, parameters, timeout=job.timeout or None)
        except NotebookFailed:
            raise  # the runner kept the partial notebook, its failing cell marked
        except Exception as exc:  # a timeout, a dead kernel: keep and mark what there is
            exc.add_note(str(_keep_partial(notebook, output, f"{type(exc).__name__}: {exc}")))
            raise
        if "section_out" not in declared:
            notes.append(f"{notebook.name} 不保存章节（未声明 section_out），仅保留执行后的"
                         "笔记本 / executed only: the notebook saves no section")
            continue
        if not saved.exists():
            raise ReportError(f"{notebook.name} 执行完毕但没有保存章节 / the notebook saved no "
                              "section (it must end with section.save(section_out))")
        sections.append(Section.load(saved))
    return sections, notes


# ---------------------------------------------------------------------- the document ----

def _document(job: RegionJob, sections: Sequence[Section], record: Mapping[str, Any],
              ) -> Document:
    zh = job.language == "zh"
    period = (f"{job.start_year}—{job.end_year} 年" if zh
              else f"{job.start_year}–{job.end_year}")
    simulated = any(s.simulated for s in sections)
    cover = Cover(title=job.title or _default_title(job.language), region=job.region.name,
                  period=period, organisation=job.organisation, author=job.author,
                  simulated=simulated)
    return Document(cover, tuple(_redacted(s) for s in sections), job.language,  # type: ignore[arg-type]
                    record)


def _default_title(language: str) -> str:
    from linkage.reporting.config import DEFAULT_TITLE

    return DEFAULT_TITLE["zh" if language == "zh" else "en"]


def provenance(job: RegionJob, titles: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The provenance record of a region report: input files by name (not absolute path)
    with their SHA-256; the parameters (file names for files) with each section's options
    nested under its key; versions; git revision. The section programs are labelled by the
    sections' titles (``titles``), since a reader sees this record."""
    parameters: dict[str, Any] = job.notebook_parameters()
    parameters.pop("cache_dir", None)
    options = {s.key: dict(s.options) for s in job.sections if s.options}
    files = input_files(parameters | {k: v for o in options.values() for k, v in o.items()})
    parameters |= options
    word = "章节" if job.language == "zh" else "Section"
    colon = "：" if job.language == "zh" else ": "
    programs = {f"{word}{colon}{(titles or {}).get(s.key, s.key)}": Path(s.notebook)
                for s in job.sections}
    return named_provenance(programs | files, parameters, run_id=job.run_id)


def named_provenance(files: Mapping[str, Path], parameters: Mapping[str, Any],
                     **extra: Any) -> dict[str, Any]:
    """:func:`linkage.provenance.provenance_record` with files shown by name only: a report
    travels, and a local absolute path means nothing to its reader (and may say too much)."""
    from linkage.provenance import provenance_record

    record = provenance_record(files, {k: _file_name(v) for k, v in parameters.items()},
                               **extra)
    for meta in record["inputs"].values():
        meta["path"] = Path(meta["path"]).name
    return record


def _file_name(value: Any) -> Any:
    """A path-valued parameter as its file name (inside a section's options too); anything
    else as given."""
    if isinstance(value, Mapping):
        return {k: _file_name(v) for k, v in value.items()}
    if isinstance(value, str) and value and (os.sep in value or "/" in value):
        return Path(value).name
    return value


def _redacted(section: Section) -> Section:
    """The section with long digit runs (phones, ID and card numbers) masked everywhere a
    reader sees text — a last guard: identifiers never belong in a report."""
    from linkage.privacy import redact

    def block(b: Any) -> Any:
        if isinstance(b, Table):
            return replace(b, title=redact(b.title), frame=b.frame.map(redact),
                           notes=tuple(map(redact, b.notes)))
        if isinstance(b, Figure):
            return replace(b, title=redact(b.title), notes=tuple(map(redact, b.notes)))
        if isinstance(b, Heading | Paragraph):
            return replace(b, text=redact(b.text))
        return b

    return replace(section, blocks=tuple(block(b) for b in section.blocks),
                   findings=tuple(replace(f, text=redact(f.text)) for f in section.findings),
                   methods=tuple(map(redact, section.methods)),
                   caveats=tuple(map(redact, section.caveats)))


def render_document(document: Document, folder: Path, stem: str, formats: Sequence[str],
                    notes: list[str]) -> dict[str, str]:
    """Render ``document`` into ``folder/<stem>.<format>``; returns format → file name.

    PDF is made from the HTML (written for it even when ``html`` is not asked for); when no
    PDF renderer is installed ``write_pdf`` returns None and a note says so.
    """
    from linkage.reporting.docx import write_docx
    from linkage.reporting.html import render_html

    assembled = document.assemble()
    outputs: dict[str, str] = {}
    if "html" in formats or "pdf" in formats:
        html_path = folder / f"{stem}.html"
        with atomic_path(html_path) as tmp:
            Path(tmp).write_text(render_html(assembled), encoding="utf-8")
        outputs["html"] = html_path.name
    if "docx" in formats:
        outputs["docx"] = Path(write_docx(assembled, folder / f"{stem}.docx")).name
    if "pdf" in formats:
        from linkage.reporting.pdf import write_pdf

        with warnings.catch_warnings(record=True) as said:  # said once per run, as a note
            warnings.simplefilter("always")
            pdf = write_pdf(folder / f"{stem}.html", folder / f"{stem}.pdf")
        if pdf is None:
            notes.append(str(said[-1].message) if said else
                         "未生成 PDF：本机没有 PDF 渲染器（无头浏览器或 WeasyPrint）/ no PDF "
                         "renderer installed; HTML and Word written")
        else:
            outputs["pdf"] = Path(pdf).name
    return outputs


# ------------------------------------------------------------------------- failures ----

def _failure(exc: BaseException, folder: Path) -> tuple[str, str, str]:
    """(kind, one-line reason, partial notebook relative to the folder) of a failure."""
    from linkage.privacy import redact

    partial = ""
    if isinstance(exc, NotebookFailed):
        where = f"第 {exc.cell} 个单元格" if exc.cell is not None else "执行时"
        reason = f"{exc.notebook.name} {where}出错 / failed: {exc.ename}: {exc.evalue}"
        kind = "input" if exc.exit_code == InputError.exit_code else "notebook"
        if exc.partial is not None and Path(exc.partial).exists():
            partial = _relative(Path(exc.partial), folder)
    elif isinstance(exc, TimeoutError) or "Timeout" in type(exc).__name__:
        kind = "timeout"
        reason = f"超时 / timed out: {type(exc).__name__}: {exc}"
    elif isinstance(exc, LinkageError):
        kind = "input" if isinstance(exc, InputError) else "error"
        reason = str(getattr(exc, "message", exc))
    else:
        kind = "error"
        reason = f"{type(exc).__name__}: {exc}"
    kept = [n for n in getattr(exc, "__notes__", ()) if n.endswith(".ipynb")]
    if kept and not partial:
        partial = _relative(Path(kept[-1]), folder)
        reason = f"{Path(kept[-1]).name}: {reason}"
    return kind, redact(" ".join(reason.split()))[:MAX_REASON], partial


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.name


def _keep_partial(source: Path, output: Path, reason: str) -> Path:
    """Keep the notebook a runner stopped in, with the cell it stopped in marked, as papermill
    marks a cell that raised: the cell papermill left ``running`` in the partial copy, or —
    when the runner kept no copy (papermill does not on a timeout) — the source notebook with
    the mark on top."""
    import nbformat

    nb = nbformat.read(output if output.exists() else source, as_version=4)
    running = [i for i, c in enumerate(nb.cells)
               if c.get("metadata", {}).get("papermill", {}).get("status") == "running"]
    marker = nbformat.v4.new_markdown_cell(
        '<span style="color:red; font-family:monospace">执行在此中断 / execution stopped '
        f"here: {reason.replace('<', '&lt;')}</span>")
    marker.metadata["tags"] = [FAILED_CELL_TAG]
    if running:
        nb.cells[running[0]].metadata["papermill"]["status"] = "failed"
    nb.cells.insert(running[0] if running else 0, marker)
    with atomic_path(output) as tmp:
        nbformat.write(nb, tmp)
    return output


# ------------------------------------------------------------------ a single report ----

def find_region(code: str, counties: Any, *, language: str = "zh") -> Region:
    """The region of ``code`` in the county table (``""`` = the province).

    A code not in the table is returned with ``found=False`` (its report fails).
    """
    from linkage.reporting.config import RunConfig, resolve_regions

    config = RunConfig(regions=(code or "province",), language=language)  # type: ignore[arg-type]
    return resolve_regions(config, counties)[0]


@dataclass(frozen=True)
class ReportResult:
    """Where a single report run (``linkage report``) wrote its outputs."""

    run_id: str
    run_dir: Path
    html: Path | None
    notebooks: tuple[Path, ...]
    provenance: Path
    docx: Path | None = None
    pdf: Path | None = None
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        return f"报告已生成 / report written: {self.html or self.run_dir}"


def _section_key(path: Path) -> str:
    """The section key of a section notebook (``02_linkage`` → ``linkage``), else its stem."""
    found = re.match(r"(\d\d)_", path.name)
    keys = {number: key for key, number in SECTION_NOTEBOOKS.items()}
    if found and int(found.group(1)) in keys:
        from linkage.paths import notebooks_dir

        if path.parent.resolve() == notebooks_dir().resolve():
            return keys[int(found.group(1))]
    return path.stem


def _run_id(names: Sequence[str], parameters: Mapping[str, Any]) -> str:
    from datetime import datetime
    from hashlib import sha256

    digest = sha256(json.dumps(dict(parameters), sort_keys=True, default=str).encode())
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    slug = "+".join(names) if len(names) <= 2 else f"{names[0]}+{len(names) - 1}"
    return f"{stamp}-{slug}-{digest.hexdigest()[:8]}"


def run_report(
    notebooks: Sequence[str | os.PathLike[str]] = DEFAULT_NOTEBOOKS,
    *,
    parameters: Mapping[str, Any] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    run_id: str | None = None,
    title: str = "",
    formats: Sequence[str] = ("html", "docx"),
    organisation: str = "",
    author: str = "",
    runner: NotebookRunner | None = None,
) -> ReportResult:
    """One region report from the given notebooks into ``<out_dir>/<run-id>/`` (单份报告).

    Parameters
    ----------
    notebooks : sequence of str or path
        Notebook names (stems in ``notebooks/``, unique prefixes) or paths, in report order.
        Section notebooks save their :class:`Section`; a notebook that declares no
        ``section_out`` is executed and kept, but adds nothing to the document.
    parameters : mapping, optional
        Parameters (literal values); each notebook receives those its ``parameters`` cell
        declares. ``region_code`` selects the region (``""`` = the province).
    out_dir : path, optional
        Parent folder of the run folder (default ``reports/``).
    run_id : str, optional
        Name of the run folder (a plain name; default: time stamp, notebooks, parameter hash).
    title, organisation, author : str
        Cover fields.
    formats : sequence of {"html", "docx", "pdf"}
    runner : NotebookRunner, optional
        Default: a cold papermill runner.

    Raises
    ------
    InputError
        Bad parameters or input files (checked before anything runs), ``run_id`` not a plain
        name, the folder inside ``data/raw/`` or existing. Nothing is written.
    ReportError
        A notebook failed: no run folder; the partial notebooks are kept in
        ``<out_dir>/_failed/<run-id>/`` (exit code 2 when the failure was the input's).
    """
    from linkage.paths import check_plain_name, reports_dir

    parameters = dict(parameters or {})
    paths = [resolve_notebook(n) for n in notebooks]
    if run_id is not None:
        check_plain_name(run_id, option="--run-id / run_id")
    run_id = run_id or _run_id([p.stem for p in paths], parameters)
    parent = Path(out_dir) if out_dir is not None else reports_dir()
    target = check_output_target(parent / run_id, folder=True)
    if target.exists():
        raise ReportError(f"报告目录已存在 / report folder exists: {target}")
    check_report_inputs(parameters)
    region = find_region(str(parameters.get("region_code", "")),
                         county_table(str(parameters.get("counties", "")),
                                      str(parameters.get("panel", "")),
                                      str(parameters.get("framework", ""))),
                         language=str(parameters.get("language", "zh")))
    own = absolute_inputs({k: v for k, v in parameters.items() if k not in COMMON_PARAMETERS})
    files = {k: _absolute(str(parameters.get(k, "")))
             for k in ("panel", "counties", "households", "framework")}
    job = RegionJob(
        region=region, folder="", run_id=run_id,
        sections=tuple(SectionSpec(_section_key(p), str(p)) for p in paths), **files,
        start_year=int(parameters.get("start_year", 2015)),
        end_year=int(parameters.get("end_year", 2025)),
        language=str(parameters.get("language", "zh")), formats=tuple(formats), title=title,
        organisation=organisation, author=author, parameters=own)
    runner = runner or PapermillRunner()
    with atomic_dir(target) as tmp:
        result = run_region(replace(job, folder=str(tmp)), runner)
        if not result.ok:
            failed = parent / "_failed" / run_id
            failed.mkdir(parents=True, exist_ok=True)
            for path in (tmp / "notebooks").glob("*.ipynb"):
                shutil.move(str(path), failed / path.name)
            error = ReportError(f"{result.error} — 已保存出错的笔记本 / partial notebooks kept "
                                f"in {failed}")
            if result.kind == "input":
                error.exit_code = InputError.exit_code
            raise error
    out = result.outputs
    return ReportResult(
        run_id=run_id, run_dir=target,
        html=target / out["html"] if "html" in out else None,
        notebooks=tuple(target / "notebooks" / p.name for p in paths),
        provenance=target / "provenance.json",
        docx=target / out["docx"] if "docx" in out else None,
        pdf=target / out["pdf"] if "pdf" in out else None, notes=result.notes)


def _absolute(path: str) -> str:
    """A given input path made absolute (notebooks run in their own folder); "" stays ""."""
    return str(Path(path).absolute()) if path else ""


def county_table(counties: str = "", panel: str = "", framework: str = "") -> Any:
    """The county table of a run: ``counties`` read with the kit's reader (codes as text,
    indexed by code); with none, the bundled sample's when the panel is the sample too;
    else one row per region code of the panel, named by its code."""
    import pandas as pd

    from linkage.panel import _read_counties, load_panel

    if counties:
        return _read_counties(Path(counties))
    data = load_panel(panel or None, framework=framework or None)
    if data.counties is not None and len(data.counties):
        return data.counties
    codes = sorted(data.panel["region_code"].astype(str).unique())
    return pd.DataFrame({"region_code": codes, "region_name": codes,
                         "prefecture_code": [c[:4] + "00" for c in codes],
                         "prefecture_name": [c[:4] + "00" for c in codes]})
