"""The one validator (linkage.checks): options, columns, weights, missing-value rules."""

from __future__ import annotations

import doctest
from typing import Literal

import numpy as np
import pandas as pd
import pytest

import linkage.checks as checks_module
from linkage.checks import (
    Missing,
    check_level,
    check_option,
    check_reps,
    missing_mask,
    person_weights,
    require_columns,
    survey_weights,
)
from linkage.errors import InputError, LinkageError


def test_input_error_is_a_value_error_and_a_kit_error():
    with pytest.raises(ValueError) as caught:
        check_option("missing", "skip", Missing)
    assert isinstance(caught.value, LinkageError)
    assert caught.value.exit_code == 2


def test_check_option_accepts_a_literal_or_a_sequence():
    check_option("kind", "a", Literal["a", "b"])
    check_option("kind", "b", ("a", "b"))
    with pytest.raises(InputError, match="'a', 'b'"):
        check_option("kind", "c", ["a", "b"])


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.1, "0.95"])
def test_check_level_rejects_values_outside_the_unit_interval(level):
    with pytest.raises(InputError, match="level"):
        check_level(level)


@pytest.mark.parametrize("reps", [0, 1, 2.5, True, "999"])
def test_check_reps_rejects_non_integers_and_too_few(reps):
    with pytest.raises(InputError, match="reps"):
        check_reps(reps)


def test_require_columns_names_the_absent_column():
    with pytest.raises(InputError) as caught:
        require_columns(pd.DataFrame({"a": [1]}), ["a", None, "weight"])
    assert caught.value.column == "weight"


def test_named_weight_column_that_is_absent_raises_instead_of_going_unweighted():
    frame = pd.DataFrame({"income": [1.0, 2.0]})
    with pytest.raises(InputError) as caught:
        survey_weights("weight", frame)
    assert caught.value.column == "weight"
    np.testing.assert_array_equal(survey_weights(None, frame), [1.0, 1.0])


def test_survey_weights_must_be_positive_and_present():
    frame = pd.DataFrame({"w": [1.0, 0.0, np.nan]}, index=["h1", "h2", "h3"])
    with pytest.raises(InputError, match="'h3'"):
        survey_weights("w", frame)
    with pytest.raises(InputError, match="'h2'"):
        survey_weights("w", frame.iloc[:2])


def test_person_weights_are_household_weight_times_size():
    frame = pd.DataFrame({"w": [2.0, 3.0], "hh_size": [4, 1]})
    np.testing.assert_array_equal(person_weights(frame, "w"), [8.0, 3.0])
    np.testing.assert_array_equal(person_weights(frame, None), [4.0, 1.0])
    with pytest.raises(InputError, match="hh_size"):
        person_weights(frame.assign(hh_size=[0, 1]), "w")
    with pytest.raises(InputError) as caught:
        person_weights(frame.drop(columns="hh_size"), "w")
    assert caught.value.column == "hh_size"


def test_missing_rule_raise_names_column_and_rows():
    frame = pd.DataFrame({"a": [1.0, np.nan, np.nan], "b": [1, 2, 3]}, index=[10, 11, 12])
    with pytest.raises(InputError) as caught:
        missing_mask(frame, ["b", "a"], "raise")
    assert caught.value.column == "a"
    assert "11, 12" in caught.value.message and "2 个缺失值" in caught.value.message


def test_missing_rule_drop_and_keep_return_the_incomplete_rows():
    frame = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [None, "x", "y"]})
    for rule in ("drop", "keep"):
        np.testing.assert_array_equal(missing_mask(frame, ["a", "b"], rule), [True, True, False])
    with pytest.raises(InputError, match="'raise', 'drop'"):
        missing_mask(frame, ["a"], "keep", allowed=Literal["raise", "drop"])


def test_doctests():
    failed, tried = doctest.testmod(checks_module, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failed == 0
