"""Hostile-input harness (对抗性输入测试): a sandbox project and the guarantees checked after a run.

Every case runs the ``linkage`` command in-process inside a throw-away copy of the project
(``LINKAGE_HOME`` points at it, the working directory is its root), so a regression can never
touch the real ``data/raw``. After the run the harness checks what the kit promises whatever the
input: no traceback, the expected exit code and message, ``data/raw`` and the inputs byte-identical,
no new file outside the case's output folder, no raw identifier in stdout, stderr, logs or any
file written, no live tag from data in HTML, no formula cell in a written workbook.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: Marker carried by every script-injection payload; it may appear in HTML only as text.
XSS_MARK = "LINKAGE_XSS"


@dataclass
class Run:
    """What one command run did."""

    code: int
    out: str
    err: str
    logs: str
    raised: BaseException | None
    before: dict[str, str]
    after: dict[str, str]
    root: Path

    @property
    def text(self) -> str:
        return "\n".join((self.out, self.err, self.logs))

    @property
    def new_or_changed(self) -> list[str]:
        return sorted(p for p, h in self.after.items() if self.before.get(p) != h)

    @property
    def removed(self) -> list[str]:
        return sorted(set(self.before) - set(self.after))


def _tree(root: Path) -> dict[str, str]:
    """relative path -> SHA-256 of every file under ``root`` (lock files excluded: not data)."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.endswith(".lock"):
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="session")
def pristine(tmp_path_factory) -> Path:
    """A copy of the project's data/raw, notebooks and pyproject.toml (made once)."""
    root = tmp_path_factory.mktemp("pristine")
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


@dataclass
class Sandbox:
    """A throw-away project folder; ``run(*argv)`` runs ``linkage`` in it."""

    root: Path
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]
    caplog: pytest.LogCaptureFixture
    env: dict[str, str] = field(default_factory=dict)

    @property
    def inputs(self) -> Path:
        path = self.root / "in"
        path.mkdir(exist_ok=True)
        return path

    def run(self, *argv: str | os.PathLike[str]) -> Run:
        from linkage.cli import main

        before = _tree(self.root)
        self.capsys.readouterr()
        self.caplog.clear()
        raised: BaseException | None = None
        with self.monkeypatch.context() as m:
            m.chdir(self.root)
            m.setenv("LINKAGE_HOME", str(self.root))
            m.delenv("LINKAGE_SALT", raising=False)
            m.delenv("LINKAGE_SALT_FILE", raising=False)
            for key, value in self.env.items():
                m.setenv(key, value)
            with self.caplog.at_level(logging.DEBUG):
                try:
                    code = main([str(a) for a in argv])
                except SystemExit as exc:  # argparse usage errors
                    code = exc.code if isinstance(exc.code, int) else 2
                except BaseException as exc:  # a traceback the user would see
                    raised, code = exc, 1
        captured = self.capsys.readouterr()
        logs = "\n".join(r.getMessage() for r in self.caplog.records)
        return Run(code, captured.out, captured.err, logs, raised, before, _tree(self.root),
                   self.root)


@pytest.fixture
def sandbox(pristine, tmp_path, monkeypatch, capsys, caplog) -> Sandbox:
    root = tmp_path / "project"
    shutil.copytree(pristine, root)
    return Sandbox(root, monkeypatch, capsys, caplog)


# --- guarantees -----------------------------------------------------------------------------
def _normalised(text: str) -> str:
    """NFKC, no whitespace, upper case: how an identifier is searched for in output."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def file_text(path: Path) -> str:
    """Everything a file says: Parquet data and metadata as text, else the decoded bytes."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        meta = {k.decode(): v.decode("utf-8", "replace")
                for k, v in (table.schema.metadata or {}).items()}
        return table.to_pandas().to_csv() + repr(meta)
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        return "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows()
                         for c in row if c.value is not None)
    return path.read_bytes().decode("utf-8", "replace")


class _TagAudit(HTMLParser):
    """Collect the tags whose attributes carry data (the XSS marker) where it could act — any
    attribute but the inert text ones (``alt``, ``title``, ``aria-label``: escaped text there is
    shown, never run) — event handlers with data, and ``javascript:`` links."""

    INERT = frozenset({"alt", "title", "aria-label"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        self._script = tag in ("script", "style")
        for name, value in attrs:
            value = value or ""
            if (XSS_MARK in value and name not in self.INERT) \
                    or value.strip().lower().startswith("javascript:"):
                self.live.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script and XSS_MARK in data:
            self.live.append(f"script containing {XSS_MARK}")


def live_tags(html: str) -> list[str]:
    audit = _TagAudit()
    audit.feed(html)
    return audit.live


def formula_cells(path: Path) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(path)  # formulas as written, not cached values
    return [f"{ws.title}!{c.coordinate}" for ws in book.worksheets for row in ws.iter_rows()
            for c in row if c.data_type == "f"]


def check_guarantees(run: Run, *, code: int | Iterable[int],
                     message: str | tuple[str, ...] | None = None,
                     out: str | None = None, secrets: Iterable[str] = (),
                     one_line: bool | None = None) -> None:
    """Assert what the kit promises after any run (see module docstring)."""
    assert run.raised is None, f"traceback: {type(run.raised).__name__}: {run.raised}"
    assert "Traceback" not in run.err
    codes = {code} if isinstance(code, int) else set(code)
    assert run.code in codes, (run.code, run.out[-2000:], run.err[-2000:])
    for fragment in (message,) if isinstance(message, str) else message or ():
        assert fragment in run.text, (fragment, run.text[-3000:])
    if one_line if one_line is not None else run.code not in (0,) and not run.out:
        assert len(run.err.strip().splitlines()) == 1, run.err
    changed = run.new_or_changed
    raw = [p for p in changed + run.removed if p.startswith(("data/raw/", "in/"))]
    assert not raw, f"data/raw or an input changed: {raw}"
    allowed = f"{out.strip('/')}/" if out else None
    outside = [p for p in changed if allowed is None or not p.startswith(allowed)]
    assert not outside, f"written outside the output folder {out!r}: {outside}"
    written = [run.root / p for p in changed]
    for secret in map(_normalised, secrets):
        assert secret not in _normalised(run.text), f"identifier echoed: {secret}"
        for path in written:
            assert secret not in _normalised(file_text(path)), f"identifier in {path.name}"
    for path in written:
        if path.suffix == ".html":
            assert not live_tags(path.read_text(encoding="utf-8")), live_tags(
                path.read_text(encoding="utf-8"))[:3]
        if path.suffix == ".xlsx":
            assert not formula_cells(path), formula_cells(path)[:5]


#: Type of a corpus builder: writes the case's input files into the sandbox, returns argv.
Builder = Callable[[Sandbox], list[str]]
