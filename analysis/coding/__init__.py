"""Human coding: codebooks, coding sheets, reading codes back, reliability, and checking
every measure against the coders.

The way of the data: a :class:`Codebook` (:func:`read_codebook`) says what is coded at
which unit; :func:`draw_sample` picks articles by outlet and :func:`write_sheets` writes one
sheet per coder (CSV and XLSX) and a key; :func:`read_codes` reads the filled sheets back,
every cell checked; :mod:`~analysis.coding.agreement` measures how far the coders agree;
:func:`validate` compares a run's measures with the codes.
"""

from analysis.coding.agreement import alpha, reliability
from analysis.coding.codebook import (
    Codebook,
    CodebookError,
    Variable,
    read_codebook,
    unmet_links,
)
from analysis.coding.consensus import coding_ceiling, consensus, same_speaker
from analysis.coding.pairs import confusion, disagreements, pairwise
from analysis.coding.read import Codes, CodingError, read_codes
from analysis.coding.sheets import assign, draw_sample, read_sheet_key, write_sheets
from analysis.coding.summary import check_against_coders, coding_parameters, validation_table
from analysis.coding.units import RUN_TABLES, coding_units, read_run_tables, unit_id
from analysis.coding.validate import validate

__all__ = [
    "RUN_TABLES",
    "Codebook",
    "CodebookError",
    "Codes",
    "CodingError",
    "Variable",
    "alpha",
    "assign",
    "check_against_coders",
    "coding_ceiling",
    "coding_parameters",
    "coding_units",
    "confusion",
    "consensus",
    "disagreements",
    "draw_sample",
    "pairwise",
    "read_codebook",
    "read_codes",
    "read_run_tables",
    "read_sheet_key",
    "reliability",
    "same_speaker",
    "unit_id",
    "unmet_links",
    "validate",
    "validation_table",
    "write_sheets",
]
