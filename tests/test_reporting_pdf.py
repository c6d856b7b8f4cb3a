"""PDF from the HTML report: a headless browser when one is on PATH, else WeasyPrint, else one
clear warning and no PDF (the run goes on)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import time
import zlib
from pathlib import Path

import pytest
from reporting_samples import document

from linkage.reporting.html import render_html
from linkage.reporting.pdf import NoPDFRendererWarning, find_browser, write_pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "报告.html"
    path.write_text(render_html(document("zh").assemble()), encoding="utf-8")
    return path


def _fake_browser(folder: Path, body: str) -> Path:
    """A stand-in ``chromium`` on an otherwise empty PATH, logging its arguments."""
    folder.mkdir(exist_ok=True)
    script = folder / "chromium"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{folder / "args.log"}"\n'
                      'for a in "$@"; do case "$a" in\n'
                      '  --print-to-pdf=*) out="${a#--print-to-pdf=}";;\n'
                      '  --user-data-dir=*) profile="${a#--user-data-dir=}";;\n'
                      "esac; done\n" + body, encoding="utf-8")
    script.chmod(0o755)
    return folder


class TestNoRenderer:
    def test_one_clear_warning_and_no_file(self, report, tmp_path, monkeypatch):
        monkeypatch.setenv("PATH", str(tmp_path / "empty"))
        monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails
        assert find_browser() is None
        with pytest.warns(NoPDFRendererWarning) as caught:
            assert write_pdf(report, tmp_path / "out" / "报告.pdf") is None
        assert len(caught) == 1
        message = str(caught[0].message)
        assert "没有可用的 PDF 渲染器" in message and "no PDF renderer installed" in message
        assert "apt-get install chromium" in message and "pip install weasyprint" in message
        assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


class TestBrowser:
    def test_headless_print_with_a_throwaway_profile(self, report, tmp_path, monkeypatch):
        bin_dir = _fake_browser(tmp_path / "bin", 'test -d "$profile" || exit 3\n'
                                                  'printf "%%PDF-1.4 fake\\n" > "$out"\n')
        monkeypatch.setenv("PATH", str(bin_dir))
        target = tmp_path / "out" / "报告.pdf"
        assert write_pdf(report, target) == target
        assert target.read_bytes().startswith(b"%PDF")
        args = (bin_dir / "args.log").read_text(encoding="utf-8").splitlines()
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"):
            assert flag in args
        assert args[-1] == report.resolve().as_uri()
        profile = next(a for a in args if a.startswith("--user-data-dir="))
        assert not Path(profile.split("=", 1)[1]).exists()  # thrown away afterwards
        assert sorted(p.name for p in target.parent.iterdir()) == ["报告.pdf"]

    def test_a_failing_browser_warns_and_keeps_the_earlier_pdf(self, report, tmp_path,
                                                                 monkeypatch):
        monkeypatch.setenv("PATH", str(_fake_browser(tmp_path / "bin",
                                                     'echo "GPU process crashed" >&2\nexit 7\n')))
        target = tmp_path / "报告.pdf"
        target.write_bytes(b"%PDF earlier")
        with pytest.warns(NoPDFRendererWarning, match="exit code 7.*GPU process crashed"):
            assert write_pdf(report, target) is None
        assert target.read_bytes() == b"%PDF earlier"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "报告.pdf"]

    def test_a_hanging_browser_is_stopped_with_its_children(self, report, tmp_path,
                                                            monkeypatch):
        sleep = shutil.which("sleep")
        monkeypatch.setenv("PATH", str(_fake_browser(tmp_path / "bin",
                                                     f"{sleep} 60 &\nwait\n")))
        started = time.monotonic()
        with pytest.warns(NoPDFRendererWarning, match="timed out"):
            assert write_pdf(report, tmp_path / "报告.pdf", timeout=1) is None
        assert time.monotonic() - started < 10
        assert not (tmp_path / "报告.pdf").exists()


def _pages(pdf: bytes) -> int:
    """Page objects in a PDF, also inside compressed object streams."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:  # an image or font stream
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", part)) for part in parts)


@pytest.mark.skipif(find_browser() is None, reason="no chromium/chrome on PATH")
def test_real_browser_prints_every_part_on_its_own_pages(report, tmp_path):
    pdf = write_pdf(report, tmp_path / "报告.pdf")
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    assert _pages(pdf.read_bytes()) >= 8


@pytest.mark.skipif(importlib.util.find_spec("weasyprint") is None,
                    reason="WeasyPrint not installed")
def test_weasyprint_prints_every_part_on_its_own_pages(report, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no browser: WeasyPrint is used
    pdf = write_pdf(report, tmp_path / "报告.pdf")
    assert pdf is not None
    data = pdf.read_bytes()
    # cover, summary, contents, the chapters (one wide table on a landscape page of its own),
    # the appendix: methods, tables and figures, provenance record, each from a new page
    assert data.startswith(b"%PDF") and _pages(data) >= 8
