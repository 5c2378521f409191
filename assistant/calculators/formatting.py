"""French formatting of amounts, numbers, rates and dates, and the one rounding rule.

Amounts are rounded to the cent only once, at the end of a calculation (ROUND_HALF_UP, the
usual payroll rule); every intermediate figure keeps its full precision.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """Round an amount to the cent, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal | int) -> str:
    """JSON spelling of a count or quantity: « 4 », « 2.5 » (no exponent, no trailing zeros)."""
    value = Decimal(value)
    return f"{value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize():f}"


def number(value: Decimal | int, decimals: int | None = None) -> str:
    """« 1 500 », « 12,02 », « 2,5 »: French decimal comma and space-grouped thousands."""
    value = Decimal(value)
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    else:
        value = value.normalize()
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    grouped = " ".join([whole, *groups])
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def euros(amount: Decimal) -> str:
    """« 14 424,00 € » (rounded to the cent)."""
    return f"{number(to_cents(amount), 2)} €"


def unrounded_euros(amount: Decimal) -> str:
    """« 166,6666… € » for an intermediate amount that is not a whole number of cents, so that a formula
    which goes on computing with it reads right (2 × 166,6666… € = 333,33 €); « 500,00 € » otherwise."""
    if amount == to_cents(amount):
        return euros(amount)
    return f"{number(amount.quantize(Decimal('0.0001'), rounding=ROUND_DOWN), 4)}… €"


def percent(rate: Decimal) -> str:
    """Decimal("0.06") → « 6 % »."""
    return f"{number(rate * 100)} %"


def fraction(value: Fraction) -> str:
    """Fraction(1, 4) → « 1/4 »."""
    return f"{value.numerator}/{value.denominator}"


def date_fr(day: dt.date) -> str:
    """« 31/12/2026 »."""
    return day.strftime("%d/%m/%Y")


def months(count: int) -> str:
    """« 1 mois », « 3 ans et 4 mois » for a seniority expressed in complete months."""
    years, rest = divmod(count, 12)
    parts = []
    if years:
        parts.append(f"{years} an{'s' if years > 1 else ''}")
    if rest or not years:
        parts.append(f"{rest} mois")
    return " et ".join(parts)
