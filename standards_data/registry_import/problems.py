"""Errors and warnings found in an import file, each located by row and column.

Only the first `max_kept` errors and warnings are kept (the setting `TISWATCH_MAX_ERRORS`); the
rest are counted, so a hostile file of millions of bad rows costs a counter, not millions of lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from standards_data.limits import FileLimits

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
    """Collected errors and warnings of one file, in the order they were found (the first `max_kept`)."""

    source: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    max_kept: int = field(default_factory=lambda: FileLimits.from_environment().max_errors)
    error_count: int = 0
    warning_count: int = 0

    def error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < self.max_kept:
            self.errors.append(Problem(ERROR, row, column, message))

    def warning(self, row: int, column: str, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < self.max_kept:
            self.warnings.append(Problem(WARNING, row, column, message))

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def errors_not_kept(self) -> int:
        return self.error_count - len(self.errors)

    @property
    def warnings_not_kept(self) -> int:
        return self.warning_count - len(self.warnings)

    def lines(self) -> list[str]:
        """Every kept problem as `<file>: <severity>: row N, column C: message`, errors first, then
        a `… and N more` line for what was only counted."""
        lines = [f"{self.source}: {problem}" for problem in self.errors]
        if self.errors_not_kept:
            lines.append(f"{self.source}: … and {self.errors_not_kept:,} more error(s) (TISWATCH_MAX_ERRORS)")
        lines += [f"{self.source}: {problem}" for problem in self.warnings]
        if self.warnings_not_kept:
            lines.append(
                f"{self.source}: … and {self.warnings_not_kept:,} more warning(s) (TISWATCH_MAX_ERRORS)"
            )
        return lines
