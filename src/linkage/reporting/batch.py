"""Batches of region reports (批量报告): one run config, many regions, one run folder.

:func:`run_batch` reads a run config (:mod:`linkage.reporting.config`), checks everything it
can before anything runs (config, input files with the kit's readers and schemas, section
options against the notebooks, regions against the county table: a problem is one
:class:`~linkage.errors.InputError`, exit code 2, and nothing is written), then runs one
region report per region (:func:`linkage.reporting.region.run_region`) on an executor
(``local``, ``warm``, ``dask``) and writes, into a new folder ``<out>/<run-id>/``::

    run.json                  config, regions, status per region (rewritten every 10 s)
    config.yaml               the config as run (``--retry-failed`` reruns with it)
    index.html                every region: status, links to HTML/Word/PDF, failure reasons
    summary/summary.html …    the cross-region summary report (rankings, grades, a chart)
    metrics.parquet .csv .xlsx  the metrics table (one row per region)
    <code>/ or province/      one folder per region (see region.py)
    _shared/                  results computed once per batch (linkage.reporting.cache)

A run folder is never reused: its name is sanitised (a plain name — no ``/``, ``\\``, ``..``)
and a name already taken gets a suffix. A region that fails does not stop the others; the
batch exits 1 and ``--retry-failed RUN_DIR`` reruns only the failed regions into that run.
``<out>/latest`` (a symlink replaced atomically) points at the newest complete run — a batch
with failures does not move it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from linkage.atomic import atomic_path, check_output_target
from linkage.errors import InputError, OutputError
from linkage.paths import check_plain_name, reports_dir, sample_dir
from linkage.reporting.config import (
    FORMATS,
    SECTION_KEYS,
    Region,
    RunConfig,
    load_config,
    resolve_regions,
)
from linkage.reporting.region import (
    RegionJob,
    RegionResult,
    SectionSpec,
    county_table,
    run_region,
)

__all__ = ["BatchResult", "Progress", "region_jobs", "run_batch"]

#: A progress sink: called with one event (a JSON-serialisable dict) at a time.
Progress = Callable[[Mapping[str, Any]], None]

RUN_FILE = "run.json"
LATEST = "latest"
#: Seconds between rewrites of run.json while regions finish (and once at the end).
SAVE_EVERY = 10.0


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: where, per region, and the exit code (0 ok, 1 some failed)."""

    run_dir: Path | None
    results: tuple[RegionResult, ...]
    regions: tuple[Region, ...]
    exit_code: int
    outputs: Mapping[str, Path] = field(default_factory=dict)
    dry_run: bool = False
    notes: tuple[str, ...] = ()  # said once for the batch (e.g. no PDF renderer)

    @property
    def failed(self) -> tuple[RegionResult, ...]:
        return tuple(r for r in self.results if not r.ok)


# ------------------------------------------------------------------------- progress ----

class _Bar:
    """A tqdm bar on stderr: regions done / total, ETA, failures; failures printed above."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bar: Any = None
        self.failed = 0

    def __call__(self, event: Mapping[str, Any]) -> None:
        from tqdm import tqdm

        kind = event["event"]
        if kind == "start":
            self.bar = tqdm(total=event["total"], unit="个地区", desc="报告 / reports",
                            file=self.stream, dynamic_ncols=True, mininterval=0.5)
        elif kind == "region" and self.bar is not None:
            if event["status"] != "ok":
                self.failed += 1
                self.bar.write(f"✗ {event['code'] or '—'} {event['name']}: {event['error']}",
                               file=self.stream)
            self.bar.set_postfix_str(f"失败 / failed {self.failed}", refresh=False)
            self.bar.update(1)
        elif kind == "end" and self.bar is not None:
            self.bar.close()


def _quiet(event: Mapping[str, Any]) -> None:
    """Nothing on success; each failed region one line on stderr (cron mails it)."""
    if event["event"] == "region" and event["status"] != "ok":
        print(f"linkage: {event['code'] or '—'} {event['name']} 失败 / failed: {event['error']}",
              file=sys.stderr)


def _jsonl(event: Mapping[str, Any]) -> None:
    print(json.dumps(dict(event), ensure_ascii=False, default=str), flush=True)


PROGRESS: dict[str, Callable[[], Progress]] = {"bar": _Bar, "quiet": lambda: _quiet,
                                               "jsonl": lambda: _jsonl}


# --------------------------------------------------------------------------- inputs ----

def _inputs(config: RunConfig) -> dict[str, str]:
    """The input files as absolute paths; the bundled sample where none is given."""
    given = {k: getattr(config, k) for k in ("panel", "counties", "households", "framework")}
    if not given["panel"] and not given["households"]:
        sample = {"panel": "county_panel.csv", "counties": "counties.csv",
                  "households": "households.parquet"}
        for key, name in sample.items():
            given[key] = given[key] or str(sample_dir() / name)
    return {k: str(Path(v).absolute()) if v else v for k, v in given.items()}


def _section_specs(config: RunConfig, notebooks: Path | None) -> tuple[SectionSpec, ...]:
    """The sections' notebooks, their options checked against the notebooks' parameters."""
    from linkage.reporting.inputs import absolute_inputs, declared_parameters, section_notebook

    specs = []
    for key, options in config.sections.items():
        try:
            notebook = section_notebook(key, notebooks)
        except InputError as exc:
            raise config.error(f"sections.{key}", exc.problem) from exc
        declared = declared_parameters(notebook)
        for name in options:
            if name not in declared:
                raise config.error(
                    f"sections.{key}.{name}", f"章节 {key} 没有选项 “{name}” / unknown option",
                    f"可用 / available: {', '.join(sorted(declared))}")
        specs.append(SectionSpec(key, str(notebook), absolute_inputs(options)))
    return tuple(specs)


def _check_parameters(config: RunConfig, inputs: Mapping[str, str]) -> None:
    """The inputs and common parameters, checked as ``linkage report`` checks them."""
    from linkage.reporting.inputs import CHECKED_OPTIONS, check_report_inputs

    options = {k: v for section in config.sections.values() for k, v in section.items()
               if k in CHECKED_OPTIONS}
    check_report_inputs({**inputs, "language": config.language,
                         "start_year": config.start_year, "end_year": config.end_year,
                         **options})


# --------------------------------------------------------------------------- folders ----

_UNSAFE = re.compile(r"[^\w.\-]+")


def safe_name(text: str, *, fallback: str = "run") -> str:
    """A plain folder name from any text: word characters, ``.``, ``-``; never ``..``."""
    name = _UNSAFE.sub("-", text).strip(".-")[:80] or fallback
    return check_plain_name(name)


def _new_run_dir(parent: Path, run_id: str) -> Path:
    """Create ``parent/run_id`` (or ``run_id-2``, ``-3`` … if taken): never an existing one."""
    check_output_target(parent, folder=True)
    parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        candidate = parent / (run_id if n == 1 else f"{run_id}-{n}")
        if candidate.is_symlink():
            continue
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"无法创建运行目录 / cannot create the run folder: {exc}",
                              file=candidate) from exc
        return candidate
    raise OutputError("运行目录名已全部被占用 / no free run folder name", file=parent)


def _write_json(path: Path, record: Mapping[str, Any]) -> None:
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(record, ensure_ascii=False, indent=2, default=str),
                             encoding="utf-8")


def _point_latest(run_dir: Path) -> None:
    """Point ``<parent>/latest`` at ``run_dir`` (atomic replace) unless it already points at a
    complete run created later."""
    link = run_dir.parent / LATEST
    if link.is_symlink():
        current = link.resolve() / RUN_FILE
        if current.is_file():
            other = json.loads(current.read_text(encoding="utf-8"))
            mine = json.loads((run_dir / RUN_FILE).read_text(encoding="utf-8"))
            if other.get("status") == "complete" and other["created"] > mine["created"]:
                return
    elif link.exists():
        return  # a real file or folder named "latest": never replaced
    tmp = run_dir.parent / f".{LATEST}.{os.getpid()}.tmp"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(run_dir.name, tmp, target_is_directory=True)
    os.replace(tmp, link)


# ----------------------------------------------------------------------------- batch ----

def _codes(text: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    items = text.split(",") if isinstance(text, str) else list(text)
    return tuple(i.strip() for i in items if i.strip())


def _prepare(config: RunConfig, *, regions: Sequence[str] | None,
             sections: Sequence[str] | None, formats: Sequence[str] | None,
             executor: str | None, workers: int | None, scheduler: str | None,
             out: str | os.PathLike[str] | None) -> RunConfig:
    """Apply command-line overrides, validated like the config."""
    from linkage.reporting.config import _region_item
    from linkage.reporting.executors import EXECUTORS

    changes: dict[str, Any] = {}
    if regions is not None:
        items = []
        for code in regions:
            item = _region_item(code)
            if item is None:
                raise InputError(f"--regions 中的 “{code}” 不是地区 / not a region",
                                 hint="写 6 位区划代码，用逗号分隔，如 --regions 990102,990121")
            items.append(item)
        changes["regions"] = tuple(items)
    if sections is not None:
        bad = [s for s in sections if s not in SECTION_KEYS]
        if bad or not sections:
            raise InputError(f"--sections 中的 {', '.join(bad) or '（空）'} 不是章节 / unknown "
                             "section", hint=f"可选 / choose from: {', '.join(SECTION_KEYS)}")
        changes["sections"] = {s: dict(config.sections.get(s, {})) for s in sections}
    if formats is not None:
        bad = [f for f in formats if f not in FORMATS]
        if bad or not formats:
            raise InputError(f"--formats 中的 {', '.join(bad) or '（空）'} 不是格式 / unknown "
                             "format", hint=f"可选 / choose from: {', '.join(FORMATS)}")
        changes["formats"] = tuple(dict.fromkeys(formats))
    if executor is not None and executor not in EXECUTORS:
        raise InputError(f"未知的执行器 “{executor}” / unknown executor",
                         hint=f"可选 / choose one of: {', '.join(EXECUTORS)}")
    if workers is not None and workers < 1:
        raise InputError(f"--workers 须 ≥ 1，现为 {workers} / workers must be ≥ 1")
    return config.with_overrides(**changes, executor=executor, workers=workers,
                                 scheduler=scheduler,
                                 out=str(out) if out is not None else None)


def run_batch(
    config: RunConfig | str | os.PathLike[str],
    *,
    regions: Sequence[str] | str | None = None,
    sections: Sequence[str] | str | None = None,
    formats: Sequence[str] | str | None = None,
    executor: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | os.PathLike[str] | None = None,
    dry_run: bool = False,
    retry_failed: str | os.PathLike[str] | None = None,
    progress: str | Progress = "bar",
    run_id: str | None = None,
    notebooks: str | os.PathLike[str] | None = None,
    make_executor: Callable[..., Any] | None = None,
    label: str = "run",
) -> BatchResult:
    """Run one report per region of a run config (批量生成地区报告).

    Parameters
    ----------
    config : RunConfig or path
        The run config (a YAML path is read with :func:`load_config`).
    regions, sections, formats : sequence or comma-separated str, optional
        Override the config's (``--regions 990102,990121``; region items as in the config).
    executor, workers, scheduler : optional
        Override the config's executor (``local``, ``warm``, ``dask``), its number of workers
        and the Dask scheduler address.
    out : path, optional
        Parent folder of the run folder (default: the config's ``out``, else ``reports/``).
    dry_run : bool
        Check everything and return the plan (regions, sections) without running or writing.
    retry_failed : path, optional
        A run folder of an earlier batch: rerun only its failed regions, with the config
        stored in it (the executor may be overridden), into that folder.
    progress : {"bar", "quiet", "jsonl"} or callable
        A tqdm bar on stderr; nothing but failures (stderr); one JSON line per event on
        stdout; or a function called with each event.
    run_id : str, optional
        Name of the run folder (a plain name; default ``<date>-<time>-<config name>``, or
        ``<date>-<time>-<label>`` for a config that is not a file).
    notebooks : path, optional
        Folder of the section notebooks (default ``notebooks/``).
    make_executor : callable, optional
        ``make_executor(name, workers=, scheduler=)`` (default
        :func:`linkage.reporting.executors.make_executor`).

    Returns
    -------
    BatchResult
        ``exit_code`` 0 when every region succeeded, 1 when some failed.

    Raises
    ------
    InputError
        Bad config, override, input file, section option or region (exit code 2), or an
        output folder that must not be written (``data/raw``, a run id that is not a plain
        name). Nothing is written.
    """
    from linkage.reporting import executors

    if retry_failed is not None:
        return _retry(Path(retry_failed), executor=executor, workers=workers,
                      scheduler=scheduler, progress=progress, notebooks=notebooks,
                      make_executor=make_executor)
    if run_id is not None:
        check_plain_name(run_id, option="--run-id / run_id")
    source = config if isinstance(config, RunConfig) else load_config(config)
    config = _prepare(source, regions=_codes(regions), sections=_codes(sections),
                      formats=_codes(formats), executor=executor, workers=workers,
                      scheduler=scheduler, out=out)
    inputs = _inputs(config)
    _check_parameters(config, inputs)
    specs = _section_specs(config, Path(notebooks) if notebooks else None)
    chosen = resolve_regions(config, county_table(inputs["counties"], inputs["panel"],
                                                         inputs["framework"]))
    parent = (Path(config.out) if config.out else reports_dir()).absolute()
    check_output_target(parent, folder=True)
    sink = PROGRESS[progress]() if isinstance(progress, str) else progress
    if dry_run:
        sink({"event": "plan", "dry_run": True, "regions": len(chosen),
              "codes": [r.code or "province" for r in chosen],
              "sections": [s.key for s in specs], "formats": list(config.formats),
              "executor": config.executor, "workers": config.workers,
              "out": str(parent)})
        return BatchResult(None, (), tuple(chosen), 0, dry_run=True)
    name = run_id or safe_name(f"{datetime.now():%Y%m%d-%H%M%S}-"
                               f"{config.source.stem if config.source else label}")
    run_dir = _new_run_dir(parent, name)
    record = {"run_id": run_dir.name, "created": datetime.now(UTC).isoformat(),
              "status": "running", "config": config.to_json(), "inputs": inputs,
              "regions": [{"code": r.code, "name": r.name, "level": r.level, "found": r.found}
                          for r in chosen],
              "results": {}}
    _write_json(run_dir / RUN_FILE, record)
    _write_config(run_dir / "config.yaml", config)
    jobs = [_job(config, inputs, specs, r, run_dir) for r in chosen]
    results = _execute(jobs, config, sink, run_dir, record,
                       make_executor or executors.make_executor)
    return _finish(run_dir, record, config, chosen, results, sink)


def region_jobs(config: RunConfig | str | os.PathLike[str], run_dir: str | os.PathLike[str],
                *, regions: Sequence[str] | str | None = None,
                notebooks: str | os.PathLike[str] | None = None) -> list[RegionJob]:
    """The region jobs of a config for ``run_dir`` (checked as :func:`run_batch` checks them),
    for code that drives an executor itself (benchmarks): ``executor.map(run_region, jobs)``.
    Nothing is written."""
    source = config if isinstance(config, RunConfig) else load_config(config)
    config = _prepare(source, regions=_codes(regions), sections=None, formats=None,
                      executor=None, workers=None, scheduler=None, out=None)
    inputs = _inputs(config)
    _check_parameters(config, inputs)
    specs = _section_specs(config, Path(notebooks) if notebooks else None)
    chosen = resolve_regions(config, county_table(inputs["counties"], inputs["panel"],
                                                  inputs["framework"]))
    return [_job(config, inputs, specs, r, Path(run_dir).absolute()) for r in chosen]


def _write_config(path: Path, config: RunConfig) -> None:
    from ruamel.yaml import YAML

    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        handle.write("# 本次运行所用的配置 / the config as run (linkage run --retry-failed 读取)\n")
        YAML().dump(config.to_json(), handle)


def _job(config: RunConfig, inputs: Mapping[str, str], specs: tuple[SectionSpec, ...],
         region: Region, run_dir: Path) -> RegionJob:
    stem = safe_name(f"{region.code}_{region.name}" if region.code else region.name,
                     fallback=region.folder)
    return RegionJob(
        region=region, folder=str(run_dir / safe_name(region.folder)), sections=specs,
        **inputs, start_year=config.start_year, end_year=config.end_year,
        language=config.language, formats=config.formats, title=config.cover_title,
        organisation=config.organisation, author=config.author,
        cache_dir=str(run_dir / "_shared"), timeout=config.timeout or None,
        retries=config.retries, stem=stem, run_id=run_dir.name)


def _execute(jobs: list[RegionJob], config: RunConfig, sink: Progress, run_dir: Path,
             record: dict[str, Any], make: Callable[..., Any]) -> dict[str, RegionResult]:
    """Run the jobs; finished regions are recorded in run.json every SAVE_EVERY seconds."""
    sink({"event": "start", "run_id": run_dir.name, "run_dir": str(run_dir),
          "total": len(jobs)})
    results: dict[str, RegionResult] = {}
    pool = make(config.executor, workers=config.workers,
                scheduler=config.scheduler or None)
    failed = 0
    saved = time.monotonic()
    try:
        for job, outcome in pool.map(run_region, jobs):
            result = outcome if isinstance(outcome, RegionResult) else _crashed(job, outcome)
            results[job.region.code] = result
            failed += not result.ok
            record["results"][job.region.code] = result.to_json()
            if time.monotonic() - saved > SAVE_EVERY or len(results) == len(jobs):
                _write_json(run_dir / RUN_FILE, record)  # not per region: O(n²) for 2,800
                saved = time.monotonic()
            sink({"event": "region", "code": result.code, "name": result.name,
                  "status": result.status, "seconds": round(result.seconds, 2),
                  "attempts": result.attempts, "error": result.error, "kind": result.kind,
                  "done": len(results), "total": len(jobs), "failed": failed,
                  "outputs": {k: f"{result.folder}/{v}" for k, v in result.outputs.items()}})
    finally:
        pool.close()
    return results


def _crashed(job: RegionJob, error: BaseException) -> RegionResult:
    """A task that raised in the executor (a worker died, a result did not pickle)."""
    from linkage.privacy import redact

    reason = redact(" ".join(f"{type(error).__name__}: {error}".split()))[:600]
    return RegionResult(job.region.code, job.region.name, job.region.level, job.region.folder,
                        "failed", error=reason, kind="error")


def _finish(run_dir: Path, record: dict[str, Any], config: RunConfig,
            chosen: Sequence[Region], results: Mapping[str, RegionResult],
            sink: Progress) -> BatchResult:
    """Metrics, summary, index, run.json, latest; the exit code."""
    from linkage.reporting.index import summary_document, write_index
    from linkage.reporting.inputs import input_files
    from linkage.reporting.metrics import metric_columns, metrics_frame, write_metrics
    from linkage.reporting.region import named_provenance, render_document

    ordered = tuple(results[r.code] for r in chosen if r.code in results)
    outputs: dict[str, Path] = {}
    notes: list[str] = []
    metrics = write_metrics(ordered, run_dir, year=config.end_year, language=config.language)
    outputs |= {f"metrics.{k}": v for k, v in metrics.items()}
    summary: dict[str, str] = {}
    try:
        simulated = any(_simulated(run_dir / r.folder) for r in ordered if r.ok)
        document = summary_document(
            ordered, metrics_frame(ordered, year=config.end_year), metric_columns(ordered),
            title=config.cover_title, start_year=config.start_year,
            end_year=config.end_year, language=config.language, simulated=simulated,
            organisation=config.organisation, author=config.author,
            provenance=named_provenance(
                input_files(record["inputs"]), record["inputs"], run_id=run_dir.name))
        folder = run_dir / "summary"
        folder.mkdir(exist_ok=True)
        written = render_document(document, folder, "summary", config.formats, notes)
        summary = {k: f"summary/{v}" for k, v in written.items()}
        outputs |= {f"summary.{k}": run_dir / v for k, v in summary.items()}
    except Exception as exc:  # the summary is a convenience: its failure is noted, not fatal
        from linkage.privacy import redact

        notes.append(redact(f"汇总报告未生成 / summary report not written: "
                            f"{type(exc).__name__}: {exc}")[:600])
    notes = list(dict.fromkeys([*(n for r in ordered for n in r.notes), *notes]))
    ok = all(r.ok for r in ordered) and len(ordered) == len(chosen)
    index = write_index(run_dir / "index.html", ordered, run_id=run_dir.name,
                        language=config.language, summary=summary,
                        metrics={k: f"metrics.{k}" for k in metrics}, notes=notes)
    outputs["index"] = index
    record.update(status="complete" if ok else "partial", finished=datetime.now(UTC).isoformat(),
                  notes=notes)
    _write_json(run_dir / RUN_FILE, record)
    if ok:
        _point_latest(run_dir)
    exit_code = 0 if ok else 1
    sink({"event": "end", "run_dir": str(run_dir), "status": record["status"],
          "ok": sum(r.ok for r in ordered), "failed": sum(not r.ok for r in ordered),
          "exit_code": exit_code, "index": str(index), "notes": notes})
    return BatchResult(run_dir, ordered, tuple(chosen), exit_code, outputs, notes=tuple(notes))


def _simulated(folder: Path) -> bool:
    """Whether a region's saved sections say they were made from simulated data."""
    for path in (folder / "sections").glob("*.json"):
        if json.loads(path.read_text(encoding="utf-8")).get("simulated"):
            return True
    return False


def _retry(run_dir: Path, *, executor: str | None, workers: int | None, scheduler: str | None,
           progress: str | Progress, notebooks: str | os.PathLike[str] | None,
           make_executor: Callable[..., Any] | None) -> BatchResult:
    """Rerun the failed regions of ``run_dir`` with its stored config, into it."""
    from linkage.reporting import executors

    path = run_dir / RUN_FILE
    if not path.is_file():
        raise InputError("不是 linkage run 的运行目录（没有 run.json）/ not a run folder",
                         file=run_dir, hint="--retry-failed reports/<运行目录>")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        config = RunConfig.from_json(record["config"])
        chosen = [Region(r["code"], r["name"], r["level"], r["found"])
                  for r in record["regions"]]
        inputs = dict(record["inputs"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"run.json 无法读取 / unreadable run record: {exc}", file=path) from exc
    for region in chosen:  # folder names come from the record: check them again
        if region.code and not re.fullmatch(r"\d{6}", region.code):
            raise InputError(f"run.json 中的区划代码 {region.code!r} 无效 / bad region code",
                             file=path)
    config = _prepare(config, regions=None, sections=None, formats=None, executor=executor,
                      workers=workers, scheduler=scheduler, out=None)
    previous = {code: RegionResult.from_json(r) for code, r in record["results"].items()}
    redo = [r for r in chosen if r.code not in previous or not previous[r.code].ok]
    specs = _section_specs(config, Path(notebooks) if notebooks else None)
    sink = PROGRESS[progress]() if isinstance(progress, str) else progress
    attempts = run_dir / "_failed"
    for region in redo:  # keep the failed attempt for inspection, start the region afresh
        folder = run_dir / safe_name(region.folder)
        if folder.exists():
            attempts.mkdir(exist_ok=True)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            shutil.move(str(folder), attempts / f"{safe_name(region.folder)}-{stamp}")
    record["status"] = "running"
    jobs = [_job(config, inputs, specs, r, run_dir) for r in redo]
    fresh = _execute(jobs, config, sink, run_dir, record,
                     make_executor or executors.make_executor)
    merged = {code: r for code, r in previous.items() if r.ok} | fresh
    return _finish(run_dir, record, config, chosen, merged, sink)
