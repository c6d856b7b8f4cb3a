"""The report as PDF (PDF 报告), printed from its HTML by whatever renderer is installed.

A headless Chromium/Chrome on ``PATH`` prints the HTML exactly as the browser's print preview
(A4, the print stylesheet's page breaks and page numbers, the embedded CJK font); otherwise
WeasyPrint is used when it can be imported. With neither, :func:`write_pdf` warns once with
:class:`NoPDFRendererWarning` saying how to get one and returns ``None``: the HTML and Word
reports are complete without it and the run goes on. A renderer that fails or runs out of time
gives the same kind of warning, with its reason.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import warnings
from os import PathLike
from pathlib import Path
from typing import Literal

from linkage.atomic import atomic_path

__all__ = ["BROWSERS", "NoPDFRendererWarning", "find_browser", "write_pdf"]

#: Executables tried, in order, for a headless browser.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

Engine = Literal["auto", "chromium", "weasyprint"]

HOW_TO = ("安装 Chromium（Debian/Ubuntu：apt-get install chromium）或 WeasyPrint（pip install "
          "weasyprint）后重新运行即可得到 PDF / install Chromium (apt-get install chromium) or "
          "WeasyPrint (pip install weasyprint) to get PDFs")


class NoPDFRendererWarning(UserWarning):
    """No PDF was written: no renderer is installed, or the renderer failed."""


def find_browser() -> str | None:
    """Path of the first headless-capable browser of :data:`BROWSERS` on ``PATH``."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def _weasyprint_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: Pango/Cairo system libraries missing
        return False
    return True


def _chromium(browser: str, html: Path, pdf: Path, timeout: float) -> str | None:
    """Print with a headless browser; the problem as text, or None when the PDF was written."""
    with tempfile.TemporaryDirectory(prefix="linkage-chromium-") as profile:
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--no-default-browser-check", "--disable-extensions",
                   "--no-pdf-header-footer", "--print-to-pdf-no-header",
                   f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", html.as_uri()]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the browser and every helper it started
            process.communicate()
            return f"{Path(browser).name} 超过 {timeout:g} 秒未完成 / timed out"
        if process.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            tail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            return (f"{Path(browser).name} 退出码 {process.returncode} / exit code "
                    f"{process.returncode}: {' | '.join(tail)}")
    return None


def _weasyprint(html: Path, pdf: Path) -> str | None:
    import weasyprint

    try:
        weasyprint.HTML(filename=str(html)).write_pdf(str(pdf))
    except Exception as exc:  # any renderer failure becomes the warning
        return f"WeasyPrint: {type(exc).__name__}: {exc}"
    return None


def write_pdf(html_path: str | PathLike[str], pdf_path: str | PathLike[str], *,
              timeout: float = 180, engine: Engine = "auto") -> Path | None:
    """Print the HTML report to PDF, or say clearly why not.

    Parameters
    ----------
    html_path : path-like
        The self-contained HTML report (:func:`linkage.reporting.html.render_html`).
    pdf_path : path-like
        The PDF to write (atomically: an earlier file stays unless the new one is complete).
    timeout : float
        Seconds the browser may take before it is stopped (with every process it started).
    engine : {"auto", "chromium", "weasyprint"}
        ``"auto"``: a browser of :data:`BROWSERS` on ``PATH``, else WeasyPrint.

    Returns
    -------
    Path or None
        ``pdf_path``, or ``None`` after a :class:`NoPDFRendererWarning` when no renderer is
        installed or it failed.
    """
    html = Path(html_path).resolve()
    browser = find_browser() if engine in ("auto", "chromium") else None
    use_weasy = browser is None and engine in ("auto", "weasyprint") and _weasyprint_available()
    if browser is None and not use_weasy:
        warnings.warn(f"没有可用的 PDF 渲染器，未生成 PDF（HTML 与 Word 报告不受影响）/ no PDF "
                      f"renderer installed, PDF skipped. {HOW_TO}", NoPDFRendererWarning,
                      stacklevel=2)
        return None
    problem: str | None = None
    try:
        with atomic_path(pdf_path) as tmp:
            tmp = Path(tmp)
            problem = _chromium(browser, html, tmp, timeout) if browser else _weasyprint(html, tmp)
            if problem is not None:
                raise _NotWritten
    except _NotWritten:
        warnings.warn(f"PDF 未生成 / PDF not written: {problem}", NoPDFRendererWarning,
                      stacklevel=2)
        return None
    return Path(pdf_path)


class _NotWritten(Exception):
    """Leaves :func:`atomic_path` without renaming a half-written PDF into place."""
