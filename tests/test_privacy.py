"""Specification of linkage.privacy and its ingest hook: no raw identifier ever leaves ingest."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.cli import main
from linkage.errors import InputError
from linkage.ingest import ingest, validate_file
from linkage.privacy import (
    SALT_ENV,
    SALT_FILE_ENV,
    assert_no_identifiers,
    hash_identifiers,
    load_salt,
    name_like,
    pseudonymise,
    redact,
    scan_for_identifiers,
    valid_id_check_digit,
)
from linkage.provenance import read_provenance
from linkage.sample import load_sample

SALT = "test-salt-0123456789abcdef"
# GB 11643-1999's own example: Σ a_i·W_i over 11010519491231002 = 167; 167 mod 11 = 2 → "X".
ID_A = "11010519491231002X"
# 440524 18800101 001: Σ = 4·7+4·9+0+5·5+2·8+4·4+1·2+8·1+8·6+0+0+1·9+0+1·5+0+0+1·2 = 195
# 195 mod 11 = 8 → "10X98765432"[8] = "4".
ID_B = "440524188001010014"
ID_OLD = "110105491231002"  # 15-digit form: region 110105, born (19)491231, seq 002
MOBILE, LANDLINE = "13912345678", "0871-65123456"


@pytest.fixture
def no_salt(monkeypatch):
    monkeypatch.delenv(SALT_ENV, raising=False)
    monkeypatch.delenv(SALT_FILE_ENV, raising=False)


def test_check_digit_hand_derived():
    got = valid_id_check_digit(pd.Series([ID_A, ID_B, "110105194912310021", "44052418800101001X"]))
    assert got.tolist() == [True, True, False, False]


def test_scan_finds_ids_names_phones_by_heading_and_content():
    t = pd.DataFrame({
        "证件": [ID_A, ID_B, None],  # content, 18-digit, valid
        "户主姓名": ["张三", "李四", "王五"],                  # heading
        "notes": [f"tel {LANDLINE}", "none", MOBILE],        # content
        "old_id": [ID_OLD, None, None],                      # content, 15-digit
        "联系电话": [None, None, None],                       # heading only, all empty
        "income": [13500.0, 12000.0, 9000.0],
        "household_code": ["990102000001", "990102000002", "990102000003"],
    })
    found = scan_for_identifiers(t)
    assert ("证件", "id_card", 2) in found
    assert ("户主姓名", "name", 3) in found
    assert ("notes", "phone", 2) in found
    assert ("old_id", "id_card", 1) in found
    assert ("联系电话", "phone", 0) not in found  # nothing to hide
    assert not [f for f in found if f[0] in ("income", "household_code")]


def test_id_shaped_values_are_ids_whatever_their_check_digit_or_form():
    """A wrong check digit is a typo or Excel's rounding, not a harmless value ([5b/8])."""
    bad_check = "110105194912310021"
    forms = {
        "wrong check digit": [bad_check],
        "full-width": [bad_check.translate(str.maketrans("0123456789", "０１２３４５６７８９"))],
        "spaced": ["110105 19491231 0021"],
        "float stored by Excel": [float(bad_check)],
        "Excel's text of a float": ["1.10105E+17"],
        "15 digits, impossible date": ["110105499931002"],
        "inside text": [f"身份证{bad_check}。"],
    }
    for form, values in forms.items():
        found = scan_for_identifiers(pd.DataFrame({"x": values}))
        assert found == [("x", "id_card", 1)], form


def test_longer_digit_runs_and_codes_are_not_ids():
    t = pd.DataFrame({"code": ["990102000001", "1234567890123456", "99010200000100"]})
    assert scan_for_identifiers(t) == []


def test_name_like_flags_personal_names_not_codes():
    values = pd.Series(["张建国", "王芳", "阿卜杜·热合曼", "H001", "990102000001", "一组3户", None])
    assert name_like(values).tolist() == [True, True, True, False, False, False, False]


def test_redact_masks_long_digit_runs_in_any_form():
    full_width_id = "１１０１０５１９４９１２３１００２Ｘ"
    text = redact(f"身份证 {full_width_id}，手机 138 1234 5678；年份 2021，代码 990102")
    assert "2021" in text and "990102" in text
    assert "1381234" not in text.replace(" ", "") and "１１０１" not in text
    assert text.count("已隐去") == 2


def test_excel_numbers_are_scanned_as_whole_numbers():
    t = pd.DataFrame({"a": [13912345678.0, 1.5]})
    assert scan_for_identifiers(t) == [("a", "phone", 1)]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from([ID_A, ID_B, ID_OLD, "x"]), min_size=1, max_size=8),
       st.text(min_size=16, max_size=40), st.text(min_size=16, max_size=40))
def test_hashing_is_deterministic_per_salt_and_differs_across_salts(values, s1, s2):
    series = pd.Series(values)
    a1 = hash_identifiers(series, s1.encode())
    a2 = hash_identifiers(series, s1.encode())
    pd.testing.assert_series_equal(a1, a2)
    # equal inputs hash equal, different inputs differ
    assert (a1.factorize()[0] == series.factorize()[0]).all()
    if s1 != s2:
        b = hash_identifiers(series, s2.encode())
        assert not (a1 == b).any()
    assert not scan_for_identifiers(a1.to_frame("h"))  # a hash never looks like an identifier


def test_lower_case_x_hashes_like_upper_case():
    h = hash_identifiers(pd.Series([ID_A, ID_A.lower()]), SALT.encode())
    assert h[0] == h[1]


def test_pseudonymise_hashes_ids_and_drops_names_and_phones():
    t = pd.DataFrame({"household_id": [ID_A, ID_B], "身份证号": [ID_B, ID_A],
                      "姓名": ["张三", "李四"], "手机": [MOBILE, MOBILE], "x": [1, 2]})
    p = pseudonymise(t, salt=SALT, keep=("household_id",))
    assert list(p.data.columns) == ["household_id", "id_hash", "x"]
    assert p.data["household_id"].tolist() == p.data["id_hash"].tolist()[::-1]
    assert {a[2] for a in p.actions if a[0] in ("姓名", "手机")} == {"dropped"}
    assert all(ID_A not in note and "张三" not in note for note in p.notes())


def test_salt_required_with_a_helpful_message(no_salt):
    with pytest.raises(InputError, match=SALT_ENV) as err:
        pseudonymise(pd.DataFrame({"身份证号": [ID_A]}))
    assert "secrets.token_hex" in err.value.hint
    # No identifiers → no salt needed.
    assert pseudonymise(pd.DataFrame({"x": [1]})).actions == ()


def test_salt_from_file_and_minimum_length(no_salt, monkeypatch, tmp_path):
    f = tmp_path / "salt"
    f.write_text(SALT + "\n", encoding="utf-8")
    monkeypatch.setenv(SALT_FILE_ENV, str(f))
    assert load_salt() == SALT.encode()
    monkeypatch.setenv(SALT_ENV, "short")
    with pytest.raises(InputError, match="太短"):
        load_salt()


def test_assert_no_identifiers_names_column_not_value():
    with pytest.raises(InputError) as err:
        assert_no_identifiers(pd.DataFrame({"证件": [ID_A]}))
    assert "证件" in str(err.value) and ID_A not in str(err.value)


# --- the ingest hook ---------------------------------------------------------------------------


def _household_file(tmp_path):
    h = load_sample().households.head(10).copy()
    ids = [ID_A, ID_B] * 5
    h["household_id"] = ids  # ID numbers used as the household key (common in 台账)
    h["year"] = list(range(2021, 2026)) * 2
    h["户主身份证号"] = ids
    h["户主姓名"] = ["张三"] * 5 + ["李四"] * 5
    h["联系电话"] = [MOBILE] * 5 + [LANDLINE] * 5
    h["身份证号(旧)"] = [ID_OLD] * 10
    path = tmp_path / "台账.csv"
    h.to_csv(path, index=False, encoding="utf-8")
    return path


RAW = [ID_A, ID_B, ID_OLD, MOBILE, LANDLINE, "张三", "李四", SALT]


def test_cli_ingest_writes_no_raw_identifier_anywhere(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(SALT_ENV, SALT)
    monkeypatch.delenv(SALT_FILE_ENV, raising=False)
    path = _household_file(tmp_path)
    out = tmp_path / "processed"
    assert main(["ingest", str(path), "--kind", "household", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    files = sorted(out.iterdir())
    assert [f.suffix for f in files] == [".lock", ".parquet"]  # provenance is inside
    texts = {f.name: f.read_bytes().decode("latin-1") + f.read_bytes().decode(
        "utf-8", errors="ignore") for f in files}
    texts["stdout"] = printed
    for where, text in texts.items():
        for raw in RAW:
            assert raw not in text, (where, raw)
    data = pd.read_parquet(next(f for f in files if f.suffix == ".parquet"))
    cells = data.astype(str).to_numpy().ravel().tolist() + list(data.columns)
    assert not [c for c in map(str, cells) if any(raw in c for raw in RAW)]
    assert {"id_hash", "id_hash_2"} <= set(data.columns)
    assert not {"户主姓名", "联系电话"} & set(data.columns)
    assert data["household_id"].nunique() == 2  # still links the household across years
    assert scan_for_identifiers(data) == []
    record = read_provenance(next(f for f in files if f.suffix == ".parquet"))
    assert any("户主姓名" in w and "已删除" in w for w in record["warnings"])


def test_ingest_without_salt_fails_and_writes_nothing(tmp_path, no_salt):
    path = _household_file(tmp_path)
    out = tmp_path / "processed"
    with pytest.raises(InputError, match=SALT_ENV):
        ingest(path, kind="household", out_dir=out)
    assert not out.exists() or not list(out.iterdir())


def test_validate_needs_no_salt_and_shows_no_identifier(tmp_path, no_salt):
    report = validate_file(_household_file(tmp_path), kind="household")
    assert report.ok, report.summary()
    for raw in RAW:
        assert raw not in report.summary()


def test_same_salt_links_across_ingests(tmp_path, monkeypatch):
    monkeypatch.setenv(SALT_ENV, SALT)
    path = _household_file(tmp_path)
    a = ingest(path, kind="household", out_dir=tmp_path / "a").data
    b = ingest(path, kind="household", out_dir=tmp_path / "b").data
    assert a["id_hash"].tolist() == b["id_hash"].tolist()
    monkeypatch.setenv(SALT_ENV, SALT[::-1])
    c = ingest(path, kind="household", out_dir=tmp_path / "c").data
    assert not set(a["id_hash"]) & set(c["id_hash"])


def test_byte_grep_would_see_an_identifier_written_to_parquet(tmp_path):
    # control for the grep above: a raw ID written to Parquet is visible in its bytes
    path = tmp_path / "leak.parquet"
    pd.DataFrame({"x": [ID_A, ID_B]}).to_parquet(path)
    text = path.read_bytes().decode("latin-1")
    assert ID_A in text and ID_B in text


def test_redact_keeps_web_addresses_whole_but_masks_digits_beside_them():
    from linkage.privacy import redact

    url = "http://m.dil5h.cn/data/142/2022-01-17/123456789012345.html"
    assert redact(f"镜像：{url}、电话 13812345678") == f"镜像：{url}、电话 [已隐去 / redacted]"
