"""Calendar arithmetic the rules need: complete months, ages, public holidays, French dates.

Seniority counts *complete* months (R1234-1) between the first and the last day of the
contract, both included: someone hired on 1 January and leaving on 31 December has twelve months.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from corpus.text_forms import search_form

MONTH_NAMES = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WRITTEN = re.compile(r"(1er|\d{1,2})\s+([a-z]+)\s+(\d{4})")


def parse_date(text: str) -> dt.date | None:
    """« 2019-03-03 », « 03/03/2019 », « 3 mars 2019 », « 1er mars 2019 »; None if not a date.

    Raises ValueError for a well-formed but impossible date (« 31 février 2024 »).
    """
    folded = search_form(text)
    if match := _ISO.fullmatch(folded):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.fullmatch(folded):
        day, month, year = (int(g) for g in match.groups())
    elif (match := _WRITTEN.fullmatch(folded)) and match.group(2) in MONTH_NAMES:
        day = 1 if match.group(1) == "1er" else int(match.group(1))
        month, year = MONTH_NAMES[match.group(2)], int(match.group(3))
    else:
        return None
    return dt.date(year, month, day)


def add_months(day: dt.date, count: int) -> dt.date:
    """Same day ``count`` months later, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + count
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def complete_months(first_day: dt.date, last_day: dt.date) -> int:
    """Complete months from ``first_day`` to ``last_day``, both days included."""
    end = last_day + dt.timedelta(days=1)
    count = (end.year - first_day.year) * 12 + end.month - first_day.month
    while count > 0 and add_months(first_day, count) > end:
        count -= 1
    return max(count, 0)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Age in years « révolus » (completed) on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def easter(year: int) -> dt.date:
    """Easter Sunday (Gregorian calendar, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def public_holidays(year: int) -> set[dt.date]:
    """The eleven « fêtes légales » of L3133-1 (national list; local ones are not included)."""
    sunday = easter(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    movable = [sunday + dt.timedelta(days=n) for n in (1, 39, 50)]  # lundi de Pâques, Ascension, Pentecôte
    return {dt.date(year, m, d) for m, d in fixed} | set(movable)


def postpone_to_working_day(day: dt.date) -> dt.date:
    """R1231-1: a time limit ending on a Saturday, Sunday or public holiday runs to the next day
    that is none of these."""
    while day.weekday() >= 5 or day in public_holidays(day.year):
        day += dt.timedelta(days=1)
    return day


def add_jours_ouvrables(start: dt.date, count: int) -> dt.date:
    """The ``count``-th jour ouvrable after ``start`` (every day but Sundays and public holidays; ``start``
    itself not counted), as a time limit « de quinze jours ouvrables à compter de » is reckoned."""
    day = start
    while count:
        day += dt.timedelta(days=1)
        count -= day.weekday() != 6 and day not in public_holidays(day.year)
    return day
