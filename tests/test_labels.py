"""The one label registry (linkage.labels): one entry per key, both languages filled."""

from __future__ import annotations

import ast
import inspect

import pandas as pd
import pytest

import linkage.labels as labels_module
from linkage.errors import InputError
from linkage.labels import LABELS, is_zh, label, rename_columns


def test_registry_defines_every_key_once():
    # a dict literal keeps the last of two equal keys silently: read the source instead
    tree = ast.parse(inspect.getsource(labels_module))
    (registry,) = [node.value for node in ast.walk(tree) if isinstance(node, ast.AnnAssign)
                   and getattr(node.target, "id", None) == "LABELS"]
    keys = [key.value for key in registry.keys]
    assert sorted({k for k in keys if keys.count(k) > 1}) == []
    assert len(keys) == len(LABELS)


def test_every_label_has_a_chinese_and_an_english_text():
    for key, pair in LABELS.items():
        assert len(pair) == 2 and all(isinstance(t, str) and t.strip() for t in pair), key


def test_rename_columns_uses_the_language_and_leaves_other_columns():
    table = pd.DataFrame(columns=["year", "not_a_key"])
    assert list(rename_columns(table).columns) == [label("year"), "not_a_key"]
    assert list(rename_columns(table, "en").columns) == ["Year", "not_a_key"]


def test_an_unknown_language_is_an_error_not_a_fallback():
    assert is_zh("zh") and not is_zh("en")
    for code in ("fr", "ZH", "", None):
        with pytest.raises(InputError, match="language"):
            label("year", code)
