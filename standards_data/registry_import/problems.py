"""Errors and warnings found in an import file, each located by row and column."""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or worth a look (warning) in a file.

    `row` counts like a spreadsheet: the header is row 1, the first data row is row 2; 0 means the
    file as a whole (unreadable encoding, no header).
    """

    severity: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        if self.column:
            where += f", column {self.column}"
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class Problems:
    """Collected errors and warnings of one file, in the order they were found."""

    source: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(Problem(ERROR, row, column, message))

    def warning(self, row: int, column: str, message: str) -> None:
        self.warnings.append(Problem(WARNING, row, column, message))

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        """Every problem as `<file>: <severity>: row N, column C: message`, errors first."""
        return [f"{self.source}: {problem}" for problem in (*self.errors, *self.warnings)]
