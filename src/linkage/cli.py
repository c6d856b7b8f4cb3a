"""Command line (命令行): ``linkage <subcommand>``.

Every subcommand is a thin wrapper over a library function. Errors of the kit's own hierarchy
become one line on stderr and an exit code (2 for bad input, 1 otherwise); ``--debug`` shows
the full traceback instead. Any other exception is a bug: one line saying so (exit 1), the
traceback with ``--debug``. Every line printed passes through :func:`linkage.privacy.redact`.

Outputs: nothing is written inside ``data/raw/`` (except ``sample --out data/raw/sample
--force``, which regenerates the bundled sample), output names are plain names, and an existing
output is replaced only with ``--force``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from linkage import __version__
from linkage.errors import InputError, LinkageError, OutputError

__all__ = ["main"]

DESCRIPTION = """\
linkage — 巩固拓展脱贫攻坚成果同乡村振兴有效衔接 研究工具包
research kit for consolidating and extending poverty-alleviation achievements and linking
them with rural revitalization.

常用 / common:
  linkage demo                       用内置模拟数据生成示范报告 / flagship report on bundled data
  linkage run configs/sample.yaml    按运行配置批量生成地区报告 / region reports from a config
  linkage template -o 模板.xlsx       生成 Excel 填报模板 / Excel data-entry template
  linkage validate 数据.xlsx --kind county   只检查不写出 / check a file, write nothing
  linkage ingest 数据.xlsx --kind county     检查并写入 data/processed / validate and store
  linkage report 01 -p panel data/processed/x.county.parquet   对自己的数据出报告 / own data
  linkage places 年鉴.xlsx --province 地区   地名加区划代码 / place names to region codes
  linkage policy sheet 文本库/ -o 编码表.xlsx  政策编码表 / policy coding sheet
"""


#: The demo's counties: 磐浦县 (former poverty county, key assistance county), 天平县 (former
#: poverty county), 靖丰区 (neither) — the first gets the featured full report.
DEMO_REGIONS = ("990327", "990125", "990102")


def default_report_parameters() -> dict[str, Any]:
    """Parameters of the flagship report: the bundled sample (county panel, county
    attributes, household monitoring panel) and the default framework."""
    from linkage.paths import sample_dir

    return {
        "panel": str(sample_dir() / "county_panel.csv"),
        "counties": str(sample_dir() / "counties.csv"),
        "households": str(sample_dir() / "households.parquet"),
    }


def _cmd_demo(args: argparse.Namespace) -> int:
    from linkage.reporting.batch import run_batch
    from linkage.reporting.config import RunConfig

    # the configs/sample.yaml defaults (all sections, HTML + Word) for three sample counties
    demo = RunConfig(regions=DEMO_REGIONS, workers=2)
    result = run_batch(demo, out=args.out, progress="quiet" if args.quiet else "bar",
                       label="demo")
    first = next((r for r in result.results if r.ok), None)
    if first is not None and result.run_dir is not None:
        for kind, name in (("docx", "Word"), ("html", "HTML")):
            if kind in first.outputs:
                print(f"县级报告 / county report ({name}): "
                      f"{result.run_dir / first.folder / first.outputs[kind]}")
    _print_batch(result)
    return result.exit_code


def _print_batch(result: Any) -> None:
    """Where a batch wrote its index and metrics, and how many regions failed."""
    if result.run_dir is None:
        return
    for note in result.notes:
        print(f"注意 / note: {note}")
    failed = len(result.failed)
    print(f"{len(result.results)} 个地区，{failed} 个失败 / {len(result.results)} regions, "
          f"{failed} failed")
    if "metrics.xlsx" in result.outputs:
        print(f"指标汇总表 / metrics: {result.outputs['metrics.xlsx']}")
    if "summary.html" in result.outputs:
        print(f"汇总报告 / summary report: {result.outputs['summary.html']}")
    print(f"批次索引 / batch index: {result.outputs['index']}")


def _cmd_run(args: argparse.Namespace) -> int:
    from linkage.reporting.batch import run_batch

    progress = "jsonl" if args.jsonl else "quiet" if args.quiet else "bar"
    result = run_batch(args.config, regions=args.regions, sections=args.sections,
                       formats=args.formats, executor=args.executor, workers=args.workers,
                       scheduler=args.scheduler, out=args.out, dry_run=args.dry_run,
                       retry_failed=args.retry_failed, progress=progress)
    if result.dry_run and progress != "jsonl":
        codes = [r.code or "province" for r in result.regions]
        shown = ", ".join(codes[:10]) + (f" … (+{len(codes) - 10})" if len(codes) > 10 else "")
        print(f"试运行，未执行、未写出 / dry run, nothing executed or written: "
              f"{len(codes)} 个地区 / regions: {shown}")
    elif progress == "bar":
        _print_batch(result)
    return result.exit_code


def _cmd_report(args: argparse.Namespace) -> int:
    from linkage.reporting.inputs import DEFAULT_NOTEBOOKS, coerce_parameters
    from linkage.reporting.region import run_report

    notebooks = args.notebooks or DEFAULT_NOTEBOOKS
    given = coerce_parameters(notebooks, dict(args.param))
    # the bundled sample unless the user names a panel of their own
    parameters = {} if {"panel", "households"} & set(given) else default_report_parameters()
    result = run_report(notebooks, parameters=parameters | given, out_dir=args.out,
                        run_id=args.run_id)
    for note in result.notes:
        print(note, file=sys.stderr)
    if result.docx is not None:
        print(result.docx)
    print(result.html or result.run_dir)
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    import contextlib

    from linkage.atomic import allow_raw_writes
    from linkage.paths import data_processed, data_raw, is_within
    from linkage.sample import SAMPLE_FILES, write_sample

    out = args.out if args.out is not None else data_processed() / "sample"
    existing = [out / name for name in SAMPLE_FILES.values() if (out / name).exists()]
    into_raw = is_within(out, [data_raw()])
    if (existing or into_raw) and not args.force:
        where = "data/raw/ 中的内置样本" if into_raw else f"已有文件 {existing[0].name}"
        raise OutputError(f"将替换{where}，未加 --force / would replace existing files",
                          file=out, hint="确认要重新生成时加 --force")
    guard = allow_raw_writes() if into_raw else contextlib.nullcontext()
    with guard:
        written = write_sample(out, counties=args.counties, households=args.households,
                               seed=args.seed)
    for path in written.values():
        print(path)
    return 0


# --- validate / ingest (数据校验与导入): --allow-extra, --problems FILE ---
def _ingest_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return {"kind": args.kind, "framework": args.framework, "mapping": args.mapping,
            "sheet": int(args.sheet) if args.sheet and args.sheet.isdigit() else args.sheet,
            "regions": args.regions, "encoding": args.encoding,
            "allow_extra": args.allow_extra}


#: Problems listed by ``linkage validate`` (the rest are counted; all go to ``--problems``).
_SHOWN = 20


def _check_problems_target(args: argparse.Namespace) -> None:
    """Refuse a bad ``--problems`` target before reading the data (not after)."""
    from linkage.atomic import check_output_target

    if args.problems is not None:
        target = check_output_target(args.problems)
        if target.suffix.lower() not in (".csv", ".xlsx"):
            raise OutputError(f"问题清单只能写成 .csv 或 .xlsx（现为 {target.name}）/ the "
                              "problems file must end in .csv or .xlsx", file=target,
                              hint="例如 --problems 问题清单.csv")
        if target.exists() and not args.force:
            raise OutputError("问题清单文件已存在，未覆盖 / problems file exists", file=target,
                              hint="确认要替换时加 --force，或换一个文件名")


def _cmd_ingest(args: argparse.Namespace) -> int:
    from linkage.errors import DataValidationError
    from linkage.ingest import ingest, write_problems

    _check_problems_target(args)
    try:
        result = ingest(args.file, **_ingest_kwargs(args), out_dir=args.out, name=args.name,
                        overwrite=args.force)
    except DataValidationError as err:
        problems = getattr(err, "problems", None)
        if args.problems is None or problems is None:
            raise
        path = write_problems(problems, args.problems, overwrite=args.force)
        first = str(problems["hint"].iloc[0] or "")
        raise DataValidationError(err.problem, file=err.file, row=err.row, column=err.column,
                                  hint=f"{first}；全部 {len(problems)} 处问题已写入 {path}"
                                  .lstrip("；")) from None
    print(result.summary())
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from linkage.ingest import validate_file

    _check_problems_target(args)
    report = validate_file(args.file, **_ingest_kwargs(args))
    more = "加 --problems 问题清单.csv 可写出全部问题"
    written = None
    if args.problems is not None:  # written even when empty: a script can rely on it
        written = report.write_problems(args.problems, overwrite=args.force)
        more = f"全部 {len(report.problems)} 处问题已写入 {written}"
    print(report.summary(max_problems=_SHOWN, more=more))
    if written is not None and len(report.problems) <= _SHOWN:
        print(f"  问题清单（{len(report.problems)} 处）：{written}")
    return 0 if report.ok else InputError.exit_code


def _cmd_template(args: argparse.Namespace) -> int:
    from linkage.atomic import check_output_target
    from linkage.frameworks import load_framework
    from linkage.template import write_template

    out = check_output_target(args.out)
    if out.suffix.lower() != ".xlsx":
        raise OutputError(f"模板是 Excel 工作簿，输出文件名应以 .xlsx 结尾（现为 {out.name}）/ "
                          "the template is an .xlsx workbook", file=out,
                          hint="例如 -o 数据填报模板.xlsx")
    path = write_template(out, framework=load_framework(args.framework), overwrite=args.force)
    print(path)
    return 0


def _cmd_framework(args: argparse.Namespace) -> int:
    from linkage.frameworks import load_framework

    framework = load_framework(args.file)
    table = framework.indicator_table()
    print(f"{framework.id} v{framework.version}: {framework.name_zh} / {framework.name_en}")
    print(f"{len(table)} 项指标 / indicators")
    if args.list:
        cols = ["name_zh", "unit", "direction", "subsystem", "dimension"]
        print(table[cols].to_string())
    return 0


def _cmd_provenance(args: argparse.Namespace) -> int:
    import json

    from linkage.provenance import read_provenance

    print(json.dumps(read_provenance(args.file), ensure_ascii=False, indent=2))
    return 0


def _cmd_datasets(args: argparse.Namespace) -> int:
    from linkage import datasets

    if args.name:
        print(datasets.describe(args.name))
    else:
        table = datasets.list_datasets()
        print(table[["name", "title_zh", "rows"]].to_string(index=False))
    return 0


# --- linkage yearbook (issue 11, part 3) ---------------------------------------------------
def _cmd_yearbook(args: argparse.Namespace) -> int:
    from linkage.atomic import atomic_path, check_output_target
    from linkage.readers import read_listing, read_yearbook, yearbook_panel

    if args.to_panel and args.mapping is None:
        raise InputError("--to-panel 需要 --mapping（年鉴指标 → 指标 id）/ --to-panel needs "
                         "--mapping", hint="例如 --mapping 年鉴映射.yaml，每行“年鉴指标: 指标id”")
    if args.listing and (args.to_panel or args.region):
        raise InputError("--listing 不能与 --to-panel、--region 同用 / --listing reads a list, "
                         "not a table")
    if args.out is not None:
        check_output_target(args.out)
    sheet = int(args.sheet) if args.sheet and args.sheet.isdigit() else args.sheet
    if args.listing:
        out = read_listing(args.file, sheet=sheet, password=args.password)
        notes = out.attrs["warnings"]
        summary = f"{out['section'].nunique()} 节、{len(out)} 行 / sections, rows"
    else:
        table = read_yearbook(args.file, sheet=sheet, password=args.password,
                              region=args.region)
        out = yearbook_panel(table, args.mapping) if args.to_panel else table
        notes = table.attrs["warnings"] + out.attrs.get("warnings", [])
        kind = "面板 / panel" if args.to_panel else "长表 / tidy table"
        summary = (f"{table['region'].nunique()} 个地区、{table['indicator'].nunique()} 个指标、"
                   f"{len(table)} 个数值（{table['value'].notna().sum()} 个非空）→ {kind} "
                   f"{len(out)} 行 / regions, indicators, values")
    if args.to_panel and len(out):
        from linkage.schemas import PANEL_ZH, code_level

        levels = set(code_level(out["region_code"]))
        if len(levels) == 1 and levels != {"county"} and levels <= set(PANEL_ZH):
            (level,) = levels
            notes.append(f"这是{PANEL_ZH[level]}：校验、导入时加 --kind {level} / a {level} "
                         f"panel: validate and ingest it with --kind {level}")
    for note in notes:
        print(f"注意 / note: {note}", file=sys.stderr)
    print(summary, file=sys.stderr)
    if args.out is None:
        out.to_csv(sys.stdout, index=False)
        sys.stdout.flush()
        return 0
    with atomic_path(args.out, overwrite=args.force) as tmp:
        out.to_csv(tmp, index=False, encoding="utf-8-sig")
    print(args.out)
    return 0


def _cmd_places(args: argparse.Namespace) -> int:
    from linkage.places.files import code_file

    vintage = int(args.vintage) if args.vintage and args.vintage.isdigit() else args.vintage
    sheet = int(args.sheet) if args.sheet and args.sheet.isdigit() else args.sheet
    result = code_file(args.file, province=args.province, prefecture=args.prefecture,
                       county=args.county, vintage=vintage, sheet=sheet, out=args.out,
                       overwrite=args.force)
    print(result.summary())
    return 0 if result.ok else InputError.exit_code


def _policy_corpus(args: argparse.Namespace) -> Any:
    """The corpus of ``args.folder`` (empty: the bundled sample) under the chosen scheme, with a
    filled coding sheet read back when ``--sheet`` is given."""
    from linkage.synergy.corpus import load_sample_corpus
    from linkage.synergy.scheme import load_scheme

    scheme = load_scheme(args.scheme, framework=args.framework)
    corpus = load_sample_corpus(args.folder, scheme=scheme)
    if getattr(args, "sheet", None):
        from linkage.synergy.sheet import read_coding_sheet

        corpus = read_coding_sheet(args.sheet, corpus)
    return corpus


def _cmd_policy_check(args: argparse.Namespace) -> int:
    corpus = _policy_corpus(args)
    print(corpus.summary().to_string())
    coded = int(corpus.codes.notna().all(axis=1).sum())
    print(f"全部编码已确认的文件 {coded} 件 / fully coded documents; PMC 评分项 "
          f"{len(corpus.pmc_items)} 件 / with PMC items; 编码方案 {corpus.scheme.id} "
          f"({len(corpus.scheme.goal_ids)} 个目标、{len(corpus.scheme.instrument_ids)} 种工具)")
    return 0


def _cmd_policy_sheet(args: argparse.Namespace) -> int:
    from linkage.synergy.sheet import write_coding_sheet
    from linkage.synergy.text import apply_precoding

    corpus = _policy_corpus(args)
    if not args.no_precode and len(corpus.texts):
        corpus = apply_precoding(corpus)
    out = write_coding_sheet(corpus, args.out, overwrite=args.force)
    n_auto = int(corpus.auto_codes.notna().any(axis=1).sum())
    print(f"已写出编码表 / coding sheet written: {out}（{len(corpus)} 件文件，其中 {n_auto} 件附"
          "词典预编码，供审阅 / with dictionary pre-codes to review）")
    return 0


def _cmd_policy_pmc(args: argparse.Namespace) -> int:
    from linkage.escaping import write_table
    from linkage.synergy.pmc import parse_bands, pmc_index, pmc_report_table

    corpus = _policy_corpus(args)
    if corpus.pmc_items.empty:
        raise InputError("文本库没有 PMC 评分项（pmc_items）/ no PMC items in the corpus",
                         file=args.folder or None,
                         hint="在文件夹中加入 pmc_items.csv：doc_id 与 X1.1 … 各列 0/1")
    table = pmc_index(corpus.pmc_items, bands=parse_bands(args.bands) if args.bands else None)
    names = corpus.documents["title"].to_dict()
    report = pmc_report_table(table, names=names)
    if args.out:
        print(f"已写出 / written: {write_table(report, args.out, overwrite=args.force)}")
    else:
        print(report.to_string(index=False))
    return 0


def _cmd_policy_agreement(args: argparse.Namespace) -> int:
    from linkage.synergy.text import agreement_report_table, apply_precoding, coding_agreement

    corpus = apply_precoding(_policy_corpus(args))
    table = agreement_report_table(coding_agreement(corpus, weights=args.weights),
                                   corpus.scheme)
    print(table.round(3).to_string(index=False))
    return 0


# --- linkage lab / linkage teach (issue 8/8: teaching seminars) -----------------------------
def _cmd_lab(args: argparse.Namespace) -> int:
    from linkage.teaching.kernel import ensure_kernel, run_lab

    if args.kernel_only:
        print(f"内核 linkage 已注册 / kernel registered: {ensure_kernel()}")
        return 0
    return run_lab(port=args.port, browser=not args.no_browser)


def _cmd_teach(args: argparse.Namespace) -> int:
    import time

    from linkage.teaching import outputs
    from linkage.teaching.catalog import catalog_frame, list_notebooks

    start = time.perf_counter()
    if args.teach == "list":
        notebooks = list_notebooks()
        if not notebooks:
            print("notebooks/teaching/ 中还没有教学笔记本 / no teaching notebooks yet")
            return 0
        for row in catalog_frame(notebooks).itertuples(index=False):
            print(f"{row[0]:>2}  {row[1]}（约 {row[2]} 分钟）")
            for goal in row[3].split("；"):
                print(f"      · {goal}")
        return 0
    if args.teach == "handout":
        result = outputs.write_handout(args.number, args.out, pdf=args.pdf,
                                       overwrite=args.force)
        for ref in result.untitled:
            print(f"注意 / note: 图 {ref.number} 没有标题（在画图单元格的元数据中加 \"figure\"）"
                  " / untitled figure", file=sys.stderr)
        written = [result.html] + ([result.pdf] if result.pdf else [])
    elif args.teach == "slides":
        written = [outputs.write_slides(args.number, args.out, overwrite=args.force)]
    else:
        result = outputs.write_pack(args.out, overwrite=args.force,
                                    progress=lambda line: print(line, file=sys.stderr))
        written = [result.path]
    for path in written:
        print(path)
    print(f"用时 / took {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


def _force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", "--overwrite", dest="force", action="store_true",
                        help="替换已有的输出 / replace existing outputs")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="linkage", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"linkage {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="出错时显示完整回溯 / show full traceback on errors")
    sub = parser.add_subparsers(dest="command", metavar="<命令 command>")

    p = sub.add_parser("demo", help="用内置模拟数据生成示范报告（一个县的完整报告与三个地区的批次）"
                                    " / flagship reports on the bundled sample")
    p.add_argument("--out", type=Path, help="报告上级目录 (默认 reports/) / parent folder")
    p.add_argument("--quiet", action="store_true", help="不显示进度条 / no progress bar")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("run", help="按运行配置批量生成地区报告 / region reports from a run "
                                   "config (batch)",
                       description="按运行配置为每个地区生成报告，写出索引、汇总报告与指标表。"
                                   "退出码：0 全部成功，1 部分地区失败，2 配置或输入有误 / "
                                   "one report per region of a run config; exit 0 all ok, "
                                   "1 some regions failed, 2 bad config or input")
    p.add_argument("config", type=Path, help="运行配置 YAML / run config (configs/sample.yaml)")
    p.add_argument("--regions", metavar="CODE,CODE…",
                   help="只运行这些地区（区划代码，逗号分隔）/ only these regions")
    p.add_argument("--sections", metavar="KEY,KEY…",
                   help="只含这些章节 / only these sections (overview, linkage, consolidation, "
                        "extension, policy_effects)")
    p.add_argument("--formats", metavar="html,docx,pdf", help="输出格式 / output formats")
    p.add_argument("--executor", metavar="local|warm|dask", help="执行器 / executor")
    p.add_argument("--workers", type=int, metavar="N", help="并行数 / workers")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask 调度器地址 / Dask scheduler address (tcp://host:8786)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="运行目录的上级目录 / parent folder of the run folder")
    p.add_argument("--dry-run", action="store_true",
                   help="只检查并列出将运行的地区，不执行、不写出 / check and list, run nothing")
    p.add_argument("--retry-failed", type=Path, metavar="RUN_DIR",
                   help="只重跑该运行目录中失败的地区 / rerun only the failed regions of a run")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--quiet", action="store_true",
                       help="无进度条，只报告失败（stderr）/ no progress bar, failures only")
    shown.add_argument("--jsonl", action="store_true",
                       help="每个事件一行 JSON（stdout），供 cron/CI / one JSON line per event")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("report", help="执行报告笔记本 / execute report notebooks")
    p.add_argument("notebooks", nargs="*",
                   help="笔记本名称或前缀 (默认示范报告) / notebook names or prefixes")
    p.add_argument("-p", "--param", nargs=2, action="append", default=[],
                   metavar=("KEY", "VALUE"),
                   help="报告参数，按笔记本声明的类型转换 / notebook parameter, converted to "
                        "the type the notebook declares (e.g. -p region_code 011000)")
    p.add_argument("--out", type=Path, help="报告上级目录 / parent folder (default reports/)")
    p.add_argument("--run-id", help="运行目录名 / run folder name")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("sample", help="生成模拟省份数据 / generate the simulated province")
    p.add_argument("--counties", type=int, default=120, help="县数 / counties (default 120)")
    p.add_argument("--households", type=int, default=20000,
                   help="监测农户数 / households (default 20000)")
    p.add_argument("--seed", type=int, default=20211, help="随机种子 / seed")
    p.add_argument("--out", type=Path,
                   help="输出目录 (默认 data/processed/sample) / output folder")
    _force_option(p)
    p.set_defaults(func=_cmd_sample)

    for name, func, text in (
        ("ingest", _cmd_ingest, "校验并写入 data/processed / validate and store as Parquet"),
        ("validate", _cmd_validate, "只校验、不写出 / validate only, write nothing"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("file", type=Path, help="CSV / xlsx / xls / dta 文件 / input file")
        p.add_argument("--kind", choices=["county", "prefecture", "province", "household"],
                       default="county",
                       help="数据类型：县域面板（默认）、地级面板、省级面板或农户监测 / county "
                            "panel (default), prefecture or province panel, or household "
                            "data")
        p.add_argument("--mapping", type=Path,
                       help="列名映射 YAML/CSV / column mapping file")
        p.add_argument("--sheet", help="工作表名称或序号 / sheet name or 0-based index")
        p.add_argument("--framework", type=Path, help="指标体系 YAML / framework file")
        p.add_argument("--regions", type=Path,
                       help="区划代码表 (含 region_code 列) / table of valid region codes")
        p.add_argument("--encoding",
                       help="CSV 文本编码，自动检测失败时使用，如 gb18030 / text encoding of a "
                            "CSV when detection fails")
        p.add_argument("--allow-extra", action="store_true",
                       help="保留无法识别的列，而不是报错 / keep unrecognised columns")
        p.add_argument("--problems", type=Path, metavar="FILE",
                       help="把全部问题写入 .csv 或 .xlsx / write every problem to FILE")
        if name == "ingest":
            p.add_argument("--out", type=Path,
                           help="输出目录 (默认 data/processed) / output folder")
            p.add_argument("--name", help="输出名称 (普通名称，不含 / ) / output name")
        _force_option(p)
        p.set_defaults(func=func)

    p = sub.add_parser("yearbook", help="读取统计年鉴表格（续表、多行表头、加密文件）为长表或"
                                        "面板 / read a yearbook table into long form or a panel")
    p.add_argument("file", type=Path, help="年鉴表格 xlsx/xls/csv / yearbook table")
    p.add_argument("-o", "--out", type=Path,
                   help="输出 CSV（UTF-8 带 BOM；省略则写到标准输出）/ output CSV (default stdout)")
    p.add_argument("--sheet", help="只读该工作表（名称或序号；默认全部）/ only this sheet")
    p.add_argument("--password", help="工作簿的打开密码（Excel 默认只读密码无需提供）/ "
                                      "password of an encrypted workbook")
    p.add_argument("--region", help="没有地区列的表（指标或年份按行排列）所属地区，如 河北 / "
                                    "region of a table without a region column")
    p.add_argument("--to-panel", action="store_true",
                   help="按 --mapping 输出 linkage ingest 可导入的面板 / write the panel "
                        "that linkage ingest accepts")
    p.add_argument("--listing", action="store_true",
                   help="按节排列的名单（如 832 个贫困县名单）：节标题成列，拆分“、”分隔的单元格 / "
                        "a list laid out by section")
    p.add_argument("--mapping", type=Path,
                   help="年鉴指标 → 指标 id 的映射 YAML/CSV / indicator mapping")
    _force_option(p)
    p.set_defaults(func=_cmd_yearbook)

    p = sub.add_parser("template", help="生成 Excel 填报模板 / write the Excel entry template")
    p.add_argument("-o", "--out", type=Path, default=Path("linkage_数据填报模板.xlsx"),
                   help="输出文件 / output .xlsx")
    p.add_argument("--framework", type=Path, help="指标体系 YAML / framework file")
    _force_option(p)
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("framework", help="检查并显示指标体系 / check and show a framework")
    p.add_argument("file", nargs="?", type=Path, help="YAML (默认内置) / file (default built-in)")
    p.add_argument("--list", action="store_true", help="列出全部指标 / list all indicators")
    p.set_defaults(func=_cmd_framework)

    p = sub.add_parser("provenance", help="显示导入文件的来源记录 / show the provenance of an "
                                          "ingested Parquet file")
    p.add_argument("file", type=Path, help="linkage ingest 写出的 .parquet / ingested file")
    p.set_defaults(func=_cmd_provenance)

    # --- linkage places (issue 6/8, part 1) ---
    p = sub.add_parser("places", help="给文件中的地名加区划代码 / add 6-digit region codes to "
                                      "a file of place names",
                       description="按省份、地级市、区县名称查民政部区划代码，写出加了 "
                                   "region_code 与 region_match 列的副本，并列出未匹配或有歧义"
                                   "的行。退出码：0 全部匹配，2 有行未得到代码 / resolve place "
                                   "names to codes; exit 0 all resolved, 2 some rows without a "
                                   "code")
    p.add_argument("file", type=Path, help="CSV / xlsx / xls / dta 文件 / input file")
    p.add_argument("--province", metavar="COL", help="省份名称所在列 / province column")
    p.add_argument("--prefecture", metavar="COL", help="地级市名称所在列 / prefecture column")
    p.add_argument("--county", metavar="COL", help="区县名称所在列 / county column")
    p.add_argument("--vintage", metavar="YEAR|COL",
                   help="按哪一年年末的代码，或年份所在列 / year of the codes, or a year column")
    p.add_argument("--sheet", help="工作表名称或序号 / sheet name or 0-based index")
    p.add_argument("-o", "--out", type=Path,
                   help="输出 .csv 或 .xlsx（默认 <文件名>_coded.csv）/ output file")
    _force_option(p)
    p.set_defaults(func=_cmd_places)

    p = sub.add_parser("policy", help="政策文本库：检查、编码表、PMC 指数、编码一致性 / policy "
                                      "corpus: check, coding sheet, PMC index, agreement")
    policy = p.add_subparsers(dest="policy_command", metavar="<子命令 subcommand>",
                              required=True)

    def corpus_options(q: argparse.ArgumentParser) -> None:
        q.add_argument("folder", nargs="?", default=None, type=Path,
                       help="政策文本库文件夹（policy_documents.csv|xlsx，可选 policy_codes、"
                            "pmc_items、texts/）；省略为内置样本 / corpus folder (default: the "
                            "bundled sample)")
        q.add_argument("--scheme", type=Path, help="编码方案 YAML（默认内置）/ coding scheme")
        q.add_argument("--framework", type=Path, help="指标体系 YAML（默认内置）/ framework")

    q = policy.add_parser("check", help="校验文本库（与编码表）并概览 / validate and summarise")
    corpus_options(q)
    q.add_argument("--sheet", type=Path, help="填好的编码表 .xlsx/.csv / filled coding sheet")
    q.set_defaults(func=_cmd_policy_check)

    q = policy.add_parser("sheet", help="导出 Excel 编码表（附词典预编码）/ export a coding "
                                        "sheet with dictionary pre-codes")
    corpus_options(q)
    q.add_argument("-o", "--out", type=Path, required=True, help="编码表 .xlsx 或 .csv / output")
    q.add_argument("--no-precode", action="store_true",
                   help="不做词典预编码 / no dictionary pre-codes")
    _force_option(q)
    q.set_defaults(func=_cmd_policy_sheet)

    q = policy.add_parser("pmc", help="PMC 指数评价表 / PMC index table")
    corpus_options(q)
    q.add_argument("--sheet", type=Path, help="填好的编码表 / filled coding sheet")
    q.add_argument("--bands", help="等级区间，如 9:完美,7:优秀,5:可接受,0:不良（十个一级变量时"
                                   "为默认）/ grade bands")
    q.add_argument("-o", "--out", type=Path, help="写成 .csv 或 .xlsx（默认打印）/ output")
    _force_option(q)
    q.set_defaults(func=_cmd_policy_pmc)

    q = policy.add_parser("agreement", help="词典预编码与确认编码的一致性（Cohen κ）/ kappa of "
                                            "pre-codes against confirmed codes")
    corpus_options(q)
    q.add_argument("--sheet", type=Path, help="填好的编码表 / filled coding sheet")
    q.add_argument("--weights", choices=("linear", "quadratic"),
                   help="加权 κ（Cohen 1968）/ weighted kappa")
    q.set_defaults(func=_cmd_policy_agreement)

    p = sub.add_parser("datasets", help="真实参考数据表 / real reference tables")
    p.add_argument("name", nargs="?", help="表名 / table name")
    p.set_defaults(func=_cmd_datasets)

    # --- linkage lab / linkage teach (issue 8/8) ---
    p = sub.add_parser("lab", help="注册内核 linkage 并打开 JupyterLab（离线）/ register the "
                                   "kernel and open JupyterLab on notebooks/ (offline)")
    p.add_argument("--port", type=int, help="端口 / port (default 8888 or the next free)")
    p.add_argument("--no-browser", action="store_true", help="不打开浏览器 / no browser")
    p.add_argument("--kernel-only", action="store_true",
                   help="只注册内核后退出 / register the kernel and exit")
    p.set_defaults(func=_cmd_lab)

    p = sub.add_parser("teach", help="教学材料：列表、讲义、幻灯片、课堂包 / teaching material",
                       description="教学笔记本（notebooks/teaching/）的讲义、幻灯片与离线课堂包；"
                                   "默认写到 reports/teaching/ / handouts, slides and the "
                                   "classroom pack of the teaching notebooks")
    teach = p.add_subparsers(dest="teach", metavar="<list|handout|slides|pack>", required=True)
    teach.add_parser("list", help="列出教学笔记本、学习目标与时长 / list the notebooks")
    q = teach.add_parser("handout", help="执行第 N 讲并生成可打印讲义 / printable handout")
    q.add_argument("number", type=int, metavar="N", help="第几讲 / notebook number")
    q.add_argument("-o", "--out", type=Path, help="输出 .html / output file")
    q.add_argument("--pdf", action="store_true", help="同时生成 PDF / also a PDF")
    _force_option(q)
    q = teach.add_parser("slides", help="执行第 N 讲并生成 reveal.js 幻灯片 / reveal.js slides")
    q.add_argument("number", type=int, metavar="N", help="第几讲 / notebook number")
    q.add_argument("-o", "--out", type=Path, help="输出 .html / output file")
    _force_option(q)
    q = teach.add_parser("pack", help="离线课堂包（笔记本、答案、数据、字体、讲义、幻灯片）/ "
                                      "classroom zip for a room without the internet")
    q.add_argument("-o", "--out", type=Path, help="输出 .zip / output file")
    _force_option(q)
    p.set_defaults(func=_cmd_teach)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``linkage`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from linkage.privacy import redact

    try:
        return args.func(args)
    except LinkageError as exc:
        if args.debug:
            raise
        message = getattr(exc, "message", str(exc))
        print(f"linkage: 错误 / error: {redact(' '.join(str(message).split()))}",
              file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("linkage: 已中断 / interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output (head, less) stopped early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: say so in one line; --debug shows the traceback
        if args.debug:
            raise
        text = redact(" ".join(f"{type(exc).__name__}: {exc}".split()))[:500]
        print(f"linkage: 内部错误 / internal error: {text} — 这是 linkage 的缺陷，请加 --debug "
              "重跑并按 docs/security.md 报告 / a bug: rerun with --debug and report it",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
