"""What the assistant will not answer from the Code du travail, and the polite answer it gives instead.

Two gates. Before retrieval, rules on the text itself: an empty message, instructions aimed at the
assistant, another language, the future (a law not yet written), the content of a named convention
collective (which the code does not hold). After retrieval, the score: when no article comes close
enough to the question — closer still when it speaks of another code's matters (taxes, pensions,
civil servants), since the Code du travail touches them only at its edges — (threshold calibrated in bench/answers.py, docs/BENCHMARKS.md), the
assistant abstains rather than answer from unrelated articles. Retrieval decides abstention, never a
language model.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from corpus.text_forms import search_form
from indexing.search import Hit


MAX_QUESTION_CHARS = 2000
ABSTAIN_BELOW = 0.45  # best article score; calibrated by bench/answers.py (docs/BENCHMARKS.md)
OTHER_CODE_BELOW = 0.60  # the bar when the question speaks of taxes, pensions, civil servants…
_INSTRUCTIONS = re.compile(
    r"\b(?:ignore[sz]?|oublie[sz]?|ne tiens? pas compte)\b.{0,40}\b(?:regles?|instructions?|consignes?|code|precedent)"
    r"|\b(?:reponds?|repondez|ecris|ecrivez)\b.{0,30}\bsans (?:citer|source|article)"
    r"|\btu es (?:maintenant|desormais)\b|\bsystem prompt\b|\bprompt systeme\b|\bmode developpeur\b"
    r"|\b(?:ignore|forget|disregard) (?:all |your |the |previous )+(?:rules|instructions)"
    r"|\binvente\w*\b.{0,30}\barticle|\bnouvelles? (?:consignes?|instructions?|regles?)\b",
)
_BRANCHES = ("syntec|hcr|chimie|metallurgie|batiment|btp|banque|pharmacie|plasturgie|restauration|hotellerie|"
             "proprete|automobile|assurances?|notariat|animation|boulangerie|coiffure|spectacle|commerce de detail")
_CONVENTION = re.compile(
    rf"\b(?:idcc|ccn)\b|\bconvention (?:collective )?(?:nationale )?(?:de la |du |des |de l'|d')?(?:{_BRANCHES})\b"
    r"|\bconvention (?:collective )?(?:nationale )?(?:de la |du |des |de l')"
    r"|\b(?:notre|mon|votre) accord (?:d'entreprise|de branche) (?:nous|me|vous) (?:donne|accorde|prevoit)"
    r"|\bgrille (?:de salaires?|salariale|des salaires|de classification)|\b(?:coefficient|position) \d"
)
# Domains with their own code, recognised by words the Code du travail does not use for its own rules.
_OTHER_CODES = re.compile(
    r"\b(?:imposables?|impots? sur le revenu|tva|credit d'impot|taxe sur les salaires|cfe)\b"  # Code général des impôts
    r"|\b(?:pension (?:de retraite|d'invalidite)|retraite du regime general|cpam|prime d'activite"
    r"|rembourses? par la secu)\b"  # Code de la sécurité sociale
    r"|\b(?:fonctionnaires?|fonction publique|professeur certifie)\b"  # Code général de la fonction publique
)
_FUTURE = re.compile(r"\b(?:prochaine (?:reforme|revision|loi)|prochaines annees|l'an prochain|l'annee prochaine"
                     r"|a l'avenir|dans le futur)\b")
_SURROGATE = re.compile("[\ud800-\udfff]")  # half of a UTF-16 pair, alone: what undecodable bytes become
_TERMINAL_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # « \x1b[31m » colours pasted from a terminal
_YEAR = re.compile(r"\b(20\d\d)\b")
_FRENCH = {"le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "pour", "que", "qui", "en", "je",
           "nous", "mon", "ma", "mes", "quel", "quelle", "combien", "salarie", "employeur", "travail", "dans",
           "sur", "au", "aux", "on", "il", "elle", "pas", "ne", "avec", "par", "ou", "si", "a"}
_FOREIGN = {"the", "is", "what", "how", "my", "can", "does", "do", "of", "and", "employee", "employer", "work",
            "which", "when", "should", "el", "los", "las", "por", "cual", "cuantos", "dias", "tengo", "puedo", "mi", "para", "con", "como", "trabajo", "empleado",
            "der", "die", "das", "und", "ist", "wie", "ich", "mein", "arbeit", "nicht", "with", "for", "are"}
_HINTS = (
    (r"impot|fiscal|tva|imposable|cfe\b|taxe", "le Code général des impôts (impots.gouv.fr)"),
    (r"penal|plainte|casier|prison|delit|tribunal correctionnel", "le Code pénal (Légifrance) ou un avocat"),
    (r"retraite|pension|rembours|medicament|arret maladie|ameli|cpam|prime d'activite|allocations familiales",
     "le Code de la sécurité sociale (ameli.fr, info-retraite.fr)"),
    (r"fonctionnaire|fonction publique|titulaire|agent public", "le Code général de la fonction publique"),
    (r"convention|accord d'entreprise|accord de branche|idcc|grille",
     "le texte de votre convention collective ou de votre accord (Légifrance, rubrique « Conventions collectives »)"),
    (r"divorce|succession|bail|loyer|copropriete|heritage", "le Code civil (service-public.fr)"),
)


@dataclass(frozen=True)
class Gate:
    question: str  # cleaned: control characters removed, spaces collapsed, cut to MAX_QUESTION_CHARS
    refusal: str | None  # the polite answer when the question is not for the Code du travail
    reason: str | None = None  # "vide", "instructions", "langue", "futur", "convention"
    notices: list[str] = field(default_factory=list)
    other_code: bool = False  # speaks of another code's matters: answered only on a very close article


def mend_surrogates(text: str) -> tuple[str, bool]:
    """The text with each lone surrogate replaced by « \ufffd », and whether there was any.

    Python reads bytes that are not UTF-8 on the command line as lone surrogates (\\udce9 for a Latin-1
    « é »), and a browser sends broken pasted text as such (\\udcXX in its JSON). No UTF-8 file and no
    JSON encoder (orjson, in the page's stream) accepts them: left in, a saved conversation could not
    be written and the page's session would stay broken.
    """
    mended = _SURROGATE.sub("\ufffd", text)
    return mended, mended != text


def gate(question: str, today: dt.date) -> Gate:
    """Clean the question and apply the rules that need no retrieval; ``today``, the question's
    reference date, says which years are still to come."""
    without_escapes = _TERMINAL_ESCAPE.sub(" ", question)
    cleaned = " ".join("".join(c if unicodedata.category(c)[0] != "C" else " " for c in without_escapes).split())
    notices = []
    if len(cleaned) > MAX_QUESTION_CHARS:
        cleaned = cleaned[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0]
        notices.append(f"Question tronquée à {MAX_QUESTION_CHARS} caractères ({len(question)} reçus).")
    folded = search_form(cleaned)
    words = re.findall(r"[a-z']+", folded)
    if not re.search(r"\w", cleaned):
        return Gate(cleaned, "Votre question est vide. Décrivez votre situation ou votre question en une phrase, par "
                    "exemple : « Quel est le préavis d'un salarié licencié après 3 ans d'ancienneté ? »", "vide", notices)
    if _INSTRUCTIONS.search(folded):
        return Gate(cleaned, "Je ne peux pas suivre d'instructions qui changent ma façon de répondre : je réponds "
                    "uniquement à partir du Code du travail, en citant des articles vérifiés. Posez-moi votre "
                    "question de droit du travail.", "instructions", notices)
    foreign = sum(w in _FOREIGN for w in words) + 2 * sum(c in "¿¡" for c in cleaned)
    if len(words) >= 3 and foreign > sum(w in _FRENCH for w in words):
        return Gate(cleaned, "Je réponds en français, à partir du Code du travail français. Reformulez votre question "
                    "en français, s'il vous plaît. — I answer in French, from the French Code du travail: please "
                    "ask your question in French.", "langue", notices)
    if any(int(year) > today.year for year in _YEAR.findall(folded)) or _FUTURE.search(folded):
        return Gate(cleaned, "Je ne peux pas répondre sur l'avenir : je ne connais que le Code du travail en vigueur "
                    "à la date du corpus. Pour les réformes annoncées, consultez legifrance.gouv.fr et "
                    "travail-emploi.gouv.fr.", "futur", notices)
    if _CONVENTION.search(folded):
        return Gate(cleaned, "Le Code du travail ne contient pas les stipulations des conventions collectives ni des "
                    "accords d'entreprise." + _hint(folded), "convention", notices)
    return Gate(cleaned, None, None, notices, other_code=bool(_OTHER_CODES.search(folded)))


def should_abstain(checked: Gate, hits: list[Hit], calculable: bool, threshold: float = ABSTAIN_BELOW) -> bool:
    """Abstain unless an article was typed, one comes close enough, or a calculator read the facts."""
    if checked.refusal:
        return True
    bar = max(threshold, OTHER_CODE_BELOW) if checked.other_code else threshold
    close = bool(hits) and (hits[0].via == "numéro" or hits[0].score >= bar)
    return not (close or calculable)


def abstention_message(question: str) -> str:
    """« Je ne peux pas répondre… » with where to look instead."""
    return ("Je ne peux pas répondre à cette question à partir du Code du travail : aucun article ne s'en approche "
            "suffisamment." + _hint(search_form(question)))


def _hint(folded: str) -> str:
    where = next((hint for pattern, hint in _HINTS if re.search(pattern, folded)), None)
    if where:
        return f" Vous trouverez plutôt la réponse dans {where}."
    return (" Reformulez-la avec les termes du droit du travail (contrat, licenciement, durée du travail, "
            "aides à l'emploi…), ou consultez service-public.fr.")
