"""The kit's error hierarchy: one-line messages that say where and what to do."""

import pytest

from linkage.errors import (
    DataValidationError,
    EncodingDetectionError,
    FrameworkError,
    InputError,
    LinkageError,
    OutputError,
    ReportError,
)


def test_input_errors_are_linkage_errors_with_exit_code_2():
    for cls in (InputError, EncodingDetectionError, FrameworkError, DataValidationError,
                OutputError):
        assert issubclass(cls, LinkageError)
        assert cls("x").exit_code == 2
    assert ReportError("x").exit_code == 1


def test_message_names_file_row_column_and_hint_on_one_line():
    err = InputError("收入为负 / negative income", file="data/raw/x.csv", row=7,
                     column="income_wage", hint="检查该单元格\n后重试")
    msg = str(err)
    assert "\n" not in msg
    for part in ("data/raw/x.csv", "第 7 行", "income_wage", "收入为负", "检查该单元格 后重试"):
        assert part in msg


def test_message_without_location_is_just_the_problem():
    assert str(InputError("坏 / bad")) == "坏 / bad"


def test_errors_can_be_caught_by_base_class():
    with pytest.raises(LinkageError):
        raise FrameworkError("bad yaml", file="f.yaml", row=3, column="weight")
