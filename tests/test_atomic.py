"""Atomic writes: complete or nothing, earlier results intact."""

import pytest

from linkage.atomic import atomic_dir, atomic_path, atomic_write_text


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
    with pytest.raises(FileExistsError), atomic_dir(target):
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
