"""Errors and warnings found in an import file, each located by row and column.

Only the first `max_kept` errors and warnings are kept (the setting `TISWATCH_MAX_ERRORS`); the
rest are counted, so a hostile file of millions of bad rows costs a counter, not millions of lines.

Warnings that are normal in a real file, row after row (TISI's licence list holds tens of thousands of
licences under voluntary standards), are summarised instead: one line per kind, with how many rows,
the values concerned and the first rows, so that the warnings an officer must read are not buried.
"""

from __future__ import annotations

from collections import Counter
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


# How many rows and values a summary line names before "and N more".
SUMMARY_ROWS_SHOWN = 10
SUMMARY_VALUES_SHOWN = 8


@dataclass
class WarningSummary:
    """Rows sharing one kind of warning, told on one line: `what` says what they have in common."""

    column: str
    what: str
    count: int = 0
    first_rows: list[int] = field(default_factory=list)
    values: Counter[str] = field(default_factory=Counter)

    def add(self, row: int, value: str) -> None:
        self.count += 1
        if len(self.first_rows) < SUMMARY_ROWS_SHOWN:
            self.first_rows.append(row)
        self.values[value] += 1

    def line(self) -> str:
        rows = ", ".join(str(row) for row in self.first_rows)
        if self.count > len(self.first_rows):
            rows += ", …"
        shown = [
            value if times == 1 else f"{value} ({times:,} rows)"
            for value, times in self.values.most_common(SUMMARY_VALUES_SHOWN)
        ]
        more = len(self.values) - len(shown)
        values = ", ".join(shown) + (f" and {more:,} more" if more > 0 else "")
        return (
            f"warning: {self.count:,} row(s) ({rows}), column {self.column}: {self.what}: "
            f"{len(self.values):,} value(s): {values}"
        )


@dataclass
class Problems:
    """Collected errors and warnings of one file, in the order they were found (the first `max_kept`)."""

    source: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    max_kept: int = field(default_factory=lambda: FileLimits.from_environment().max_errors)
    error_count: int = 0
    warning_count: int = 0
    summaries: dict[tuple[str, str], WarningSummary] = field(default_factory=dict)

    def error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < self.max_kept:
            self.errors.append(Problem(ERROR, row, column, message))

    def warning(self, row: int, column: str, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < self.max_kept:
            self.warnings.append(Problem(WARNING, row, column, message))

    def summarised_warning(self, row: int, column: str, what: str, value: str) -> None:
        """A warning told once for all the rows that share it (`what`), naming `value` among others."""
        self.warning_count += 1
        summary = self.summaries.get((column, what))
        if summary is None:
            summary = self.summaries[(column, what)] = WarningSummary(column, what)
        summary.add(row, value)

    def summary_lines(self) -> list[str]:
        return [f"{self.source}: {summary.line()}" for summary in self.summaries.values()]

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def errors_not_kept(self) -> int:
        return self.error_count - len(self.errors)

    @property
    def warnings_not_kept(self) -> int:
        summarised = sum(summary.count for summary in self.summaries.values())
        return self.warning_count - len(self.warnings) - summarised

    def lines(self) -> list[str]:
        """Every kept problem as `<file>: <severity>: row N, column C: message`, errors first, then
        a `… and N more` line for what was only counted."""
        lines = [f"{self.source}: {problem}" for problem in self.errors]
        if self.errors_not_kept:
            lines.append(f"{self.source}: … and {self.errors_not_kept:,} more error(s) (TISWATCH_MAX_ERRORS)")
        lines += [f"{self.source}: {problem}" for problem in self.warnings]
        lines += self.summary_lines()
        if self.warnings_not_kept:
            lines.append(
                f"{self.source}: … and {self.warnings_not_kept:,} more warning(s) (TISWATCH_MAX_ERRORS)"
            )
        return lines
