"""Atomic writes: complete or nothing, earlier results intact."""

import pytest

from linkage.atomic import allow_raw_writes, atomic_dir, atomic_path, atomic_write_text
from linkage.errors import OutputError


def test_atomic_path_replaces_target_on_success(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with atomic_path(target) as tmp:
        tmp.write_text("new")
        assert target.read_text() == "old"  # not visible before completion
    assert target.read_text() == "new"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_path_failure_keeps_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_write_text_is_utf8(tmp_path):
    path = atomic_write_text(tmp_path / "a" / "中文.txt", "乡村振兴")
    assert path.read_bytes() == "乡村振兴".encode()


def test_atomic_dir_appears_only_on_success(tmp_path):
    target = tmp_path / "run1"
    with pytest.raises(ValueError), atomic_dir(target) as tmp:
        (tmp / "report.html").write_text("x")
        raise ValueError
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    with atomic_dir(target) as tmp:
        (tmp / "report.html").write_text("x")
    assert (target / "report.html").read_text() == "x"
    with pytest.raises(OutputError, match="exists"), atomic_dir(target):
        pass


@pytest.mark.skipif(__import__("os").name != "posix", reason="POSIX permission bits")
def test_outputs_get_ordinary_permissions_not_private_temp_ones(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        path = atomic_write_text(tmp_path / "x.txt", "x")
        with atomic_dir(tmp_path / "run") as tmp:
            (tmp / "a").write_text("a")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "run").stat().st_mode & 0o777 == 0o755


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A project folder with data/raw holding one input."""
    root = tmp_path / "home"
    (root / "data" / "raw" / "sample").mkdir(parents=True)
    (root / "data" / "raw" / "sample" / "x.csv").write_text("keep", encoding="utf-8")
    monkeypatch.setenv("LINKAGE_HOME", str(root))
    return root


@pytest.mark.parametrize("where", ["data/raw/new.txt", "data/raw/sample/x.csv",
                                   "data/raw/sample/../sample/y.txt", "data/raw"])
def test_nothing_is_written_inside_data_raw(home, where):
    target = home / where
    with pytest.raises(OutputError, match="data/raw"), atomic_path(target) as tmp:
        tmp.write_text("x")
    with pytest.raises(OutputError, match="data/raw"), atomic_dir(home / "data/raw/run"):
        pass
    assert (home / "data/raw/sample/x.csv").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in (home / "data" / "raw").rglob("*")) == ["sample", "x.csv"]


def test_data_raw_through_a_symlink_is_still_data_raw(home, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(home / "data" / "raw")
    with pytest.raises(OutputError), atomic_path(link / "y.txt") as tmp:
        tmp.write_text("x")


def test_regenerating_the_bundled_sample_is_an_explicit_exception(home):
    with allow_raw_writes():
        atomic_write_text(home / "data/raw/sample/x.csv", "new")
    assert (home / "data/raw/sample/x.csv").read_text(encoding="utf-8") == "new"
    with pytest.raises(OutputError):
        atomic_write_text(home / "data/raw/sample/x.csv", "again")


def test_existing_target_refused_without_overwrite(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(OutputError, match="--force"), atomic_path(target, overwrite=False):
        pass
    assert target.read_text() == "old"


def test_os_errors_become_one_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="file") as info, \
            atomic_path(blocker / "sub" / "out.txt") as tmp:
        tmp.write_text("x")
    assert "\n" not in str(info.value)
    with pytest.raises(OutputError, match="文件夹"), atomic_path(tmp_path) as tmp:
        pass


def test_lock_sweeps_only_this_targets_leftovers(tmp_path):
    target = tmp_path / "out.parquet"
    mine = tmp_path / ".out.parquet.k1.tmp"
    other = tmp_path / ".other.parquet.k2.tmp"
    mine.write_text("half")
    other.write_text("half")
    with atomic_path(target, lock=True) as tmp:
        tmp.write_text("done")
    assert target.read_text() == "done"
    assert not mine.exists() and other.exists()
