"""Coding sheets: a reproducible sample of articles, one sheet per coder, and a key.

:func:`draw_sample` picks articles stratified by outlet (or any column); :func:`assign`
gives every coder the overlap (the articles all coders code, for reliability) and a share
of the rest; :func:`write_sheets` writes, into one folder:

- ``<coder>.xlsx``: one worksheet per unit (``paragraphs``, ``sentences`` ...) with the
  unit's text in one column and one column per variable, a drop-down of the allowed values
  in each coded cell, and the codebook on an ``instructions`` worksheet;
- ``<coder>_<unit>.csv``: the same rows as CSV (UTF-8 with a byte-order mark, so that
  spreadsheet programs read accents right), for coders who prefer it; a coder fills one
  of the two;
- ``instructions.csv``: the codebook as a table (variable, unit, question, instructions,
  allowed values, examples), for the coders who fill the CSV sheets;
- ``key.csv``: every sampled unit with its article, outlet and coders; ``codebook.yml``: a
  copy of the codebook; ``sheets.json``: how the sample was drawn.

Coders do not see the outlet (coding blind to the source, so that what they expect of an
outlet does not colour their codes); the key holds it. Articles are in a random order
(seeded), units in reading order within their article.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd

from analysis.coding.codebook import Codebook
from analysis.coding.units import coding_units
from analysis.stats import cell_rng

KEY_COLUMNS = ["unit", "unit_id", "article_id", "outlet", "position", "order", "coders"]
SHEET_COLUMNS = ["unit_id", "text"]
"""The columns of a sheet before the variables' columns."""
CSV_ENCODING = "utf-8-sig"
SHEET_NAMES = {
    "article": "articles",
    "paragraph": "paragraphs",
    "sentence": "sentences",
    "quote": "quotes",
}
"""The worksheet of each unit in a coder's XLSX file."""
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def draw_sample(articles: pd.DataFrame, n: int, *, by: str = "outlet", seed: int = 0) -> pd.Series:
    """``n`` article ids drawn at random within strata of ``by``, as equal as possible.

    Every stratum gets ``n // k`` articles (``k`` strata), the ``n % k`` left over going to
    strata picked at random; a stratum with too few articles gives all it has and the
    others make up the difference, as long as there are articles. Each stratum's draw has
    its own random stream (:func:`analysis.stats.cell_rng`), so adding an outlet does not
    change the others' articles.

    Parameters
    ----------
    articles : DataFrame
        ``article_id`` and ``by``.
    n : int
        How many articles (all of them when the corpus has no more).
    by : str
        The column to stratify by (``outlet``, ``bias_text`` ...).

    Returns
    -------
    Series
        The drawn ``article_id`` values, in a random order (seeded).
    """
    if n < 1:
        raise ValueError(f"the sample needs at least one article, not {n}")
    if by not in articles.columns:
        raise ValueError(f"no column {by!r} to stratify by; the articles have {list(articles)}")
    strata = {
        str(key): sorted(group["article_id"].astype(str))
        for key, group in articles.groupby(articles[by].astype(str), sort=True)
    }
    sizes = _allocate(n, {key: len(ids) for key, ids in strata.items()}, seed)
    drawn = []
    for key, ids in strata.items():
        chosen = cell_rng(seed, "coding sample", key).choice(len(ids), sizes[key], replace=False)
        drawn.extend(ids[i] for i in sorted(chosen))
    order = cell_rng(seed, "coding order").permutation(len(drawn))
    return pd.Series([drawn[i] for i in order], name="article_id")


def _allocate(n: int, available: dict[str, int], seed: int) -> dict[str, int]:
    """Equal shares of ``n`` over the strata, capped at what each has."""
    sizes = dict.fromkeys(available, 0)
    left = min(n, sum(available.values()))
    rng = cell_rng(seed, "coding allocation")
    while left:
        open_ = [key for key in available if sizes[key] < available[key]]
        share, extra = divmod(left, len(open_))
        lucky = set(rng.choice(open_, extra, replace=False).tolist()) if extra else set()
        for key in open_:
            given = min(share + (key in lucky), available[key] - sizes[key])
            sizes[key] += given
            left -= given
    return sizes


def assign(article_ids: pd.Series, coders: list[str], *, overlap: float = 1.0) -> pd.DataFrame:
    """Which coders code which article.

    The first ``round(overlap * n)`` articles of the (random) sample go to every coder; the
    others to one coder each, in turn, so that each codes about as many.

    Returns
    -------
    DataFrame
        ``article_id, coders`` (the coders' names joined by ``;``), in the sample's order.
    """
    if not coders or len(set(coders)) != len(coders):
        raise ValueError(f"coders must be distinct names, not {coders!r}")
    if not 0 <= overlap <= 1:
        raise ValueError(f"overlap is a share of the articles, 0 to 1, not {overlap!r}")
    if len(coders) > 1 and overlap == 0:
        raise ValueError("with several coders, some articles must be coded by all (overlap > 0)")
    shared = round(overlap * len(article_ids)) if len(coders) > 1 else len(article_ids)
    names = [
        ";".join(coders) if i < shared else coders[(i - shared) % len(coders)]
        for i in range(len(article_ids))
    ]
    return pd.DataFrame({"article_id": article_ids.to_numpy(), "coders": names})


def coder_names(coders: int | list[str]) -> list[str]:
    """``["coder1", "coder2"]`` for ``2``; a list of names as given."""
    if isinstance(coders, int):
        if coders < 1:
            raise ValueError(f"at least one coder, not {coders}")
        return [f"coder{i + 1}" for i in range(coders)]
    return [str(c) for c in coders]


def write_sheets(
    tables,
    codebook: Codebook,
    folder: str | Path,
    *,
    n: int,
    by: str = "outlet",
    coders: int | list[str] = 2,
    overlap: float = 1.0,
    seed: int = 0,
) -> list[Path]:
    """Draw a sample and write the coding sheets, the key and the codebook into ``folder``.

    Parameters
    ----------
    tables : mapping
        A run's tables (see :func:`analysis.coding.coding_units` for the ones each unit
        needs).
    codebook : Codebook
    folder : path
        Created if missing; refused when it already holds a key (filled sheets are never
        overwritten).
    n, by, seed
        See :func:`draw_sample`.
    coders, overlap
        See :func:`coder_names` and :func:`assign`.

    Returns
    -------
    list of Path
        The files written.
    """
    folder = Path(folder)
    if (folder / "key.csv").exists():
        raise FileExistsError(
            f"{folder} already holds coding sheets (key.csv); choose a new folder, so that "
            "no filled sheet is overwritten"
        )
    names = coder_names(coders)
    sample = draw_sample(tables["articles"], n, by=by, seed=seed)
    assigned = assign(sample, names, overlap=overlap)
    key = sheet_key(tables, codebook, assigned)
    folder.mkdir(parents=True, exist_ok=True)
    written = [_write_csv(key[KEY_COLUMNS], folder / "key.csv", encoding="utf-8")]
    for coder in names:
        mine = key[key["coders"].str.split(";").map(lambda c, me=coder: me in c)]
        sheets = {unit: rows[SHEET_COLUMNS] for unit, rows in mine.groupby("unit", sort=False)}
        for unit, rows in sheets.items():
            blank = rows.assign(**{v.name: "" for v in codebook.at(unit)})
            written.append(_write_csv(blank, folder / f"{coder}_{unit}.csv"))
        written.append(write_xlsx(sheets, codebook, folder / f"{coder}.xlsx"))
    written.append(_write_csv(instructions(codebook), folder / "instructions.csv"))
    shutil.copyfile(codebook.path, folder / "codebook.yml")
    settings = {
        "codebook": codebook.name,
        "n": n,
        "by": by,
        "coders": names,
        "overlap": overlap,
        "seed": seed,
        "articles": int(len(sample)),
        "units": {u: int((key["unit"] == u).sum()) for u in codebook.units},
    }
    (folder / "sheets.json").write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return [*written, folder / "codebook.yml", folder / "sheets.json"]


def sheet_key(tables, codebook: Codebook, assigned: pd.DataFrame) -> pd.DataFrame:
    """Every unit of the assigned articles at every unit the codebook codes.

    Returns
    -------
    DataFrame
        ``unit, unit_id, article_id, outlet, position, order, coders, text``: the articles
        in the sample's order (``order``), the units in reading order within each.
    """
    order = pd.Series(range(len(assigned)), index=assigned["article_id"].astype(str))
    parts = []
    for unit in codebook.units:
        units = coding_units(tables, unit)
        units = units[units["article_id"].isin(order.index)]
        parts.append(units.assign(order=units["article_id"].map(order)))
    key = pd.concat(parts, ignore_index=True)
    key["coders"] = key["article_id"].map(assigned.set_index("article_id")["coders"])
    unit_rank = key["unit"].map({u: i for i, u in enumerate(codebook.units)})
    key = key.assign(_unit=unit_rank).sort_values(["_unit", "order", "position"], kind="stable")
    return key.drop(columns="_unit").reset_index(drop=True)[[*KEY_COLUMNS, "text"]]


def _write_csv(frame: pd.DataFrame, path: Path, *, encoding: str = CSV_ENCODING) -> Path:
    frame.to_csv(path, index=False, encoding=encoding, lineterminator="\n")
    return path


def write_xlsx(sheets: dict[str, pd.DataFrame], codebook: Codebook, path: Path) -> Path:
    """One coder's workbook: a worksheet per unit (drop-downs in the coded cells), the
    ``instructions`` worksheet, and a hidden ``lists`` worksheet holding the drop-downs'
    values. The file's bytes depend on its contents only (zip entry times fixed)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)
    lists = _lists_sheet(book, codebook)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for unit, rows in sheets.items():
        sheet = book.create_sheet(SHEET_NAMES[unit])
        variables = codebook.at(unit)
        sheet.append([*SHEET_COLUMNS, *(v.name for v in variables)])
        for values in rows[SHEET_COLUMNS].itertuples(index=False):
            sheet.append(list(values))
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "C2"
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 90
        for row in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
            row[0].alignment = wrap
        for offset, variable in enumerate(variables):
            column = _letter(len(SHEET_COLUMNS) + offset + 1)
            sheet.column_dimensions[column].width = max(14, min(len(variable.name) + 2, 30))
            if variable.type == "text" or len(rows) == 0:
                continue
            check = DataValidation(
                type="list",
                formula1=lists[variable.name],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Not an allowed value",
                error=f"Pick one of the values listed for {variable.name}.",
            )
            check.add(f"{column}2:{column}{len(rows) + 1}")
            sheet.add_data_validation(check)
    _instructions_sheet(book, codebook, bold, wrap)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_fixed_zip(buffer.getvalue()))
    return path


def _lists_sheet(book, codebook: Codebook) -> dict[str, str]:
    """A hidden worksheet with each variable's choices in a column; the drop-downs' ranges."""
    sheet = book.create_sheet("lists")
    sheet.sheet_state = "hidden"
    ranges = {}
    coded = [v for v in codebook.variables if v.type != "text"]
    for index, variable in enumerate(coded, start=1):
        column = _letter(index)
        for row, choice in enumerate(variable.choices, start=1):
            sheet.cell(row=row, column=index, value=choice)
        ranges[variable.name] = f"lists!${column}$1:${column}${len(variable.choices)}"
    return ranges


INSTRUCTION_COLUMNS = ["variable", "unit", "question", "instructions", "allowed values", "examples"]


def instructions(codebook: Codebook) -> pd.DataFrame:
    """The codebook as coders read it: one row per variable (:data:`INSTRUCTION_COLUMNS`),
    the allowed values as the drop-downs offer them, one per line."""
    return pd.DataFrame(
        [
            (
                v.name,
                v.unit,
                v.label,
                v.instructions,
                "free text" if v.type == "text" else "\n".join(v.choices),
                "\n".join(v.examples),
            )
            for v in codebook.variables
        ],
        columns=INSTRUCTION_COLUMNS,
    )


def _instructions_sheet(book, codebook: Codebook, bold, wrap) -> None:
    sheet = book.create_sheet("instructions", 0)
    sheet.append([codebook.name])
    sheet["A1"].font = bold
    sheet.append([codebook.description])
    sheet.append(
        [
            "Code every row of each worksheet: pick a value from the cell's drop-down (typed "
            "text must be exactly one of its choices, such as '1 = yes'). Leave a cell empty "
            "only where the instructions say so. Do not change the unit_id or text columns, "
            "and do not add or delete rows."
        ]
    )
    sheet.append([])
    sheet.append(INSTRUCTION_COLUMNS)
    for cell in sheet[5]:
        cell.font = bold
    for row in instructions(codebook).itertuples(index=False):
        sheet.append(list(row))
    for column, width in zip("ABCDEF", (22, 11, 30, 70, 24, 45)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = wrap


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _fixed_zip(data: bytes) -> bytes:
    """The XLSX (a zip) again with every entry's time and the document's dates fixed, so
    the same sheets give the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _fixed_dates(content)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()


def _fixed_dates(core: bytes) -> bytes:
    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", core
    )


def read_sheet_key(folder: str | Path) -> pd.DataFrame:
    """The ``key.csv`` of a folder of coding sheets (every column as text but ``position``
    and ``order``)."""
    key = pd.read_csv(
        Path(folder) / "key.csv",
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
    )
    missing = [c for c in KEY_COLUMNS if c not in key.columns]
    if missing:
        raise ValueError(f"{Path(folder) / 'key.csv'}: no column {', '.join(missing)}")
    key["position"] = key["position"].astype(int)
    key["order"] = key["order"].astype(int)
    return key
