"""Provenance records: hashes, parameters, versions, revision."""

import hashlib
import json

import pytest

from linkage import __version__
from linkage.provenance import file_sha256, git_revision, package_versions, provenance_record


def test_file_sha256_matches_hashlib_across_chunks(tmp_path):
    data = bytes(range(256)) * 10_000
    path = tmp_path / "x.bin"
    path.write_bytes(data)
    assert file_sha256(path, chunk_size=1000) == hashlib.sha256(data).hexdigest()


def test_record_is_json_serialisable_and_complete(tmp_path):
    src = tmp_path / "panel.csv"
    src.write_text("region_code,year\n990101,2020\n", encoding="utf-8")
    record = provenance_record({"panel": src}, {"year": 2020, "region": "990101"},
                               schema_version="1")
    json.dumps(record, ensure_ascii=False)
    assert record["inputs"]["panel"]["sha256"] == file_sha256(src)
    assert record["inputs"]["panel"]["bytes"] == src.stat().st_size
    assert record["parameters"] == {"year": 2020, "region": "990101"}
    assert record["schema_version"] == "1"
    assert record["linkage_version"] == __version__
    assert record["packages"]["pandas"] != "not installed"


def test_package_versions_reports_missing_packages():
    assert package_versions(["surely-not-a-package-xyz"]) == {
        "surely-not-a-package-xyz": "not installed"}


def test_git_revision_outside_a_repository_is_unknown(tmp_path):
    assert git_revision(tmp_path) == "unknown"


def test_read_provenance_refuses_files_without_a_record(tmp_path):
    import pandas as pd

    from linkage.errors import InputError
    from linkage.provenance import read_provenance

    plain = tmp_path / "plain.parquet"
    pd.DataFrame({"x": [1]}).to_parquet(plain)
    with pytest.raises(InputError, match="来源记录"):
        read_provenance(plain)
    text = tmp_path / "x.parquet"
    text.write_text("not parquet", encoding="utf-8")
    with pytest.raises(InputError, match="Parquet"):
        read_provenance(text)
