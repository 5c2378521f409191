"""OETH: the annual contribution of an employer short of beneficiaries of the obligation d'emploi.

Chain of rules: subject from 20 employees (L5212-1); required number = effectif × 6 % rounded
down (L5212-2, D5212-2); beneficiaries aged 50 or more count 1.5 (D5212-3); each missing one
costs 400, 500 or 600 × SMIC by size (D5212-20), or 1 500 × SMIC after more than three years
without any action (L5212-10, D5212-21); deductions for contracts with the adapted or protected
sector (D5212-22) and for expenses (D5212-23) within their caps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from assistant.calculators import formatting as fr
from assistant.calculators import parameters as P
from assistant.calculators.base import CalculationResult, Calculator, InputError, Inputs, Trace, spec
from assistant.calculators.smic import resolve_smic

NAME = "oeth"
_MAX_HEADCOUNT = Decimal(2_000_000)
_MAX_AMOUNT = Decimal(1_000_000_000)
# D5212-20 bands, by headcount below which each applies; the bounds are part of each parameter's
# phrase (« de 250 à moins de 750 salariés »), so the drift check covers them too.
_SIZE_BANDS = ((250, P.MONTANT_20_249), (750, P.MONTANT_250_749), (None, P.MONTANT_750_PLUS))


@dataclass(frozen=True, kw_only=True)
class OethInputs(Inputs):
    effectif: Decimal | None = spec(
        "effectif d'assujettissement (moyenne annuelle des salariés)",
        "Quel est l'effectif d'assujettissement de l'entreprise (nombre moyen de salariés sur l'année) ?",
        required=True, minimum=0, maximum=_MAX_HEADCOUNT,
    )
    beneficiaires: Decimal | None = spec(
        "bénéficiaires de l'obligation d'emploi employés (L5212-13)",
        "Combien de bénéficiaires de l'obligation d'emploi (travailleurs reconnus handicapés…) l'entreprise "
        "emploie-t-elle ?",
        required=True, minimum=0, maximum=_MAX_HEADCOUNT,
    )
    beneficiaires_50_ans: Decimal | None = spec(
        "dont bénéficiaires âgés d'au moins 50 ans (ou qui les atteignent dans l'année)",
        "Combien de ces bénéficiaires ont au moins 50 ans ou les atteignent dans l'année ?",
        minimum=0, maximum=_MAX_HEADCOUNT,
    )
    annees_seuil: int | None = spec(
        "années civiles consécutives, celle de la contribution comprise, à au moins 20 salariés (L130-1 du code de "
        "la sécurité sociale)",
        "Depuis combien d'années civiles consécutives, celle de la contribution comprise, l'effectif atteint-il au "
        "moins 20 salariés ?",
        minimum=1, maximum=200,
    )
    aucune_action_3_ans: bool | None = spec(
        "depuis plus de trois ans : aucun bénéficiaire employé, aucun contrat L5212-10-1 au-dessus du seuil, "
        "aucun accord agréé",
        "Depuis plus de trois ans, l'entreprise n'a-t-elle employé aucun bénéficiaire, passé aucun contrat avec le "
        "secteur adapté ou protégé de plus de 600 fois le SMIC horaire sur quatre ans, ni appliqué aucun accord "
        "agréé ?",
        negative="action-depuis-3-ans",
    )
    date: dt.date | None = spec(
        "une date de l'année au titre de laquelle la contribution est due (SMIC au 31 décembre de cette année)",
        "Pour quelle année la contribution est-elle due ?",
    )
    contrats_sous_traitance: Decimal | None = spec(
        "contrats avec entreprises adaptées, ESAT, indépendants handicapés, portage : prix hors taxes, "
        "moins matières, produits, sous-traitance, consommations intermédiaires et frais de vente (€)",
        "Quel montant de contrats avec le secteur adapté ou protégé (prix hors taxes, coûts de matières et frais "
        "déduits) ?",
        minimum=0, maximum=_MAX_AMOUNT,
    )
    depenses_deductibles: Decimal | None = spec(
        "dépenses déductibles de L5212-11 / D5212-23 (accessibilité, maintien dans l'emploi, accompagnement), "
        "hors taxes (€)",
        "Quel montant de dépenses déductibles (accessibilité, maintien dans l'emploi, accompagnement), hors taxes ?",
        minimum=0, maximum=_MAX_AMOUNT,
    )

    def check(self) -> None:
        if self.beneficiaires is None:
            return
        if self.beneficiaires_50_ans is not None and self.beneficiaires_50_ans > self.beneficiaires:
            raise InputError("beneficiaires_50_ans", f"ne peut pas dépasser le nombre de bénéficiaires "
                             f"({fr.number(self.beneficiaires_50_ans)} pour {fr.number(self.beneficiaires)})")
        if self.aucune_action_3_ans and self.beneficiaires > 0:
            raise InputError("aucune_action_3_ans", "contradictoire avec des bénéficiaires employés cette année "
                             "(la majoration vise l'employeur qui n'en a employé aucun depuis plus de trois ans)")


def compute(inputs: OethInputs) -> CalculationResult:
    trace = Trace(NAME, inputs, inputs.date)  # any day of the contribution year dates its rules
    trace.covers(P.TAUX_OETH, P.MONTANT_20_249)
    effectif, beneficiaires = inputs.effectif, inputs.beneficiaires
    trace.flag("Effectif d'assujettissement calculé selon L. 130-1 du code de la sécurité sociale, sans les salariés "
               "mis à disposition ou portés par une entreprise de travail temporaire, de portage ou un groupement",
               refs=("L5212-1", "D5212-1"))
    if effectif < P.SEUIL_OETH.value:
        trace.check(f"Effectif de {fr.number(effectif)} : moins de {P.SEUIL_OETH.value} salariés, l'employeur "
                    "n'est pas assujetti à la contribution ; il déclare tout de même ses bénéficiaires", P.SEUIL_OETH)
        return trace.result(
            Decimal(0), "EUR", "Entreprise non assujettie : aucune contribution OETH n'est due.",
            f"effectif {fr.number(effectif)} < {P.SEUIL_OETH.value} : non assujettie",
            {"assujetti": False, "contribution_nette": "0.00"},
        )
    if (crossing := _threshold_crossing(inputs, trace)) is not None:
        return crossing

    obligation = int((effectif * P.TAUX_OETH.value).to_integral_value(rounding=ROUND_FLOOR))
    trace.use(P.TAUX_OETH, P.ARRONDI_OBLIGATION)
    seniors = inputs.beneficiaires_50_ans
    if seniors is None:
        seniors = Decimal(0)
        trace.ask("beneficiaires_50_ans")
        trace.flag(f"Aucun bénéficiaire de 50 ans ou plus n'a été indiqué : chacun d'eux compterait "
                   f"{P.COEFFICIENT_50_ANS.shown()} et réduirait la contribution", P.COEFFICIENT_50_ANS)
    counted = beneficiaires - seniors + seniors * P.COEFFICIENT_50_ANS.value
    trace.use(P.COEFFICIENT_50_ANS)
    trace.flag("Bénéficiaires comptés : toute personne de L5212-13 quel que soit son contrat, stagiaires, "
               "périodes de mise en situation et intérimaires compris, chacun une seule fois",
               refs=("D5212-3", "L5212-13"))
    shortfall = max(Decimal(obligation) - counted, Decimal(0))
    counting = (f"obligation = ⌊{fr.number(effectif)} × {P.TAUX_OETH.shown()}⌋ = {obligation} ; "
                f"bénéficiaires comptés = {fr.number(beneficiaires - seniors)} + {fr.number(seniors)} × "
                f"{P.COEFFICIENT_50_ANS.shown()} = {fr.number(counted)} ; "
                f"manquants = max({obligation} − {fr.number(counted)} ; 0) = {fr.number(shortfall)}")
    details = {"assujetti": True, "obligation": obligation, "beneficiaires_comptes": fr.plain(counted),
               "manquants": fr.plain(shortfall)}
    trace.flag("Un accord de branche, de groupe ou d'entreprise agréé permet de s'acquitter de l'obligation autrement",
               refs=("L5212-8",))
    trace.flag("Déduction pour emplois exigeant des conditions d'aptitude particulières non calculée",
               refs=("L5212-9", "D5212-24"))
    if shortfall == 0:
        trace.check("L'entreprise emploie au moins le nombre de bénéficiaires exigé : aucune contribution", P.TAUX_OETH)
        return trace.result(Decimal(0), "EUR", "Obligation d'emploi remplie : aucune contribution OETH n'est due.",
                            counting, {**details, "contribution_nette": "0.00"})

    smic = _smic(inputs, trace)
    factor = _factor(inputs, effectif, counted, trace)
    gross = shortfall * factor.value * smic
    formula = (f"{counting} ; contribution = {fr.number(shortfall)} × {fr.number(factor.value)} × {fr.euros(smic)} "
               f"= {fr.euros(gross)}")
    deductions, deduction_text, deduction_details = _deductions(inputs, gross, counted / effectif, trace)
    net = max(gross - deductions, Decimal(0))
    if deductions:
        formula += (f" ; {deduction_text} ; contribution nette = {fr.euros(gross)} − {fr.euros(deductions)} "
                    f"= {fr.euros(net)}")
    details |= {"montant_par_manquant": str(fr.to_cents(factor.value * smic)),
                "contribution_brute": str(fr.to_cents(gross)), **deduction_details,
                "contribution_nette": str(fr.to_cents(net))}
    return trace.result(net, "EUR", f"Contribution OETH due : {fr.euros(net)}.", formula, details)


def _threshold_crossing(inputs: OethInputs, trace: Trace) -> CalculationResult | None:
    """L5212-1 → L130-1 II CSS: 20 employees count only once reached or exceeded for five consecutive
    calendar years. None when the employer is subject; else the answer (a question, or nothing due)."""
    threshold, years_needed = P.SEUIL_OETH.value, P.ANNEES_FRANCHISSEMENT.value
    rule = (P.SEUIL_OETH, P.RENVOI_FRANCHISSEMENT, P.ANNEES_FRANCHISSEMENT)
    trace.flag("Aucune disposition transitoire sur ce franchissement ne figure dans les textes du corpus (L5212-1, "
               "L130-1 du code de la sécurité sociale et leurs notes) ; une entreprise déjà assujettie avant 2020 "
               "vérifiera les dispositions transitoires de la loi n° 2019-486 du 22 mai 2019, qui a créé cette règle",
               *rule)
    years = inputs.annees_seuil
    if years is None:
        trace.ask("annees_seuil", blocking=True)
        return trace.incomplete("EUR", f"Effectif de {fr.number(inputs.effectif)} : le seuil de {threshold} salariés ne "
                                f"compte qu'une fois atteint pendant {years_needed} années civiles consécutives ; "
                                "depuis combien d'années l'est-il ?", {"assujetti": None})
    if years < years_needed:
        trace.check(f"Seuil de {threshold} salariés atteint depuis {years} année(s) civile(s) consécutive(s) : il ne "
                    f"compte qu'à partir de la {years_needed}e ; l'employeur n'est pas encore assujetti à la "
                    "contribution et déclare tout de même ses bénéficiaires", *rule)
        return trace.result(
            Decimal(0), "EUR", f"Pas encore assujettie : seuil de {threshold} salariés atteint depuis {years} an(s) "
            f"seulement, il compte après {years_needed} années civiles consécutives.",
            f"{years} année(s) < {years_needed} : non assujettie", {"assujetti": False, "contribution_nette": "0.00"},
        )
    trace.check(f"Effectif de {fr.number(inputs.effectif)}, au moins {threshold} salariés depuis {years} années civiles "
                f"consécutives : l'obligation s'applique", *rule)
    return None


def _smic(inputs: OethInputs, trace: Trace) -> Decimal:
    """D5212-20: the SMIC of 31 December of the contribution year; without a year, the reference date's."""
    if inputs.date is None:
        day = inputs.today
        trace.ask("date")
        trace.flag(f"Année de la contribution non indiquée : SMIC en vigueur aujourd'hui ({fr.date_fr(day)}) ; "
                   "la loi retient celui du 31 décembre de l'année au titre de laquelle la contribution est due",
                   P.SMIC_31_DECEMBRE)
    else:
        day = dt.date(inputs.date.year, 12, 31)
        trace.check(f"SMIC retenu : celui du 31 décembre {day.year}", P.SMIC_31_DECEMBRE)
        if day > inputs.today and inputs.smic is None:
            trace.flag(f"Le 31 décembre {day.year} n'est pas encore passé : une revalorisation du SMIC d'ici là "
                       "changerait le montant")
    trace.smic = resolve_smic(inputs.smic, day)
    return trace.smic.hourly


def _factor(inputs: OethInputs, effectif: Decimal, counted: Decimal, trace: Trace) -> P.Parameter:
    """Multiple of the SMIC per missing beneficiary: by size, or 1 500 without action for three years."""
    no_action = (P.MONTANT_SANS_ACTION, P.DUREE_SANS_ACTION, P.SEUIL_CONTRATS_SANS_ACTION)
    if inputs.aucune_action_3_ans:
        trace.check("Aucune action depuis plus de trois ans (aucun bénéficiaire, aucun contrat au-dessus du seuil, "
                    f"aucun accord agréé) : montant porté à {P.MONTANT_SANS_ACTION.shown()} quel que soit l'effectif",
                    *no_action)
        return P.MONTANT_SANS_ACTION
    if counted == 0 and inputs.aucune_action_3_ans is None:
        trace.ask("aucune_action_3_ans")
        trace.flag("Sans aucune action depuis plus de trois ans, le montant par bénéficiaire manquant passe à "
                   f"{P.MONTANT_SANS_ACTION.shown()}", *no_action)
    factor = next(amount for upper, amount in _SIZE_BANDS if upper is None or effectif < upper)
    trace.check(f"Effectif de {fr.number(effectif)} : {factor.shown()} par bénéficiaire manquant", factor)
    return factor


def _deductions(inputs: OethInputs, gross: Decimal, employment_rate: Decimal,
                trace: Trace) -> tuple[Decimal, str, dict[str, str]]:
    """D5212-22 (30 % of the contracts, capped at 50 % or 75 % of the contribution) and D5212-23
    (expenses, capped at 10 %)."""
    total, texts, details = Decimal(0), [], {}
    if inputs.contrats_sous_traitance:
        half_rate = P.TAUX_OETH.value * P.MOITIE_DU_TAUX.value
        cap_rate = P.PLAFOND_DEDUCTION_CONTRATS if employment_rate < half_rate else P.PLAFOND_DEDUCTION_CONTRATS_MAJORE
        raw = inputs.contrats_sous_traitance * P.TAUX_DEDUCTION_CONTRATS.value
        cap = gross * cap_rate.value
        deduction = min(raw, cap)
        trace.check(f"Taux d'emploi direct {fr.percent(employment_rate.quantize(Decimal('0.0001')))} "
                    f"{'<' if cap_rate is P.PLAFOND_DEDUCTION_CONTRATS else '≥'} {fr.percent(half_rate)} : "
                    f"déduction pour contrats plafonnée à {cap_rate.shown()} de la contribution",
                    P.TAUX_DEDUCTION_CONTRATS, P.MOITIE_DU_TAUX, cap_rate)
        texts.append(f"déduction contrats = min({P.TAUX_DEDUCTION_CONTRATS.shown()} × "
                     f"{fr.euros(inputs.contrats_sous_traitance)} ; {cap_rate.shown()} × {fr.euros(gross)}) "
                     f"= {fr.euros(deduction)}")
        details["deduction_contrats"] = str(fr.to_cents(deduction))
        total += deduction
    if inputs.depenses_deductibles:
        cap = gross * P.PLAFOND_DEPENSES.value
        deduction = min(inputs.depenses_deductibles, cap)
        trace.check(f"Dépenses déductibles plafonnées à {P.PLAFOND_DEPENSES.shown()} de la contribution",
                    P.PLAFOND_DEPENSES)
        trace.flag("Dépenses déductibles : seulement celles que la loi ou le règlement n'imposent pas déjà à "
                   "l'employeur, non cumulables avec une aide de l'Agefiph pour le même objet",
                   refs=("L5212-11", "D5212-23"))
        texts.append(f"déduction dépenses = min({fr.euros(inputs.depenses_deductibles)} ; "
                     f"{P.PLAFOND_DEPENSES.shown()} × {fr.euros(gross)}) = {fr.euros(deduction)}")
        details["deduction_depenses"] = str(fr.to_cents(deduction))
        total += deduction
    return total, " ; ".join(texts), details


CALCULATOR = Calculator(
    name=NAME,
    title="Contribution OETH (obligation d'emploi des travailleurs handicapés)",
    description="Contribution annuelle de l'employeur qui n'emploie pas 6 % de bénéficiaires de l'obligation "
                "d'emploi.",
    unit="EUR",
    inputs=OethInputs,
    compute=compute,
    parameters=(
        P.SEUIL_OETH, P.RENVOI_FRANCHISSEMENT, P.ANNEES_FRANCHISSEMENT, P.TAUX_OETH, P.ARRONDI_OBLIGATION,
        P.COEFFICIENT_50_ANS, P.AGE_50_ANS, P.MONTANT_20_249,
        P.MONTANT_250_749, P.MONTANT_750_PLUS, P.SMIC_31_DECEMBRE, P.MONTANT_SANS_ACTION, P.DUREE_SANS_ACTION,
        P.SEUIL_CONTRATS_SANS_ACTION, P.TAUX_DEDUCTION_CONTRATS, P.PLAFOND_DEDUCTION_CONTRATS,
        P.PLAFOND_DEDUCTION_CONTRATS_MAJORE, P.MOITIE_DU_TAUX, P.PLAFOND_DEPENSES,
    ),
    uses_smic=True,
)
