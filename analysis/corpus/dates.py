"""Dates: parsing the many ways a corpus writes them, and how precise each one is.

A parsed date is ``(Timestamp or NaT, precision, repair note)``; precision is ``"year"``,
``"month"``, ``"day"`` or ``"time"``. Aware times are converted to UTC, then made naive;
dates outside what ``datetime64[ns]`` holds (1677-2262) are kept as missing. Numeric dates
``N/N/Y`` are read month first (``M/D/Y``) unless ``dayfirst`` is True (``D/M/Y``); one that
is not valid in that order is kept as missing with a note saying whether the other order
would fit.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

import numpy as np
import pandas as pd

from analysis.corpus.records import as_label, is_missing

_MONTHS = {
    name: i
    for i, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
_MONTHS |= {name[:3]: i for name, i in _MONTHS.items()} | {"sept": 9}
_YMD = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")
_ISO_TIME = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}\S*(?: ?(?:Z|UTC|[+-]\d\S*))?", re.IGNORECASE
)
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_NAMED = (
    (re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)? (?P<m>[a-z]+)\.?,? (?P<y>\d{4})"), "day"),
    (re.compile(r"(?P<m>[a-z]+)\.? (?P<d>\d{1,2})(?:st|nd|rd|th)?,? (?P<y>\d{4})"), "day"),
    (re.compile(r"(?P<m>[a-z]+)\.?,? (?P<y>\d{4})"), "month"),
)
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? ")
_EARLIEST, _LATEST = pd.Timestamp("1677-09-22"), pd.Timestamp("2262-04-11")


class _WrongOrder(ValueError):
    """An ``N/N/Y`` date that is not valid in the order asked for; the message says why."""


def parse_date(value, cache: dict, dayfirst: bool = False) -> tuple:
    """Parse one input date value, each distinct value once.

    Parameters
    ----------
    value : object
        The input value: a string, a number (a year), a date or datetime, or missing.
    cache : dict
        Results by value, shared by every call of one load (one ``dayfirst`` per cache).
    dayfirst : bool
        Read ``N/N/Y`` as ``D/M/Y`` instead of ``M/D/Y``.

    Returns
    -------
    tuple
        ``(Timestamp or NaT, precision or None, repair note or None)``.
    """
    if is_missing(value):
        return pd.NaT, None, None
    try:
        return cache[value]
    except KeyError:
        cache[value] = result = _parse_date_value(value, dayfirst)
        return result
    except TypeError:  # unhashable, e.g. a list from JSON
        return _parse_date_value(value, dayfirst)


def order_note(values, dayfirst: bool) -> str | None:
    """A note when ``N/N/Y`` dates were read in an order that the data does not settle.

    Parameters
    ----------
    values : iterable
        The date values of the loaded articles.
    dayfirst : bool
        The order used: ``D/M/Y`` when True, else ``M/D/Y``.

    Returns
    -------
    str or None
        None when no value could be read both ways (``05/01/2020``), or when some value is
        valid only in the order used (``1/13/2020`` month first), which settles it.
    """
    ambiguous, settled = [], False
    for value in dict.fromkeys(v for v in values if isinstance(v, str)):
        if m := _US.fullmatch(" ".join(value.split())):
            first, second = int(m[1]), int(m[2])
            month, day = (second, first) if dayfirst else (first, second)
            if first != second and max(first, second) <= 12:
                ambiguous.append(value)
            settled = settled or (1 <= month <= 12 < day <= 31)
    if not ambiguous or settled:
        return None
    if dayfirst:
        read = "D/M/Y (day first, dayfirst=True)"
    else:
        read = "M/D/Y (month first); if dates are day first, load with dayfirst=True (--dayfirst)"
    which = (
        f"the date {ambiguous[0]!r} could"
        if len(ambiguous) == 1
        else f"{len(ambiguous)} distinct dates such as {ambiguous[0]!r} could each"
    )
    return f"{which} be month or day first: read as {read}"


def _parse_date_value(value, dayfirst: bool) -> tuple:
    """Parse one date value; see :func:`parse_date`."""
    precision = None
    try:
        if isinstance(value, (datetime, np.datetime64)):
            ts = pd.Timestamp(value)
            precision = "day" if ts.tz is None and ts == ts.normalize() else "time"
        elif isinstance(value, date):
            ts, precision = pd.Timestamp(value), "day"
        else:
            text = value if isinstance(value, str) else as_label(value)
            if not text or not text.strip():
                return pd.NaT, None, None
            ts, precision = _date_from_text(" ".join(text.split()), dayfirst)
        if ts is not None and ts.tz is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
    except _WrongOrder as err:
        return pd.NaT, None, f"unparseable date {value!r} kept as missing: {err}"
    except (ValueError, OverflowError, TypeError):
        ts = None
    if ts is None or ts is pd.NaT:
        return pd.NaT, None, f"unparseable date {value!r} kept as missing"
    if not _EARLIEST <= ts <= _LATEST:
        return pd.NaT, None, f"date {value!r} outside 1677-2262 kept as missing"
    return ts, precision, None


def _date_from_text(text: str, dayfirst: bool) -> tuple:
    """``(Timestamp, precision)`` for ISO, ``M/D/Y`` (or ``D/M/Y``) and month-name dates."""
    if m := _YMD.fullmatch(text):
        y, mo, d = m.groups()
        precision = "day" if d else "month" if mo else "year"
        return pd.Timestamp(datetime(int(y), int(mo or 1), int(d or 1))), precision
    if _ISO_TIME.fullmatch(text):
        return pd.Timestamp(text), "time"
    if m := _US.fullmatch(text):
        first, second, y = (int(g) for g in m.groups())
        y += 0 if y > 99 else 2000 if y < 69 else 1900
        month, day = (second, first) if dayfirst else (first, second)
        try:
            return pd.Timestamp(datetime(y, month, day)), "day"
        except ValueError:
            raise _WrongOrder(_order_problem(first, second, y, dayfirst)) from None
    lower = _WEEKDAY.sub("", text.lower(), count=1)
    for pattern, precision in _NAMED:
        if (m := pattern.fullmatch(lower)) and m["m"] in _MONTHS:
            day = int(m.groupdict().get("d") or 1)
            return pd.Timestamp(datetime(int(m["y"]), _MONTHS[m["m"]], day)), precision
    if ":" in text:  # e-mail/RSS style, "Wed, 22 Mar 2017 10:00:00 +0000"
        return pd.Timestamp(parsedate_to_datetime(text)), "time"
    return None, None


def _order_problem(first: int, second: int, year: int, dayfirst: bool) -> str:
    """Why ``first/second/year`` is not a date in the order used, and whether the other fits."""
    try:
        datetime(year, first, second) if dayfirst else datetime(year, second, first)
    except ValueError:
        other = ""
    else:
        other = (
            "; month-first dates need dayfirst=False (the default)"
            if dayfirst
            else "; if dates are day first, load with dayfirst=True (--dayfirst)"
        )
    return f"not a valid {'D/M/Y' if dayfirst else 'M/D/Y'} date{other}"
