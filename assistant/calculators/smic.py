"""The SMIC horaire brut: one dated table, each value with the text that set it.

The SMIC is not in the Code du travail (it is set by decree or, for the automatic mid-year
increases, by arrêté), so it cannot be checked against the corpus: each row names its text
instead. Values are those of metropolitan France and the overseas departments other than
Mayotte, whose SMIC is lower (give it with ``smic``). Add a row at each revaluation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from assistant.calculators import formatting as fr
from assistant.calculators.base import InputError


@dataclass(frozen=True)
class SmicRate:
    """An hourly SMIC, when it took effect and the text that set it (None: given by the user)."""

    hourly: Decimal
    since: dt.date | None
    source: str

    def describe(self) -> str:
        if self.since is None:
            return f"SMIC horaire brut : {fr.euros(self.hourly)} ({self.source})"
        return f"SMIC horaire brut : {fr.euros(self.hourly)} depuis le {fr.date_fr(self.since)} ({self.source})"

    def to_dict(self) -> dict[str, str | None]:
        return {"hourly": str(self.hourly), "since": self.since.isoformat() if self.since else None,
                "source": self.source}


SMIC_TABLE: tuple[SmicRate, ...] = (
    SmicRate(Decimal("9.76"), dt.date(2017, 1, 1), "décret n° 2016-1818 du 22 décembre 2016"),
    SmicRate(Decimal("9.88"), dt.date(2018, 1, 1), "décret n° 2017-1719 du 20 décembre 2017"),
    SmicRate(Decimal("10.03"), dt.date(2019, 1, 1), "décret n° 2018-1173 du 19 décembre 2018"),
    SmicRate(Decimal("10.15"), dt.date(2020, 1, 1), "décret n° 2019-1387 du 18 décembre 2019"),
    SmicRate(Decimal("10.25"), dt.date(2021, 1, 1), "décret n° 2020-1598 du 16 décembre 2020"),
    SmicRate(Decimal("10.48"), dt.date(2021, 10, 1), "arrêté du 27 septembre 2021"),
    SmicRate(Decimal("10.57"), dt.date(2022, 1, 1), "décret n° 2021-1741 du 22 décembre 2021"),
    SmicRate(Decimal("10.85"), dt.date(2022, 5, 1), "arrêté du 19 avril 2022"),
    SmicRate(Decimal("11.07"), dt.date(2022, 8, 1), "arrêté du 29 juillet 2022"),
    SmicRate(Decimal("11.27"), dt.date(2023, 1, 1), "décret n° 2022-1608 du 22 décembre 2022"),
    SmicRate(Decimal("11.52"), dt.date(2023, 5, 1), "arrêté du 26 avril 2023"),
    SmicRate(Decimal("11.65"), dt.date(2024, 1, 1), "décret n° 2023-1216 du 20 décembre 2023"),
    SmicRate(Decimal("11.88"), dt.date(2024, 11, 1), "décret n° 2024-951 du 23 octobre 2024"),
    SmicRate(Decimal("12.02"), dt.date(2026, 1, 1), "décret n° 2025-1228 du 17 décembre 2025"),
    SmicRate(Decimal("12.31"), dt.date(2026, 6, 1), "arrêté du 22 mai 2026"),
)
USER_SOURCE = "valeur fournie par l'utilisateur"


def smic_on(day: dt.date) -> SmicRate:
    """The rate in force on ``day``; refuses dates before the table rather than guessing."""
    in_force = [rate for rate in SMIC_TABLE if rate.since <= day]
    if not in_force:
        raise InputError(
            "smic",
            f"la table ne connaît pas le SMIC en vigueur le {fr.date_fr(day)} (elle commence le "
            f"{fr.date_fr(SMIC_TABLE[0].since)}) : indiquez sa valeur horaire brute",
        )
    return in_force[-1]


def resolve_smic(override: Decimal | None, day: dt.date) -> SmicRate:
    """The user's value when given, else the table's value on ``day``."""
    return SmicRate(override, None, USER_SOURCE) if override is not None else smic_on(day)
