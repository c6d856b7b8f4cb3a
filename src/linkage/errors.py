"""The kit's exception hierarchy (错误类型).

Every error the kit raises on purpose derives from :class:`LinkageError`. Errors about the
user's input (:class:`InputError` and its subclasses) carry the file, row and column they are
about and a hint saying what to do; the command line turns them into one line on stderr and
exit code 2. Other kit errors exit with code 1.

Row numbers are the ones a user sees when opening the file: 1-based, counting the header row(s)
(so the first data row of a CSV with one header line is row 2). Columns are named as in the file.
"""

from __future__ import annotations

from os import PathLike

__all__ = [
    "DataValidationError",
    "EncodingDetectionError",
    "FrameworkError",
    "InputError",
    "LinkageError",
    "OutputError",
    "ReportError",
]


class LinkageError(Exception):
    """Base class of every error the kit raises on purpose."""

    exit_code: int = 1


class InputError(LinkageError, ValueError):
    """Bad input: a file, a parameter or a value the kit cannot use as given.

    Also a :class:`ValueError`, so code that catches ``ValueError`` (as for numpy, pandas or
    scikit-learn) sees it.

    Parameters
    ----------
    problem : str
        What is wrong, in one sentence (Chinese first; English may follow after " / ").
    file, row, column : optional
        Where. ``row`` is 1-based as seen in a spreadsheet (header rows counted).
    hint : str, optional
        What the user should do about it.
    """

    exit_code = 2

    def __init__(
        self,
        problem: str,
        *,
        file: str | PathLike[str] | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        self.hint = hint
        super().__init__(self.message)

    @property
    def location(self) -> str:
        """``file, 第 R 行, 列 "C"`` — the parts that are known."""
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"第 {self.row} 行 (row {self.row})")
        if self.column is not None:
            parts.append(f"列 “{self.column}” (column {self.column!r})")
        return ", ".join(parts)

    @property
    def message(self) -> str:
        """One line: location: problem — hint."""
        text = self.problem
        if self.location:
            text = f"{self.location}: {text}"
        if self.hint:
            text = f"{text} — {self.hint}"
        return " ".join(text.split())


class EncodingDetectionError(InputError):
    """A text file whose character encoding cannot be determined with confidence."""


class FrameworkError(InputError):
    """An indicator framework (YAML) that is malformed or inconsistent."""


class DataValidationError(InputError):
    """Data that breaks a schema: missing column, duplicate key, wrong type, bad value."""


class OutputError(InputError):
    """An output the kit must not or cannot write: a name that is not a plain name, a target
    inside ``data/raw`` or over an input, an existing file without ``overwrite``/``--force``,
    a folder that cannot be created or written. Exit code 2 (the user's argument)."""


class ReportError(LinkageError):
    """A report could not be produced (notebook failed, output not writable)."""
