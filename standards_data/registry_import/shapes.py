"""The two header sets an officer may import, and how each row becomes a canonical registry record.

- `canonical`: the project's registry CSV (standards_data/REGISTRY.md), also what `registry export` writes.
- `tisi_search`: TISI's public licence search: licence no, type ทำ/นำเข้า/แสดง, issue date dd-mm-BE,
  `"<tis no> : <Thai title>"`, licensee. It carries no brand, models or status: a licence listed by
  the search is in force, so its status is `active`; a licence new to the registry gets no brand or
  models, one already in it keeps the brand and models stored for it (see the importer).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from standards_data.catalogue import mandatory_standards
from standards_data.registry import CANONICAL_COLUMNS
from standards_data.registry_import.fields import (
    FieldError,
    clean_text,
    licence_base,
    normalise_be_date,
    normalise_iso_date,
    normalise_licence_no,
    normalise_licence_type,
    normalise_models,
    normalise_status,
    parse_tis_number,
)

Record = tuple[str, str, str, str, str, str, str, str]
"""A registry row in CANONICAL_COLUMNS order, every field canonical, models `;`-joined."""

ReportProblem = Callable[[int, str, str], None]
"""(row, column, message) -> None; the sink for errors or warnings of a row."""

CANONICAL = "canonical"
TISI_SEARCH = "tisi_search"

# Header spellings per shape and role, lower-cased with spaces as underscores (see header_key).
TISI_ALIASES: dict[str, tuple[str, ...]] = {
    "licence_no": ("permit_number", "licence_number", "เลขที่ใบอนุญาต", "ใบอนุญาตเลขที่", "เลขใบอนุญาต"),
    "type": ("permit_type_th", "ประเภท", "ประเภทใบอนุญาต"),
    "issued": ("issued_be_ddmmyyyy", "issued_be", "วันที่ออกใบอนุญาต", "วันที่อนุญาต", "วันที่ออก"),
    "standard": ("standard_scope", "มาตรฐาน", "มอก.", "เลข_มอก.", "มาตรฐานผลิตภัณฑ์อุตสาหกรรม"),
    "licensee": ("licence_holder", "ผู้รับใบอนุญาต", "ชื่อผู้รับใบอนุญาต"),
    # Optional cross-checks some TISI-derived files carry next to the Thai columns.
    "type_en": ("permit_type",),
    "issued_iso": ("issued_iso",),
}
TISI_REQUIRED = ("licence_no", "type", "issued", "standard", "licensee")
CANONICAL_ALIASES: dict[str, tuple[str, ...]] = {column: (column,) for column in CANONICAL_COLUMNS}
# shape name -> (role -> accepted header spellings, required roles)
SHAPES: dict[str, tuple[dict[str, tuple[str, ...]], tuple[str, ...]]] = {
    CANONICAL: (CANONICAL_ALIASES, CANONICAL_COLUMNS),
    TISI_SEARCH: (TISI_ALIASES, TISI_REQUIRED),
}


def header_key(name: str) -> str:
    return clean_text(name.replace("\ufeff", "")).lower().replace(" ", "_")


@dataclass(frozen=True)
class Shape:
    """Which header set a file uses and where each role's column is."""

    name: str
    index: dict[str, int]
    """role -> position of its column in a row."""
    header: dict[str, str]
    """role -> the column's name as the file writes it (for messages)."""
    width: int


def detect_shape(columns: list[str], error: ReportProblem, warning: ReportProblem) -> Shape | None:
    """The header set `columns` follows, or None (after reporting why) if it follows none."""
    keys = [header_key(column) for column in columns]
    seen: dict[str, int] = {}
    for position, key in enumerate(keys):
        if key and key in seen:
            error(1, columns[position], f"column appears twice (also column {seen[key] + 1})")
        seen.setdefault(key, position)

    def roles_found(aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
        found = {}
        for role, names in aliases.items():
            for name in names:
                if name in seen:
                    found[role] = seen[name]
                    break
        return found

    scored = {name: roles_found(aliases) for name, (aliases, _required) in SHAPES.items()}
    name = max(scored, key=lambda shape_name: len(scored[shape_name]))
    found = scored[name]
    aliases, required = SHAPES[name]
    if not found:
        error(
            1,
            "",
            "header not recognised: expected the canonical columns "
            f"({', '.join(CANONICAL_COLUMNS)}) or TISI's licence-search columns "
            "(permit_number, permit_type_th, issued_be_ddmmyyyy, standard_scope, licence_holder)",
        )
        return None
    missing = [role for role in required if role not in found]
    for role in missing:
        error(1, aliases[role][0], f"missing required column {aliases[role][0]!r} ({name} shape)")
    used = set(found.values())
    for position, column in enumerate(columns):
        if position not in used and keys[position]:
            warning(1, column, "column is not used by the registry and will not be stored")
    if missing:
        return None
    return Shape(
        name=name, index=found, header={role: columns[i] for role, i in found.items()}, width=len(columns)
    )


# (row, column, what the rows share, the row's value): one line for all of them (Problems).
SummariseWarning = Callable[[int, str, str, str], None]
NOT_MANDATORY = (
    "licences under standards that are not mandatory (imported; the matcher regulates only mandatory "
    "standards)"
)


class RowConverter:
    """Turns one row of a file of a given shape into a canonical Record, reporting what is wrong."""

    def __init__(
        self, shape: Shape, error: ReportProblem, warning: ReportProblem, summarise: SummariseWarning
    ) -> None:
        self.shape = shape
        self.error = error
        self.warning = warning
        self.summarise = summarise
        self.mandatory = mandatory_standards()
        # Mandatory editions by number without year, to tell "other edition" from "not mandatory".
        self.mandatory_by_stem: dict[str, str] = {
            number.rsplit("-", 1)[0]: number for number in self.mandatory
        }

    def _cell(self, cells: list[str], role: str) -> str:
        """The role's cell; `convert` pads short rows, so only an absent optional column is missing."""
        position = self.shape.index.get(role)
        return "" if position is None else cells[position]

    def _field(self, row: int, role: str, normalise: Callable[[str], str], cells: list[str]) -> str | None:
        try:
            return normalise(self._cell(cells, role))
        except FieldError as problem:
            self.error(row, self.shape.header[role], str(problem))
            return None

    def _required_text(self, row: int, role: str, cells: list[str]) -> str | None:
        value = clean_text(self._cell(cells, role))
        if not value:
            self.error(row, self.shape.header[role], "value is empty")
            return None
        return value

    def _tis_number(self, row: int, role: str, text: str) -> str | None:
        try:
            number = parse_tis_number(text).canonical
        except FieldError as problem:
            self.error(row, self.shape.header[role], str(problem))
            return None
        if number not in self.mandatory:
            edition = self.mandatory_by_stem.get(number.rsplit("-", 1)[0])
            if edition:  # another edition of a mandatory standard: worth a look, row by row
                message = f"the mandatory edition is {edition}"
                self.warning(
                    row, self.shape.header[role], f"standard {number} is not a mandatory standard ({message})"
                )
            else:  # a voluntary standard's licence: normal in TISI's list, told once for all rows
                self.summarise(row, self.shape.header[role], NOT_MANDATORY, number)
        return number

    def convert(self, row: int, cells: list[str]) -> Record | None:
        """The canonical record of a row, or None when the row has an error (already reported)."""
        if len(cells) > self.shape.width and any(cell.strip() for cell in cells[self.shape.width :]):
            self.error(
                row,
                "",
                f"row has {len(cells)} cells but the header has {self.shape.width} "
                "(an unquoted comma?); the row's columns cannot be trusted",
            )
            return None
        if len(cells) < self.shape.width:
            cells = cells + [""] * (self.shape.width - len(cells))
        convert = self._canonical if self.shape.name == CANONICAL else self._tisi
        values = convert(row, cells)
        if values is None or any(value is None for value in values):
            return None
        record: Record = values  # type: ignore[assignment]
        base = licence_base(record[0])
        tis_base = record[2].split("-", 1)[0].split(" ", 1)[0]
        if base and base != tis_base:
            self.warning(
                row,
                self.shape.header["licence_no"],
                f"licence {record[0]} ends in /{base} but its standard is {record[2]} (base {tis_base})",
            )
        return record

    def _canonical(self, row: int, cells: list[str]) -> tuple[str | None, ...]:
        licence_no = self._field(row, "licence_no", normalise_licence_no, cells)
        licence_type = self._field(row, "licence_type", normalise_licence_type, cells)
        tis_text = self._required_text(row, "tis_number", cells)
        tis_number = self._tis_number(row, "tis_number", tis_text) if tis_text is not None else None
        licensee = self._required_text(row, "licensee", cells)
        brand = clean_text(self._cell(cells, "brand"))
        models = normalise_models(self._cell(cells, "models"))
        issued = self._field(row, "issued", normalise_iso_date, cells)
        status_text = self._required_text(row, "status", cells)
        status = self._field(row, "status", normalise_status, cells) if status_text is not None else None
        return (licence_no, licence_type, tis_number, licensee, brand, models, issued, status)

    def _tisi(self, row: int, cells: list[str]) -> tuple[str | None, ...]:
        licence_no = self._field(row, "licence_no", normalise_licence_no, cells)
        licence_type = self._field(row, "type", normalise_licence_type, cells)
        english_type = self._cell(cells, "type_en").strip()
        if licence_type and english_type:
            try:
                if normalise_licence_type(english_type) != licence_type:
                    self.error(
                        row,
                        self.shape.header["type_en"],
                        f"{english_type!r} contradicts {self.shape.header['type']} "
                        f"{self._cell(cells, 'type')!r}",
                    )
            except FieldError as problem:
                self.error(row, self.shape.header["type_en"], str(problem))
        issued = self._field(row, "issued", normalise_be_date, cells)
        iso = self._cell(cells, "issued_iso").strip()
        if issued is not None and iso:
            try:
                if normalise_iso_date(iso) != issued:
                    self.error(
                        row,
                        self.shape.header["issued_iso"],
                        f"{iso!r} contradicts {self.shape.header['issued']} {self._cell(cells, 'issued')!r}",
                    )
            except FieldError as problem:
                self.error(row, self.shape.header["issued_iso"], str(problem))
        scope = self._required_text(row, "standard", cells)
        tis_number = None
        if scope is not None:
            # "<tis no> : <Thai title>"; the title is TISI's and is not stored.
            tis_number = self._tis_number(row, "standard", scope.split(":", 1)[0])
        licensee = self._required_text(row, "licensee", cells)
        return (licence_no, licence_type, tis_number, licensee, "", "", issued, "active")
