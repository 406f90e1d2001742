"""Reading filled coding sheets back, every cell checked against the codebook.

:func:`read_codes` reads a folder written by :func:`analysis.coding.write_sheets`. For
each coder and unit it reads the CSV sheet or the XLSX worksheet, whichever holds codes
(both may, when they agree). A cell is read as:

- binary: ``1``, ``yes``, ``1 = yes`` (and ``0``, ``no``, ``0 = no``);
- ordinal: the scale value (``-1``, ``-1.0``), the drop-down's ``-1 = negative``, or the
  label alone (``negative``);
- categorical: the category;
- text: the text, its spaces trimmed;
- an empty cell: not coded.

Differences of case and surrounding spaces, and a label given instead of its value, are
read and recorded as repairs. Anything else is an error naming the file (and worksheet),
the row as the spreadsheet numbers it (the header is row 1) and the column: an unknown
category, a value off the scale, a unit id not in the sample or not given to that coder,
the same unit twice with different codes, a variable's column missing. Every error of every
sheet is collected and raised together, so one round of corrections fixes them all. A
unit given to a coder but missing from the sheet or left blank is recorded as uncoded;
nothing is dropped silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import yamlfile
from analysis.coding.codebook import Codebook, Variable, read_codebook
from analysis.coding.sheets import CSV_ENCODING, SHEET_NAMES, read_sheet_key

MAX_ERRORS_SHOWN = 30
REPAIR_COLUMNS = ["sheet", "row", "column", "repair"]
UNCODED_COLUMNS = ["coder", "unit", "unit_id", "reason"]


class CodingError(ValueError):
    """Filled sheets that cannot be read; the message lists every problem found."""


@dataclass
class Codes:
    """The codes read from a folder of sheets.

    Attributes
    ----------
    codes : DataFrame
        One row per unit and coder: ``unit, unit_id, article_id, outlet, coder`` and one
        column per variable (binary and ordinal ones ``Int64``, the others text; missing =
        not coded).
    repairs : DataFrame
        ``sheet, row, column, repair``: what was read other than as written.
    uncoded : DataFrame
        ``coder, unit, unit_id, reason``: units given to a coder and not coded.
    codebook : Codebook
    key : DataFrame
        The sample (:func:`analysis.coding.sheets.read_sheet_key`).
    """

    codes: pd.DataFrame
    repairs: pd.DataFrame
    uncoded: pd.DataFrame
    codebook: Codebook
    key: pd.DataFrame


def read_codes(folder: str | Path, codebook: Codebook | str | Path | None = None) -> Codes:
    """Read every coder's filled sheets from ``folder``.

    Parameters
    ----------
    folder : path
        A folder of sheets (``key.csv``, ``sheets.json``, ``<coder>_<unit>.csv`` and/or
        ``<coder>.xlsx``).
    codebook : Codebook, path or name, optional
        The folder's ``codebook.yml`` when omitted.

    Raises
    ------
    CodingError
        Listing every malformed cell, row and sheet (see the module docstring).
    """
    folder = Path(folder)
    for needed in ("key.csv", "sheets.json"):
        if not (folder / needed).is_file():
            raise CodingError(f"{folder}: no {needed}; is this a folder of coding sheets?")
    if not isinstance(codebook, Codebook):
        codebook = read_codebook(codebook or folder / "codebook.yml")
    key = read_sheet_key(folder)
    coders = json.loads((folder / "sheets.json").read_text(encoding="utf-8"))["coders"]
    reader = _SheetReader(codebook, key)
    parts = []
    for coder in coders:
        for unit in codebook.units:
            given = key["coders"].str.split(";").map(lambda names, me=coder: me in names)
            assigned = key[(key["unit"] == unit) & given]
            if len(assigned):
                parts.append(reader.read(folder, coder, unit, assigned))
    if reader.errors:
        shown = reader.errors[:MAX_ERRORS_SHOWN]
        more = len(reader.errors) - len(shown)
        problems = f"{len(reader.errors)} problem" + ("s" if len(reader.errors) > 1 else "")
        raise CodingError(
            f"{folder}: {problems} in the coding sheets:\n  "
            + "\n  ".join(shown)
            + (f"\n  ... and {more} more" if more else "")
        )
    codes = pd.concat(parts, ignore_index=True)
    for variable in codebook.variables:
        if variable.type in ("binary", "ordinal"):
            codes[variable.name] = codes[variable.name].astype("Int64")
    return Codes(
        codes=codes,
        repairs=pd.DataFrame(reader.repairs, columns=REPAIR_COLUMNS),
        uncoded=pd.DataFrame(reader.uncoded, columns=UNCODED_COLUMNS),
        codebook=codebook,
        key=key,
    )


class _SheetReader:
    def __init__(self, codebook: Codebook, key: pd.DataFrame):
        self.codebook, self.key = codebook, key
        self.errors: list[str] = []
        self.repairs: list[tuple] = []
        self.uncoded: list[tuple] = []

    def read(self, folder: Path, coder: str, unit: str, assigned: pd.DataFrame) -> pd.DataFrame:
        """One coder's codes of one unit, from whichever of their sheets holds codes."""
        variables = self.codebook.at(unit)
        found = {}
        csv_path = folder / f"{coder}_{unit}.csv"
        if csv_path.is_file():
            found[csv_path.name] = _read_csv(csv_path)
        xlsx_path = folder / f"{coder}.xlsx"
        if xlsx_path.is_file():
            sheet = _read_xlsx(xlsx_path, SHEET_NAMES[unit])
            if sheet is not None:
                found[f"{xlsx_path.name}, worksheet {SHEET_NAMES[unit]}"] = sheet
        if not found:
            self.errors.append(f"{coder}: neither {csv_path.name} nor {xlsx_path.name} found")
            return _empty(assigned, coder, variables)
        names = [v.name for v in variables]
        filled = {name: frame for name, frame in found.items() if _has_codes(frame, names)}
        if len(filled) < 2:
            name, frame = next(iter(filled.items())) if filled else next(iter(found.items()))
            return self._cells(name, frame, coder, unit, assigned, variables)
        readers = [_SheetReader(self.codebook, self.key) for _ in filled]
        read = [
            r._cells(n, f, coder, unit, assigned, variables)
            for r, (n, f) in zip(readers, filled.items())
        ]
        if not read[0].equals(read[1]):
            first, second = filled
            self.errors.append(
                f"{first} and {second} both hold codes and they differ; keep the one "
                "you filled and delete the codes from the other"
            )
            return _empty(assigned, coder, variables)
        self.errors += readers[0].errors
        self.repairs += readers[0].repairs
        self.uncoded += readers[0].uncoded
        return read[0]

    def _cells(self, sheet, frame, coder, unit, assigned, variables) -> pd.DataFrame:
        missing = [c for c in ["unit_id", *(v.name for v in variables)] if c not in frame]
        if missing:
            self.errors.append(f"{sheet}: no column {', '.join(map(repr, missing))}")
            return _empty(assigned, coder, variables)
        known = {"unit_id", "text", *(v.name for v in variables)}
        for extra in (c for c in frame.columns if c not in known):
            self.repairs.append((sheet, 1, extra, "column not in the codebook: not read"))
        mine = set(assigned["unit_id"])
        everyone = self.key.set_index("unit_id")
        rows: dict[str, dict] = {}
        for index, record in frame.iterrows():
            row = index + 2
            unit_id = record["unit_id"].strip()
            if not unit_id:
                if any(record[v.name].strip() for v in variables):
                    self.errors.append(f"{sheet}, row {row}, column 'unit_id': empty")
                continue
            if unit_id not in mine:
                why = (
                    "is not in the sample"
                    if unit_id not in everyone.index
                    else f"was not given to {coder}"
                    if everyone.loc[unit_id, "unit"] == unit
                    else f"is a {everyone.loc[unit_id, 'unit']}, not a {unit}"
                )
                self.errors.append(f"{sheet}, row {row}, column 'unit_id': {unit_id!r} {why}")
                continue
            values = {v.name: self._cell(sheet, row, v, record[v.name]) for v in variables}
            if unit_id in rows:
                if rows[unit_id]["values"] != values:
                    self.errors.append(
                        f"{sheet}, row {row}, column 'unit_id': {unit_id!r} is also in row "
                        f"{rows[unit_id]['row']} with different codes"
                    )
                else:
                    self.repairs.append((sheet, row, "unit_id", "the same row twice: read once"))
                continue
            rows[unit_id] = {"row": row, "values": values}
        out = []
        for unit_row in assigned.itertuples(index=False):
            got = rows.get(unit_row.unit_id)
            if got is None or all(pd.isna(v) for v in got["values"].values()):
                reason = "missing from the sheet" if got is None else "left blank"
                self.uncoded.append((coder, unit, unit_row.unit_id, reason))
            values = got["values"] if got else {v.name: pd.NA for v in variables}
            out.append(
                {
                    "unit": unit,
                    "unit_id": unit_row.unit_id,
                    "article_id": unit_row.article_id,
                    "outlet": unit_row.outlet,
                    "coder": coder,
                    **values,
                }
            )
        return pd.DataFrame(out)

    def _cell(self, sheet: str, row: int, variable: Variable, raw: str):
        """One cell's code, or NA (empty, or an error recorded)."""
        text = raw.strip()
        if not text:
            return pd.NA
        if variable.type == "text":
            return " ".join(text.split())
        value, repair = parse_value(variable, text)
        where = f"{sheet}, row {row}, column {variable.name!r}"
        if value is None:
            allowed = ", ".join(
                map(repr, variable.values)
                if variable.type == "categorical"
                else (f"{v} ({label})" for v, label in zip(variable.values, variable.labels))
            )
            hint = (
                yamlfile.suggestion(text, variable.values) if variable.type == "categorical" else ""
            )
            self.errors.append(f"{where}: {raw!r} is not one of {allowed}{hint}")
            return pd.NA
        if repair or text != raw:
            self.repairs.append((sheet, row, variable.name, f"{raw!r} read as {value!r}"))
        return value


def parse_value(variable: Variable, text: str):
    """``(value, repaired)`` for one non-empty cell of a categorical, binary or ordinal
    variable, or ``(None, False)`` when it is not an allowed value.

    ``repaired`` is True when the cell was not written as the value or the drop-down's
    choice (a label instead of the value, another case).
    """
    if variable.type == "categorical":
        if text in variable.values:
            return text, False
        folded = {c.casefold(): c for c in variable.values}
        found = folded.get(" ".join(text.split()).casefold())
        return (found, True) if found is not None else (None, False)
    if text in variable.choices:
        return variable.values[variable.choices.index(text)], False
    number = _number(text)
    if number is not None:
        return (number, False) if number in variable.values else (None, False)
    labels = {label.casefold(): value for value, label in zip(variable.values, variable.labels)}
    match = re.fullmatch(r"\s*([+-]?\d+(?:\.0+)?)\s*=(.*)", text)
    if match:  # "1 = yes" typed, with other spaces or case: the label must be the value's
        number = _number(match.group(1))
        agrees = labels.get(" ".join(match.group(2).split()).casefold()) == number
        return (number, True) if number in variable.values and agrees else (None, False)
    found = labels.get(" ".join(text.split()).casefold())
    if variable.type == "binary" and found is None:
        found = {"true": 1, "false": 0, "y": 1, "n": 0}.get(text.casefold())
    return (found, True) if found is not None else (None, False)


def _number(text: str) -> int | None:
    """A whole number written as ``2``, ``-1``, ``+1`` or ``2.0`` (spreadsheets write
    numbers with ``.0``), else None."""
    match = re.fullmatch(r"[+-]?\d+(?:\.0+)?", text.strip())
    return int(float(text)) if match else None


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=CSV_ENCODING)
    except (UnicodeDecodeError, pd.errors.ParserError) as error:
        raise CodingError(f"{path}: cannot be read as CSV ({error})") from None
    return frame


def _read_xlsx(path: Path, worksheet: str) -> pd.DataFrame | None:
    """A worksheet as text cells (numbers as Excel stores them, ``2`` or ``2.0``), or None
    when the workbook has no such worksheet."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a damaged file
        raise CodingError(f"{path}: cannot be read as an XLSX workbook ({error})") from None
    try:
        if worksheet not in book.sheetnames:
            return None
        rows = list(book[worksheet].iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        return pd.DataFrame()
    header = ["" if h is None else str(h) for h in rows[0]]
    body = [["" if v is None else _cell_text(v) for v in row] for row in rows[1:]]
    body = [row + [""] * (len(header) - len(row)) for row in body]
    return pd.DataFrame([row[: len(header)] for row in body], columns=header)


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _has_codes(frame: pd.DataFrame, names: list[str]) -> bool:
    present = [n for n in names if n in frame.columns]
    return bool(present) and bool((frame[present].apply(lambda c: c.str.strip()) != "").any().any())


def _empty(assigned: pd.DataFrame, coder: str, variables) -> pd.DataFrame:
    frame = assigned[["unit", "unit_id", "article_id", "outlet"]].assign(coder=coder)
    return frame.assign(**{v.name: pd.NA for v in variables}).reset_index(drop=True)
