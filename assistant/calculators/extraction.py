"""From a French chat message to a calculator and the inputs it states, across turns.

The assistant must never do a legal computation itself: it recognises that a question is
calculable, hands the facts found in the text to a calculator, and asks for the rest (the
calculator's own questions). Recognition and extraction are deterministic rules on the message
folded to lower case without accents:

- the calculator is the first topic whose keywords appear (« rupture conventionnelle » before
  « préavis » before « licenci… », so that the most specific wins);
- each input has a few phrasings (« 120 salariés », « 2 500 € bruts par mois », « embauché le
  3 mars 2019 »…); a matched span is blanked so that one figure never feeds two inputs, which is
  why the more specific rules come first (« dont 2 de plus de 50 ans » before « 4 travailleurs
  handicapés » before « 120 salariés »);
- a message without a topic, on the same topic, or starting with « et… », continues the previous
  turn: its inputs replace the previous ones (« et avec 300 salariés ? »).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from corpus.text_forms import search_form

from assistant.calculators.dates import MONTH_NAMES, parse_date
from assistant.calculators.parameters import AGE_50_ANS, DUREE_SANS_ACTION
from assistant.calculators.registry import CALCULATORS
from assistant.contract_endings import Ending, endings_named


@dataclass(frozen=True)
class Extraction:
    """The calculator a message is about (None if none) and the inputs read in it so far."""

    calculator: str | None
    inputs: dict[str, object] = field(default_factory=dict)


# --- Topics ---------------------------------------------------------------------------------------
_TOPICS: tuple[tuple[str, str], ...] = (
    ("rupture-conventionnelle", r"rupture conventionnelle|rupture amiable|retract|homologation"),
    # The notice of a resignation, a strike or an agreement's termination is not the dismissal notice it computes
    ("preavis-licenciement", r"^(?!.*(?:demission|greve|denonc)).*preavis"),
    ("indemnite-fin-mission", r"fin de mission|\binterim\w*[^.]{0,60}(?:precarite|fin de contrat)"
                              r"|(?:precarite|fin (?:de|du) (?:mon |son |ce |d'un |l'|un )?(?:contrat|mission))"
                              r"[^.]{0,40}\binterim|fin (?:de|du) (?:mon |son |ce |d'un |l'|un )?interim"),
    ("indemnite-fin-contrat", r"precarite|(?:indemnite|prime) de fin de contrat|\bcdd\b"
                              r"|fin (?:de|du) (?:mon |son |ce |d'un |l'|un )?cdd"),
    ("cej-eligibilite", r"engagement jeune|\bcej\b"),
    ("activite-partielle", r"activite partielle|chomage (?:partiel|technique)|\bapld\b"),
    ("indemnite-licenciement", r"licenci|inaptitude|inapte"),
    ("oeth", r"\b(?:oeth|boeth|doeth|agefiph)\b|obligation d'emploi|handicap"),
)
_FOLLOW_UP = re.compile(r"\s*(?:et|meme|mais|sinon|alors|dans ce cas|pareil|oui|non)\b")
# The way of ending the contract each calculator is about: a follow-up naming another one is not its question.
_ENDING_OF = {"preavis-licenciement": Ending.LICENCIEMENT, "indemnite-licenciement": Ending.LICENCIEMENT,
              "rupture-conventionnelle": Ending.RUPTURE_CONVENTIONNELLE}


def detect_calculator(text: str) -> str | None:
    """The calculator a message is about, or None."""
    folded = search_form(text)
    return next((name for name, pattern in _TOPICS if re.search(pattern, folded)), None)


# What a message says when it wants the calculator's result, not only the rule: « peut-on me licencier
# pendant un arrêt maladie ? » is about dismissal, not about the dismissal allowance's amount. The
# préavis and the CEJ's eligibility are what their topic words ask for.
# « Combien de temps », « combien de jours » ask for a delay, not an amount: « combien de temps pour contester
# mon licenciement ? » got a « non calculable » indemnity block.
_HOW_MANY_NOT_MONEY = r"(?! (?:de |d')(?:temps|jours?|semaines?|mois(?! de salaire)|ans|annees|fois|heures|salaries))"
_AMOUNT_ASKED = rf"indemnit|montant|combien{_HOW_MANY_NOT_MONEY}|calcul|toucher|percevoir|verse|paye|\btaux\b|simul"
_RESULT_ASKED: dict[str, str] = {
    "rupture-conventionnelle": _AMOUNT_ASKED,
    "preavis-licenciement": r"preavis",
    "indemnite-fin-contrat": _AMOUNT_ASKED + r"|prime|precarite",
    "indemnite-fin-mission": _AMOUNT_ASKED + r"|prime|precarite",
    "cej-eligibilite": r"engagement jeune|\bcej\b",
    "activite-partielle": _AMOUNT_ASKED + r"|allocation|rembours",
    "indemnite-licenciement": _AMOUNT_ASKED,
    "oeth": _AMOUNT_ASKED + r"|contribution|nombre|quota|employer|embaucher",
}


def asks_for_result(text: str, calculator: str) -> bool:
    """Whether a message asks for what ``calculator`` computes (an amount, a duration, an eligibility)."""
    return re.search(_RESULT_ASKED[calculator], search_form(text)) is not None


def calls_for_calculation(text: str, extraction: Extraction) -> bool:
    """Whether the answer runs ``extraction``'s calculator: the message asks for its result, or the conversation
    states a quantity it computes from (a seniority, a salary, a date, a headcount). A yes/no fact qualifies a
    calculation but does not call for one: « licenciement économique » reads « no serious misconduct » and
    « inapte » an unfitness, and questions on the procedure got a « non calculable » indemnity block citing
    articles that do not bear on them."""
    return extraction.calculator is not None and (
        asks_for_result(text, extraction.calculator)
        or any(not isinstance(value, bool) for value in extraction.inputs.values()))


# --- Numbers, amounts and dates ---------------------------------------------------------------------
_UNITS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
          "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
          "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19}
_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_WORD = (rf"(?:(?:{'|'.join(_TENS)})(?:-et-un|-(?:{'|'.join(w for w in _UNITS if _UNITS[w] < 10 and w != 'une')}))?"
         rf"|{'|'.join(sorted(_UNITS, key=len, reverse=True))})")
NUM = rf"(?:\d{{1,3}}(?:[ .]\d{{3}})+(?:,\d+)?|\d+(?:[.,]\d+)?|\b{_WORD}\b)"
EUR = r"(?:€|euros?\b|eur\b)"
DATE = rf"(?:(?:1er|\d{{1,2}}) (?:{'|'.join(MONTH_NAMES)}) \d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"


def to_number(token: str) -> Decimal:
    """« 2 500,50 » → 2500.50, « 2.500 » → 2500, « vingt-cinq » → 25."""
    token = token.strip()
    if token in _UNITS:
        return Decimal(_UNITS[token])
    if token.split("-")[0] in _TENS:
        tens, _, unit = token.partition("-")
        return Decimal(_TENS[tens] + (_UNITS.get(unit.removeprefix("et-"), 0)))
    if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?", token):
        token = re.sub(r"[ .]", "", token)
    return Decimal(token.replace(",", "."))


# --- Rules -----------------------------------------------------------------------------------------
Reader = Callable[[re.Match[str]], object]
ALL = "all"  # « tous ont plus de 50 ans »: as many as the beneficiaries


@dataclass(frozen=True)
class Rule:
    """``pattern`` found in the folded message gives ``field`` the value ``read`` returns."""

    field: str
    pattern: re.Pattern[str]
    read: Reader
    only: tuple[str, ...] = ()  # the calculators the rule is meant for, when the field name is shared


def _n(match: re.Match[str]) -> Decimal:
    value = to_number(match.group("n"))
    return value * 1000 if match.groupdict().get("k") else value


def _date(match: re.Match[str]) -> dt.date | None:
    try:
        return parse_date(match.group("d"))
    except ValueError:  # « 31 février »: left for the calculator to ask again
        return None


def _months(match: re.Match[str]) -> int:
    years, months = match.groupdict().get("y"), match.groupdict().get("m")
    total = int(to_number(years)) * 12 if years else 0
    total += int(to_number(months)) if months else 0
    return total + (6 if match.groupdict().get("half") else 0)


def _year_end(match: re.Match[str]) -> dt.date:
    return dt.date(int(match.group("year")), 12, 31)


def _more_than_three_years(match: re.Match[str]) -> bool | None:
    """« depuis plus de 3 ans », « depuis 4 ans »: the « période supérieure à trois ans » of D5212-21."""
    years, limit = to_number(match.group("n")), DUREE_SANS_ACTION.value
    return True if years > limit or (years == limit and match.group("plus")) else None


def _aged(match: re.Match[str]) -> Decimal | None:
    """« dont un de 55 ans »: that many beneficiaries count 1.5 when the age stated is 50 or more (D5212-3);
    a younger age says nothing of the others, so no value (the calculator asks)."""
    count = to_number(match.groupdict().get("n") or "un")
    return count if to_number(match.group("age")) >= AGE_50_ANS.value else None


def _years_since(match: re.Match[str]) -> int:
    return int(to_number(match.group("n"))) + (1 if match.group("plus") else 0)


def _const(value: object) -> Reader:
    return lambda _match: value


def _rules(field_name: str, read: Reader, *patterns: str, only: tuple[str, ...] = ()) -> list[Rule]:
    return [Rule(field_name, re.compile(p), read, only) for p in patterns]


_BENEFICIARY = (
    r"(?:(?:travailleurs?|travailleuses?|salarie(?:e)?s?|personnes?|employe(?:e)?s?|collaborat\w+|agents?) )?"
    r"(?:handicape(?:e)?s?|en situation de handicap|reconnu(?:e)?s? (?:travailleurs? )?handicape(?:e)?s?|rqth|boeth"
    r"|th\b|beneficiaires? de l'obligation d'emploi|beneficiaires? (?:de l')?oeth)"
)
_FIFTY = r"(?:50|cinquante) ans"
_OVER_FIFTY = rf"(?:plus de |au moins )?{_FIFTY}"
_NO_ACTION = r"(?:aucune? (?:action|embauche|travailleur handicape|contrat|accord)|rien fait|rien entrepris)"
_ADAPTED_SECTOR = r"(?:esat|entreprises? adaptees?|secteur (?:adapte|protege))"
_YEARS_MONTHS = rf"(?P<y>{NUM}) ans?(?P<half> et demi)?(?:(?: et|,)? (?P<m>{NUM}) mois)?"
_MONTHS_ONLY = rf"(?P<m>{NUM}) mois"
_AT_COMPANY = (r"(?:d(?:'| |' )?anciennete|de maison|dans (?:l'entreprise|la boite|la societe)|de presence|de service"
               r"|chez (?:le meme employeur|mon employeur|nous|lui|eux))")
_WORK_ACCIDENT = r"[^.]{0,40}?(?:accident du travail|maladie professionnelle|\bat\b|\bmp\b)"
_AMOUNT = rf"(?P<n>{NUM}) ?(?P<k>k)? ?"  # « 2 500 », « 3k »
_MONTHLY = rf"{_AMOUNT}(?:{EUR} ?(?:bruts? ?)?|bruts? )(?:par mois|mensuels?|/ ?mois|mensuellement)"
_HOURLY_UNIT = r"(?:de l'heure|par heure|/ ?h(?:eure)?\b|l'heure|horaires?)"
# « 36 000 € par an » is not a monthly salary: read as one, it made the indemnity twelve times too high.
_YEARLY = r"(?! ?(?:bruts? |nets? )?(?:par an|l'an|/ ?an\b|annuel|annuellement|sur l'annee))"
# The calculators take gross salaries: « 2 000 euros nets » read as gross made the indemnity about a fifth
# too low, silently. A net amount is not read, and the calculator asks for the gross one.
_NOT_NET = r"(?! ?nets?\b)"
_IS = r"(?:de |: |= |est de |d'environ )?"
_DISMISSAL = ("indemnite-licenciement", "preavis-licenciement")
_NOTIFIED = (r"(?:licencie(?:e)?|licenciement(?: (?:m'a ete |lui a ete |a ete )?(?:notifie|prononce|envoye)e?)?|notifi\w*"
             r"|lettre de licenciement(?: (?:recue|envoyee|presentee))?)")
_NOTICE_ENDS = r"(?:fin (?:de|du) (?:mon |son )?preavis|preavis (?:se termine|prend fin|finit|s'acheve|court jusqu'))"
_LEAVING = (r"(?:sortie|quitt\w*|depart|fin (?:de|du) (?:mon |son |du )?contrat"
            r"|rupture|(?:je |il |elle )?(?:pars|part|partira))")
_WHOLE_CONTRACT = (r"(?:au total|en tout|sur (?:toute )?la duree|sur l'ensemble du contrat|sur le (?:contrat|cdd)"
                   r"|pour tout le contrat|pendant (?:tout )?le (?:contrat|cdd))")

RULES: tuple[Rule, ...] = tuple(
    # OETH
    _rules("beneficiaires_50_ans", _const(0),
           rf"aucun(?:e)? (?:d'entre eux |d'entre elles )?(?:n'a|n'ont|n'atteint|n'est age) {_OVER_FIFTY}",
           rf"(?:tous|toutes) (?:ont )?moins de {_FIFTY}", r"aucun(?:e)? (?:de plus de|senior)")
    + _rules("beneficiaires_50_ans", _const(ALL), rf"(?:tous|toutes) (?:ont|sont age(?:e)?s de|ayant) {_OVER_FIFTY}")
    + _rules("beneficiaires_50_ans", _n,
             rf"dont (?P<n>{NUM}) (?:(?:qui )?ont |ayant |(?:sont )?age(?:e)?s? de |de |d')?{_OVER_FIFTY}",
             rf"(?P<n>{NUM}) (?:d'entre (?:eux|elles) )?(?:(?:qui )?ont|ayant) {_OVER_FIFTY}",
             rf"(?P<n>{NUM}) (?:seniors?\b|(?:age(?:e)?s? )?de plus de {_FIFTY}"
             rf"|(?:age(?:e)?s? )?de {_FIFTY} (?:ou|et) plus)")
    + _rules("beneficiaires_50_ans", _aged,
             rf"dont (?P<n>{NUM}) (?:(?:qui )?a |ayant |(?:est |sont )?age(?:e)?s? de |de |d')(?P<age>{NUM}) ans",
             rf"(?:l'un|l'une)(?: d'entre eux| d'entre elles| d'eux| d'elles)? (?:a|est age(?:e)? de) (?P<age>{NUM}) ans")
    + _rules("beneficiaires", _const(Decimal(0)), rf"(?:aucun(?:e)?|pas de|zero) {_BENEFICIARY}")
    + _rules("beneficiaires", _n, rf"(?P<n>{NUM}) {_BENEFICIARY}")
    + _rules("effectif", _n,
             rf"(?P<n>{NUM}) (?:salarie(?:e)?s|employe(?:e)?s|personnes|collaborat\w+|etp|agents|equivalents? temps "
             r"plein)(?! (?:sont )?(?:handicap|en situation de handicap|reconnu|rqth|boeth|beneficiaire|th\b))",
             rf"effectif(?: d'assujettissement| moyen| total)? (?:s'eleve a )?{_IS}(?P<n>{NUM})",
             rf"(?:entreprise|societe|boite|structure|association|pme|etablissement) (?:de |d'environ )(?P<n>{NUM})\b"
             rf"(?! ?(?:{EUR}|ans|mois))")
    + _rules("aucune_action_3_ans", _more_than_three_years,
             rf"{_NO_ACTION}[^.]{{0,80}}?(?:depuis|pendant) (?P<plus>plus de )?(?P<n>{NUM}) ans",
             rf"(?:depuis|pendant) (?P<plus>plus de )?(?P<n>{NUM}) ans[^.]{{0,60}}?{_NO_ACTION}")
    # After the « aucune action depuis … » rules: what is left of « depuis N ans » in an OETH message dates the
    # headcount (L130-1 CSS's consecutive years); « plus de cinq ans » is at least six.
    + _rules("annees_seuil", _years_since,
             rf"depuis (?P<plus>plus de )?(?P<n>{NUM}) (?:ans|annees)(?: civiles)?(?: consecuti(?:f|ve)s)?\b",
             rf"(?P<plus>plus de )?(?P<n>{NUM}) (?:ans|annees)(?: civiles)? (?:consecuti(?:f|ve)s|d'affilee|de suite)",
             only=("oeth",))
    + _rules("contrats_sous_traitance", _n,
             rf"{_AMOUNT}{EUR}[^.]{{0,60}}?{_ADAPTED_SECTOR}", rf"{_ADAPTED_SECTOR}[^.]{{0,60}}?{_AMOUNT}{EUR}")
    + _rules("depenses_deductibles", _n,
             rf"{_AMOUNT}{EUR} (?:de |en )?depenses?", rf"depenses?[^.]{{0,60}}?{_AMOUNT}{EUR}")
    + _rules("date", _year_end,
             r"(?:au titre de|pour|de|en|annee|exercice|contribution|oeth|doeth) (?:l'annee |l'exercice )?"
             r"(?P<year>20\d{2})\b", only=("oeth",))
    # Activité partielle
    + _rules("remuneration_nette_horaire", _n, rf"(?P<n>{NUM}) ?{EUR} ?nets? {_HOURLY_UNIT}")
    + _rules("remuneration_horaire", _n,
             rf"(?P<n>{NUM}) ?{EUR} ?(?:bruts? )?{_HOURLY_UNIT}",
             rf"(?:taux|salaire|remuneration|paye|paie) horaire (?:brute? )?(?:de reference )?{_IS}(?P<n>{NUM})")
    + _rules("heures_formation", _n,
             rf"(?P<n>{NUM}) ?(?:heures|h)\b (?:de formation|en formation|consacrees a (?:une |la )?formation)")
    + _rules("heures", _n, rf"(?P<n>{NUM}) ?(?:heures|h)\b(?! (?:par semaine|par mois|hebdo|/ ?semaine|de formation))")
    + _rules("demande", _date, rf"demande[^.]{{0,60}}?(?P<d>{DATE})")
    + _rules("longue_duree", _const(True), r"\bapld\b|activite partielle de longue duree|longue duree")
    + _rules("apprenti", _const(False), r"(?:pas|non|n'est pas|ni) (?:un |une )?apprentie?\b")
    + _rules("apprenti", _const(True), r"apprenti|apprentissage|contrat de professionnalisation|contrat pro\b|alternan")
    + _rules("temps_complet_et_partiel", _const(True),
             r"temps (?:plein|complet)[^.]{0,60}temps partiel|temps partiel[^.]{0,60}temps (?:plein|complet)",
             only=("indemnite-licenciement", "rupture-conventionnelle"))
    + _rules("interimaire_ou_temps_partiel", _const(False), r"temps (?:plein|complet)")
    + _rules("interimaire_ou_temps_partiel", _const(True), r"interim|temps partiel|mi-temps")
    # Seniority, severance, notice
    # Suspensions the law counts (L1226-7: in full; L1225-54: for half) before the others; the cause is
    # looked ahead, not consumed, so that « accident du travail » still tells the inaptitude's origin.
    + _rules("arret_professionnel_mois", _n,
             rf"(?P<n>{NUM}) mois d'(?:arret|absence)(?: de travail| maladie)?(?={_WORK_ACCIDENT})",
             rf"arret (?:de travail )?(?:de |d'une duree de )(?P<n>{NUM}) mois(?={_WORK_ACCIDENT})")
    + _rules("conge_parental_mois", _n,
             rf"(?P<n>{NUM}) mois de conge parental(?: d'education)?(?! (?:d'education )?a temps partiel)",
             rf"conge parental(?: d'education)?(?: a temps (?:plein|complet))? de (?P<n>{NUM}) mois")
    + _rules("absences_mois", _n,
             rf"(?P<n>{NUM}) mois (?:d'absence|de conge sans solde|d'arret(?: maladie)?|de suspension"
             r"|de disponibilite)")
    + _rules("anciennete_mois", _months,
             rf"{_YEARS_MONTHS} {_AT_COMPANY}", rf"anciennete {_IS}{_YEARS_MONTHS}",
             rf"{_YEARS_MONTHS}(?= dont\b)",
             rf"{_MONTHS_ONLY} {_AT_COMPANY}", rf"anciennete {_IS}{_MONTHS_ONLY}",
             rf"depuis {_YEARS_MONTHS}", rf"depuis {_MONTHS_ONLY}")
    + _rules("entree", _date,
             r"(?:embauche(?:e)?|entre(?:e)?|recrute(?:e)?|arrive(?:e)?|engage(?:e)?|en poste|date d'entree|commence"
             rf"|debut)[^.\d]{{0,30}}?(?P<d>{DATE})", rf"depuis le (?P<d>{DATE})")
    + _rules("signature", _date, rf"sign\w*[^.\d]{{0,40}}?(?P<d>{DATE})")
    + _rules("fin_preavis", _date, rf"{_NOTICE_ENDS}[^.\d]{{0,20}}?(?P<d>{DATE})", only=_DISMISSAL)
    + _rules("notification", _date, rf"{_NOTIFIED}[^.\d]{{0,30}}?(?P<d>{DATE})", only=_DISMISSAL)
    + _rules("sortie", _date, rf"{_LEAVING}[^.\d]{{0,40}}?(?P<d>{DATE})",
             only=("indemnite-licenciement", "rupture-conventionnelle"))
    + _rules("moyenne_12_mois", _n,
             rf"(?:12|douze) derniers mois[^.\d]{{0,40}}?(?P<n>{NUM}) ?{EUR}",
             rf"(?P<n>{NUM}) ?{EUR}[^.\d]{{0,40}}?(?:sur|des|pour) les (?:12|douze) derniers mois")
    + _rules("moyenne_3_mois", _n,
             rf"(?:3|trois) derniers mois[^.\d]{{0,40}}?(?P<n>{NUM}) ?{EUR}",
             rf"(?P<n>{NUM}) ?{EUR}[^.\d]{{0,40}}?(?:sur|des|pour) les (?:3|trois) derniers mois")
    + _rules("salaire_reference", _n,
             _MONTHLY,
             rf"salaire(?: de reference| mensuel| moyen| brut| de base)* (?:brut )?(?:mensuel )?(?:a )?{_IS}"
             rf"{_AMOUNT}(?:{EUR}|bruts?){_YEARLY}{_NOT_NET}",
             rf"{_AMOUNT}{EUR} (?:bruts? )?(?:de |d')(?:salaire|remuneration)(?: de reference| mensuel| moyen| brut"
             rf"| de base)*{_YEARLY}(?! ?(?:nets? )?{_HOURLY_UNIT})",
             rf"(?:gagne|touche|percoit|paye(?:e)?|remunere(?:e)?) (?:environ )?{_AMOUNT}{EUR}"
             rf"(?! ?(?:nets? )?{_HOURLY_UNIT}){_YEARLY}{_NOT_NET}")
    # « faute grave » has no meaning for a rupture conventionnelle (its calculator refuses the field).
    + _rules("faute_grave", _const(False),
             r"(?:pas de|sans|pas pour|hors|aucune|pas une|pas pour une) faute (?:grave|lourde)",
             r"motif economique|economique|insuffisance", only=_DISMISSAL)
    + _rules("faute_grave", _const(True), r"faute (?:grave|lourde)", only=_DISMISSAL)
    + _rules("inaptitude_professionnelle", _const(False),
             r"(?:inaptitude|inapte)[^.]{0,40}non[- ]professionnel",
             r"maladie non professionnelle|origine non professionnelle")
    + _rules("inaptitude_professionnelle", _const(True),
             r"(?:inaptitude|inapte)[^.]{0,80}(?:professionnel|accident du travail|\bat\b|\bmp\b)",
             r"(?:accident du travail|maladie professionnelle)[^.]{0,80}(?:inaptitude|inapte)")
    + _rules("travailleur_handicape", _const(False),
             r"(?:pas|non|sans) (?:de |d'une )?(?:rqth|reconnaissance|handicap)",
             r"n'est pas (?:reconnu(?:e)? )?(?:travailleu\w+ )?handicape")
    + _rules("travailleur_handicape", _const(True),
             r"rqth|travailleu(?:r|se) handicape(?:e)?|reconnu(?:e)? (?:travailleu\w+ )?handicape(?:e)?"
             r"|en situation de handicap|boeth|beneficiaire de l'obligation d'emploi")
    # Indemnité de fin de contrat
    + _rules("refus_cdi", _const(False), r"(?:n'ai|n'a|pas|jamais) (?:pas |jamais )?refuse[^.]{0,20}\bcdi\b")
    + _rules("refus_cdi", _const(True), r"refus\w*[^.]{0,30}\bcdi\b", r"\bcdi\b[^.]{0,30}refus")
    + _rules("poursuite_cdi", _const(False), r"(?:pas|sans|aucun|ni)[^.]{0,20}\bcdi\b")
    + _rules("poursuite_cdi", _const(True),
             r"(?:suivi|continue|poursui\w*|transforme|embauche(?:e)? en|passe(?:e)? en|signe\w*)[^.]{0,20}\bcdi\b")
    + _rules("saisonnier_ou_usage", _const(False), r"(?:pas|ni) (?:un |de )?(?:contrat )?(?:saisonnier|d'usage)")
    + _rules("saisonnier_ou_usage", _const(True), r"saisonni|cdd d'usage|contrat d'usage|\bextra\b|vendanges")
    + _rules("jeune_vacances", _const(True),
             r"job d'ete|job etudiant|pendant (?:les|mes|ses) vacances|vacances (?:scolaires|universitaires)")
    + _rules("rupture_anticipee", _const(False), r"(?:jusqu'au|a son|a) (?:bout|terme)|jusqu'a la fin")
    + _rules("rupture_anticipee", _const(True),
             r"rupture anticipee|rompu (?:mon|son|le) (?:cdd|contrat)|demission|force majeure|faute grave"
             r"|avant (?:la fin|le terme)")
    + _rules("cdi_entreprise_utilisatrice", _const(False),
             r"(?:pas|sans|aucun|ni)[^.]{0,30}\bcdi\b", only=("indemnite-fin-mission",))
    + _rules("cdi_entreprise_utilisatrice", _const(True),
             r"(?:embauche(?:e)?|recrute(?:e)?|signe\w*|propose\w*|passe(?:e)?)[^.]{0,30}\bcdi\b[^.]{0,40}"
             r"(?:entreprise utilisatrice|client)",
             r"(?:entreprise utilisatrice|client)[^.]{0,40}(?:embauche|recrute|propose|signe)[^.]{0,20}\bcdi\b",
             only=("indemnite-fin-mission",))
    + _rules("accord_6_pourcent", _const(True), r"accord[^.]{0,60}\b6 ?%", r"\b6 ?%[^.]{0,60}accord")
    + _rules("remuneration_totale", _n,
             rf"{_AMOUNT}(?:{EUR} ?)?(?:bruts? )?{_WHOLE_CONTRACT}",
             r"(?:remuneration|salaires?|paie)s? (?:totale?s?|cumulee?s?|globale?s?) (?:brute?s? )?"
             rf"(?:versee?s? |percue?s? )?(?:s'eleve a )?{_IS}(?P<n>{NUM}) ?(?P<k>k)?",
             rf"(?:total|montant total) (?:de |: |= )?{_AMOUNT}{EUR}",
             rf"(?:percu|touche|gagne|verse) (?:au total )?{_AMOUNT}{EUR}")
    # Contrat d'engagement jeune
    + _rules("naissance", _date, rf"(?:ne(?:e)?|naissance)(?: le| en| :)? (?P<d>{DATE})")
    + _rules("age", _n, rf"(?:j'ai|il a|elle a|age(?:e)? de|jeune de|fils de|fille de) (?P<n>{NUM}) ans\b")
    + _rules("rqth", _const(False), r"(?:pas|sans|aucune?) (?:de |d'une )?(?:rqth|reconnaissance)")
    + _rules("rqth", _const(True),
             r"rqth|reconnu(?:e)? travailleu\w+ handicape|handicap reconnu|en situation de handicap")
    + _rules("etudiant", _const(False),
             r"(?:ne suis|n'est|n'es|ne sont|pas|plus|ni|non) (?:plus |pas )?etudiant",
             r"(?:arrete|termine|fini) (?:mes|ses) etudes", r"sorti(?:e)? (?:du systeme scolaire|des etudes)|decroch")
    + _rules("etudiant", _const(True), r"etudiant|\bfac\b|universite")
    + _rules("en_formation", _const(False),
             r"(?:pas|plus|ni|aucune|sans) (?:en |de |d'une |une )?formation",
             r"ne (?:suis|suit) (?:aucune|pas de) formation")
    + _rules("en_formation", _const(True), r"en formation|(?:suis|suit) une formation")
    + _rules("date", _date, rf"(?:au|a la date du|en date du|a compter du|le) (?P<d>{DATE})")
)

# Two ways of giving the same fact: a new value on one side replaces the previous values of the other
# (dates replace a seniority in months; a notification date keeps the hiring date given before).
_ALTERNATIVES = (
    (frozenset({"anciennete_mois"}), frozenset({"entree", "sortie", "notification", "fin_preavis"})),
    (frozenset({"salaire_reference"}), frozenset({"moyenne_12_mois", "moyenne_3_mois"})),
    (frozenset({"naissance"}), frozenset({"age"})),
)


def extract_inputs(text: str, calculator: str) -> dict[str, object]:
    """Inputs of ``calculator`` stated in ``text`` (only those its inputs know)."""
    kinds = {name: kind for name, kind, _ in CALCULATORS[calculator].inputs.fields()}
    remaining, found = search_form(text), {}
    for rule in RULES:
        if rule.field not in kinds or rule.field in found or (rule.only and calculator not in rule.only):
            continue
        match, value = _first_value(rule, remaining)
        if match is None:
            continue
        if kinds[rule.field] is int and isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        found[rule.field] = value
        remaining = remaining[:match.start()] + " " * (match.end() - match.start()) + remaining[match.end():]
    if found.get("beneficiaires_50_ans") == ALL:
        if "beneficiaires" in found:
            found["beneficiaires_50_ans"] = found["beneficiaires"]
        else:
            del found["beneficiaires_50_ans"]
    return found


def _first_value(rule: Rule, text: str) -> tuple[re.Match[str] | None, object]:
    """The first match of ``rule`` that gives a value (« 31 février » gives none: look further)."""
    for match in rule.pattern.finditer(text):
        value = rule.read(match)
        if value is not None:
            return match, value
    return None, None


def extract(text: str, previous: Extraction | None = None) -> Extraction:
    """The calculator and inputs of ``text``, merged with ``previous`` when it continues it.

    A keyword does not take the conversation elsewhere when the message only answers the conversation's
    calculator: « Et s'il est reconnu travailleur handicapé ? » after a notice question gives the notice
    calculator its answer (« handicap » would otherwise start the OETH one, with none of its facts).
    """
    topic = detect_calculator(text)
    if (previous is not None and previous.calculator not in (None, topic) and topic is not None
            and extract_inputs(text, previous.calculator) and not extract_inputs(text, topic)):
        topic = previous.calculator
    continues = (previous is not None and previous.calculator is not None
                 and (topic in (None, previous.calculator) or _FOLLOW_UP.match(search_form(text)) is not None)
                 and not (topic is None and _leaves(text, previous.calculator)))
    calculator = topic or (previous.calculator if continues else None)
    if calculator is None:
        return Extraction(None, {})
    fresh = extract_inputs(text, calculator)
    if not continues:
        return Extraction(calculator, fresh)
    return Extraction(calculator, _merged(previous.inputs, calculator, fresh))


def extract_retold(topic: str, message: str, previous: Extraction | None) -> Extraction:
    """The calculation of a thread retold about another way of ending the contract (assistant/
    contract_endings.py): the retold topic's calculator, its facts, then the facts carried from the
    previous turn, then the message's, each over the one before.

    « Quel préavis de démission avec 3 ans d'ancienneté ? » then « Et pour un licenciement ? »: the topic
    retold is the dismissal-notice question, computed for 3 years. Read alone, the message named the
    dismissal allowance (« licenci ») and carried nothing, the resignation question having no calculator.
    A retold topic that a calculator computes only for another way of ending (« Quel préavis de départ à
    la retraite ? », read by the dismissal-notice one) has no calculation, as `_leaves` says for a message.
    """
    base = extract(topic)
    if base.calculator is None or _leaves(topic, base.calculator):
        return Extraction(None, {})
    inputs = base.inputs
    if previous is not None:
        inputs = _merged(inputs, base.calculator, previous.inputs)
    return Extraction(base.calculator, _merged(inputs, base.calculator, extract_inputs(message, base.calculator)))


def _merged(older: dict[str, object], calculator: str, newer: dict[str, object]) -> dict[str, object]:
    """``calculator``'s facts of ``older`` and ``newer``, ``newer``'s winning: a value given one way (dates)
    also replaces the older values given the other way (a seniority in months), see `_ALTERNATIVES`."""
    known = {name for name, _, _ in CALCULATORS[calculator].inputs.fields()}
    newer = {k: v for k, v in newer.items() if k in known}
    replaced = {name for one, other in _ALTERNATIVES for side, opposite in ((one, other), (other, one))
                if side & newer.keys() for name in opposite}
    return {k: v for k, v in older.items() if k in known and k not in replaced} | newer


def _leaves(text: str, calculator: str) -> bool:
    """Whether ``text`` names another way of ending the contract than ``calculator``'s: « Et si je démissionne ? »
    after a dismissal notice asks for a resignation's, which no calculator here computes."""
    named = endings_named(text)
    ending = _ENDING_OF.get(calculator)
    return ending is not None and bool(named) and ending not in named
