"""Indemnité légale de licenciement (L1234-9, R1234-1 to R1234-4) and its doubling for an
inaptitude of professional origin (L1226-14, L1226-16).

Amount: ¼ month of reference salary per year up to ten years, ⅓ beyond, incomplete years by
complete months. The reference salary is the more favourable of the 12-month average and the
3-month average; for the special indemnity it is the 3-month average the employee would have
earned (L1226-16). The special indemnity doubles the legal one; like every amount, it is
rounded to the cent only at the end.
The rupture conventionnelle calculator reuses the same minimum.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from assistant.calculators import formatting as fr
from assistant.calculators import parameters as P
from assistant.calculators.base import CalculationResult, Calculator, InputError, Trace, spec
from assistant.calculators.dates import complete_months
from assistant.calculators.seniority import SUSPENSION_RULES, SeniorityInputs, counted_months

NAME = "indemnite-licenciement"
_MAX_SALARY = Decimal(1_000_000)


@dataclass(frozen=True, kw_only=True)
class SalaryInputs(SeniorityInputs):
    """Seniority and the reference salary: what the legal indemnity and the rupture conventionnelle's
    minimum share."""

    salaire_reference: Decimal | None = spec(
        "salaire mensuel brut de référence (la plus favorable des deux moyennes de R1234-4), en €",
        "Quel est le salaire mensuel brut de référence (moyenne des 12 derniers mois ou tiers des 3 derniers, "
        "la plus favorable) ?",
        minimum=Decimal("0.01"), maximum=_MAX_SALARY,
    )
    moyenne_12_mois: Decimal | None = spec(
        "moyenne mensuelle brute des 12 derniers mois (ou de tous les mois si moins de 12), en €",
        "Quelle est la moyenne mensuelle brute des 12 derniers mois ?",
        minimum=Decimal("0.01"), maximum=_MAX_SALARY,
    )
    moyenne_3_mois: Decimal | None = spec(
        "tiers des 3 derniers mois bruts (primes annuelles au prorata), en €",
        "Quel est le tiers des salaires bruts des 3 derniers mois (primes annuelles comptées au prorata) ?",
        minimum=Decimal("0.01"), maximum=_MAX_SALARY,
    )
    temps_complet_et_partiel: bool | None = spec(
        "le salarié a travaillé dans l'entreprise à temps complet et à temps partiel",
        "Le salarié a-t-il travaillé dans l'entreprise tantôt à temps complet, tantôt à temps partiel ?",
        negative="un-seul-temps-de-travail",
    )

    def check(self) -> None:
        super().check()
        if self.salaire_reference is not None and (self.moyenne_12_mois or self.moyenne_3_mois):
            raise InputError("salaire_reference",
                             "indiquez soit le salaire de référence, soit les moyennes sur 12 et 3 mois, pas les deux")


@dataclass(frozen=True, kw_only=True)
class SeveranceInputs(SalaryInputs):
    """A dismissal has two dates that matter: its notification (the 8-month condition, and which rules
    apply) and the end of notice, even when the notice is not worked (the seniority of the amount).
    ``sortie`` keeps its documented meaning, the end of the contract notice included."""

    notification: dt.date | None = spec(
        "date de notification du licenciement (envoi de la lettre) : condition des 8 mois, règles applicables",
        "À quelle date le licenciement a-t-il été notifié (envoi de la lettre de licenciement) ?",
    )
    fin_preavis: dt.date | None = spec(
        "date de fin du préavis, même non exécuté (ancienneté du montant) ; « sortie » en est l'ancien nom",
        "À quelle date le préavis prend-il fin, même s'il n'est pas exécuté (date de notification si aucun préavis "
        "n'est dû) ?",
    )
    inaptitude_professionnelle: bool | None = spec(
        "licenciement pour inaptitude d'origine professionnelle (accident du travail, maladie professionnelle)",
        "Le licenciement fait-il suite à une inaptitude d'origine professionnelle (accident du travail ou maladie "
        "professionnelle) ?",
        negative="inaptitude-non-professionnelle",
    )
    faute_grave: bool | None = spec(
        "licenciement pour faute grave (ou lourde)", "Le licenciement est-il prononcé pour faute grave ou lourde ?",
        negative="sans-faute-grave",
    )

    def period_end(self) -> tuple[str, dt.date | None]:
        if self.fin_preavis is not None:
            return "fin_preavis", self.fin_preavis
        return ("sortie", self.sortie) if self.sortie is not None else ("fin_preavis", None)

    def waits_for_end(self) -> bool:
        return self.notification is not None

    def check(self) -> None:
        if self.fin_preavis is not None and self.sortie is not None:
            raise InputError("sortie", "« sortie » et « fin-preavis » sont la même date (fin du contrat, préavis "
                             "compris) : indiquez-en une seule")
        super().check()
        _, end = self.period_end()
        if self.notification is not None:
            if self.entree is None and self.anciennete_mois is None:
                raise InputError("entree", "la date d'entrée est nécessaire avec la date de notification")
            if self.entree and self.notification < self.entree:
                raise InputError("notification", f"la notification ({fr.date_fr(self.notification)}) précède la "
                                 f"date d'entrée ({fr.date_fr(self.entree)})")
            if end and end < self.notification:
                raise InputError("fin_preavis", f"la fin du préavis ({fr.date_fr(end)}) précède la notification "
                                 f"({fr.date_fr(self.notification)})")

    def facts_date(self) -> tuple[str, dt.date | None]:
        """The date that says which rules apply: the notification (a dismissal is « prononcé » when
        notified), else the end of the contract, else none (the reference date)."""
        if self.notification is not None:
            return "notification", self.notification
        return self.period_end()


def compute(inputs: SeveranceInputs) -> CalculationResult:
    date_field, day = inputs.facts_date()
    trace = Trace(NAME, inputs, day, date_field)
    trace.covers(P.QUART_DE_MOIS, P.ANCIENNETE_MINIMALE)
    trace.flag("Le salarié est titulaire d'un contrat à durée indéterminée", P.CONTRAT_CDI)
    months = counted_months(inputs, trace, P.SUSPENSION_NON_DECOMPTEE)
    special = bool(inputs.inaptitude_professionnelle)
    if inputs.faute_grave:
        trace.check("Licenciement pour faute grave (ou lourde) : l'indemnité de licenciement n'est pas due",
                    P.EXCLUSION_FAUTE_GRAVE)
        return trace.result(Decimal(0), "EUR", "Aucune indemnité légale de licenciement : faute grave ou lourde.",
                            "faute grave : 0,00 €", {"due": False})
    if inputs.faute_grave is None:
        trace.ask("faute_grave")
        trace.flag("En cas de faute grave ou lourde, l'indemnité n'est pas due", P.EXCLUSION_FAUTE_GRAVE)
    at_notification = _months_at_notification(inputs, months, trace)
    if at_notification is not None and not _seniority_suffices(at_notification, special, trace):
        trace.missing = [q for q in trace.missing if q.field != "fin_preavis"]  # no amount: its date is moot
        minimum = P.ANCIENNETE_MINIMALE.value
        return trace.result(Decimal(0), "EUR",
                            f"Aucune indemnité légale de licenciement : {fr.months(at_notification)} d'ancienneté, il "
                            f"en faut {minimum} mois.", f"{at_notification} mois < {minimum} mois : 0,00 €",
                            {"due": False, "anciennete_mois": at_notification})
    if months is None:
        reference_salary(inputs, trace, special)  # ask for the salary too, if it is missing
        needed = "la date de fin du préavis" if inputs.entree else "l'ancienneté du salarié"
        return trace.incomplete("EUR", f"Il faut {needed} pour calculer l'indemnité.")
    reference = reference_salary(inputs, trace, special)
    if reference is None:
        return trace.incomplete("EUR", "Il faut le salaire de référence pour calculer l'indemnité.",
                                {"anciennete_mois": months})
    amount, formula = legal_minimum(reference, months, trace)
    details = {"due": True, "anciennete_mois": months, "salaire_reference": str(reference),
               "indemnite_legale": str(fr.to_cents(amount))}
    if not special:
        if inputs.inaptitude_professionnelle is None:
            trace.ask("inaptitude_professionnelle")
            trace.flag("Inaptitude d'origine professionnelle : l'indemnité spéciale est le double de ce montant",
                       P.DOUBLE_INAPTITUDE)
        return trace.result(amount, "EUR", f"Indemnité légale de licenciement : {fr.euros(amount)}.", formula, details)
    return _special_indemnity(amount, formula, details, trace)


def _months_at_notification(inputs: SeveranceInputs, months: int | None, trace: Trace) -> int | None:
    """The seniority the 8-month condition is judged on: at the notification (L1234-9: « licencié alors
    qu'il compte 8 mois »), the same suspensions left out. Without a notification date, the seniority to
    the end of the contract stands in for it, said so, and the date is asked."""
    if inputs.notification is None or inputs.entree is None:
        if inputs.entree is not None and months is not None:
            trace.ask("notification")
            trace.flag("Date de notification non indiquée : la condition des 8 mois et les règles applicables "
                       "s'apprécient à la notification, non à la fin du préavis", P.ANCIENNETE_MINIMALE)
        return months
    total = complete_months(inputs.entree, inputs.notification)
    at_notification = max(total - inputs.left_out_months(), 0)
    _, end = inputs.period_end()
    ends = f", fin du préavis le {fr.date_fr(end)}" if end else ""
    trace.check(f"Licenciement notifié le {fr.date_fr(inputs.notification)}{ends} : condition des 8 mois appréciée à "
                f"la notification ({fr.months(at_notification)}), montant calculé sur l'ancienneté à la fin du "
                "préavis", P.ANCIENNETE_MINIMALE)
    return at_notification


def _seniority_suffices(months: int, special: bool, trace: Trace) -> bool:
    """L1234-9: 8 months; for the special indemnity the amount is computed anyway, and flagged."""
    minimum = P.ANCIENNETE_MINIMALE.value
    if months >= minimum:
        trace.check(f"Ancienneté de {fr.months(months)} : au moins {minimum} mois", P.ANCIENNETE_MINIMALE)
        return True
    if not special:
        trace.check(f"Ancienneté de {fr.months(months)} : moins de {minimum} mois ininterrompus, l'indemnité "
                    "légale n'est pas due", P.ANCIENNETE_MINIMALE)
        return False
    trace.flag(f"Ancienneté de {fr.months(months)}, inférieure à {minimum} mois : l'indemnité spéciale est calculée "
               "car L1226-14 renvoie au montant de l'indemnité de L1234-9, non à sa condition d'ancienneté ; "
               "position à confirmer selon la jurisprudence", P.DOUBLE_INAPTITUDE, P.ANCIENNETE_MINIMALE)
    return True


def _special_indemnity(amount: Decimal, formula: str, details: dict[str, object], trace: Trace) -> CalculationResult:
    """L1226-14: twice the legal indemnity, rounded only at the end like every amount."""
    doubled = amount * P.DOUBLE_INAPTITUDE.value
    trace.check("Inaptitude d'origine professionnelle : indemnité spéciale égale au double de l'indemnité légale",
                P.DOUBLE_INAPTITUDE)
    trace.flag("L'indemnité spéciale n'est pas due si l'employeur établit que le refus du reclassement par le "
               "salarié est abusif ; s'y ajoute une indemnité compensatrice égale à l'indemnité de préavis, non "
               "calculée ici", refs=("L1226-14", "L1234-5"))
    return trace.result(
        doubled, "EUR", f"Indemnité spéciale de licenciement (inaptitude professionnelle) : {fr.euros(doubled)}.",
        f"{formula} ; indemnité spéciale = {P.DOUBLE_INAPTITUDE.value} × {fr.unrounded_euros(amount)} = "
        f"{fr.euros(doubled)}",
        details | {"indemnite_speciale": str(fr.to_cents(doubled))},
    )


def reference_salary(inputs: SalaryInputs, trace: Trace, special: bool) -> Decimal | None:
    """R1234-4 (the more favourable formula) or, for the special indemnity, L1226-16 (3 months)."""
    _flag_reference_period(inputs, trace)
    if special:
        reference = inputs.salaire_reference or inputs.moyenne_3_mois
        twelve = inputs.moyenne_12_mois
        if twelve is not None and (reference is None or twelve > reference):
            # never dropped silently: the user gave it, the text retains another base
            trace.flag(f"Moyenne des douze derniers mois indiquée ({fr.euros(twelve)}) : L1226-16 retient pour "
                       "l'indemnité spéciale le salaire moyen des trois derniers mois qu'aurait perçu le salarié ; "
                       "vérifiez si la formule plus favorable de R1234-4 (douze mois) peut être retenue",
                       P.SALAIRE_INAPTITUDE, P.MOYENNE_12_MOIS)
        if reference is None:
            trace.ask("moyenne_3_mois", blocking=True)
            return None
        trace.check(f"Indemnité spéciale : salaire de référence {fr.euros(reference)}, moyenne des trois derniers "
                    "mois qu'aurait perçus le salarié à son poste avant la suspension du contrat", P.SALAIRE_INAPTITUDE)
        return reference
    trace.use(P.SALAIRE_PLUS_AVANTAGEUX)
    twelve, three = inputs.moyenne_12_mois, inputs.moyenne_3_mois
    both_formulas = (P.SALAIRE_PLUS_AVANTAGEUX, P.MOYENNE_12_MOIS, P.MOYENNE_3_MOIS)
    if inputs.salaire_reference is not None:
        trace.flag(f"Salaire de référence de {fr.euros(inputs.salaire_reference)} : il doit être le plus favorable "
                   "de la moyenne des douze derniers mois et du tiers des trois derniers mois (primes annuelles au "
                   "prorata)", *both_formulas, P.PRIMES_PRORATA)
        return inputs.salaire_reference
    if twelve is not None and three is not None:
        reference = max(twelve, three)
        trace.check(f"Salaire de référence : le plus favorable de {fr.euros(twelve)} (12 mois) et "
                    f"{fr.euros(three)} (3 mois), soit {fr.euros(reference)}", *both_formulas)
        trace.flag("Dans la moyenne des trois derniers mois, les primes annuelles ne comptent qu'au prorata",
                   P.PRIMES_PRORATA)
        return reference
    if twelve is None and three is None:
        trace.ask("salaire_reference", blocking=True)
        return None
    trace.ask("moyenne_3_mois" if three is None else "moyenne_12_mois")
    trace.flag("Une seule des deux moyennes est connue : l'autre formule peut être plus favorable", *both_formulas)
    return twelve if three is None else three


def _flag_reference_period(inputs: SalaryInputs, trace: Trace) -> None:
    """What the reference salary may have to leave out or split, when the facts say so."""
    if inputs.absences_mois or inputs.arret_professionnel_mois:
        trace.flag("Arrêt de travail pendant les mois de référence : le salaire à retenir est celui des mois "
                   "précédant l'arrêt, non les salaires réduits ou les indemnités de l'arrêt (appréciation des "
                   "juges) ; vérifiez les moyennes indiquées", P.MOYENNE_12_MOIS, P.MOYENNE_3_MOIS)
    if inputs.temps_complet_et_partiel:
        trace.flag("Carrière à temps complet et à temps partiel : l'indemnité se calcule proportionnellement aux "
                   "périodes accomplies selon chaque modalité depuis l'entrée dans l'entreprise ; le montant calculé ici "
                   "sur un seul salaire de référence est à répartir entre ces périodes",
                   P.INDEMNITE_TEMPS_PARTIEL)


def legal_minimum(reference: Decimal, months: int, trace: Trace) -> tuple[Decimal, str]:
    """¼ month per year up to ten years, ⅓ beyond, complete months of an incomplete year (unrounded)."""
    threshold = P.SEUIL_DIX_ANS.value * 12
    first, beyond = min(months, threshold), max(months - threshold, 0)
    trace.use(P.QUART_DE_MOIS, P.SEUIL_DIX_ANS)
    parts = [(_share(reference, P.QUART_DE_MOIS.value, first), P.QUART_DE_MOIS, first)]
    if beyond:
        trace.use(P.TIERS_DE_MOIS)
        parts.append((_share(reference, P.TIERS_DE_MOIS.value, beyond), P.TIERS_DE_MOIS, beyond))
    if months % 12:
        trace.use(P.MOIS_COMPLETS)
    amount = sum((value for value, _, _ in parts), Decimal(0))
    terms = " + ".join(f"{fr.euros(reference)} × {rate.shown()} × {_years(count)}" for _, rate, count in parts)
    if len(parts) > 1:
        terms += " = " + " + ".join(fr.euros(value) for value, _, _ in parts)
    return amount, f"{terms} = {fr.euros(amount)}"


def _share(reference: Decimal, rate: Fraction, months: int) -> Decimal:
    return reference * months * rate.numerator / (12 * rate.denominator)


def _years(months: int) -> str:
    """« 10 ans », « 1 an », « 8 mois / 12 » for a number of complete months."""
    if months % 12:
        return f"{months} mois / 12"
    years = months // 12
    return f"{years} an{'s' if years > 1 else ''}"


CALCULATOR = Calculator(
    name=NAME,
    title="Indemnité légale de licenciement",
    description="Minimum légal : 1/4 de mois par année jusqu'à 10 ans, 1/3 au-delà ; doublé pour une inaptitude "
                "professionnelle.",
    unit="EUR",
    inputs=SeveranceInputs,
    compute=compute,
    parameters=(
        P.CONTRAT_CDI, P.SUSPENSION_NON_DECOMPTEE, *SUSPENSION_RULES, P.EXCLUSION_FAUTE_GRAVE,
        P.ANCIENNETE_MINIMALE,
        P.SALAIRE_PLUS_AVANTAGEUX, P.MOYENNE_12_MOIS, P.MOYENNE_3_MOIS, P.PRIMES_PRORATA, P.SALAIRE_INAPTITUDE,
        P.QUART_DE_MOIS, P.TIERS_DE_MOIS, P.SEUIL_DIX_ANS, P.MOIS_COMPLETS, P.DOUBLE_INAPTITUDE,
        P.INDEMNITE_TEMPS_PARTIEL,
    ),
)
