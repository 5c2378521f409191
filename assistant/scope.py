"""What the assistant will not answer from the Code du travail, and the polite answer it gives instead.

Before retrieval, rules on the text itself: an empty message, instructions aimed at the assistant,
another language, the future (a law not yet written). After retrieval, a model in two small stages,
trained by bench/train_scope.py on other codes' headings and on questions as people type them, its bars
chosen on the tuning parts and reported on held-out ones (docs/BENCHMARKS.md): first, what the question
is about, from its vector (the one the search computes anyway): work, another matter (taxes, pensions,
housing, family…), or the content of a named convention collective, which the corpus does not hold yet;
then whether to decline, from those odds and the best article's score, so that no answer is built from
unrelated articles. A question about work that touches another matter (an apprentice's salary tax: the
model leans to « other », or its words name a field with its own code) is answered, and the answer says
it covers only the Code du travail's part. Without the model (another embedding model, lexical-only
search) the best article's score alone decides. Never a language model.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import numpy as np

from corpus.errors import CorpusError
from corpus.text_forms import search_form
from indexing.search import Hit


MAX_QUESTION_CHARS = 2000
ABSTAIN_BELOW = 0.45  # best article score; calibrated by bench/answers.py (docs/BENCHMARKS.md)
SCOPE_MODEL_FILE = Path(__file__).with_name("scope_model.json")
_INSTRUCTIONS = re.compile(
    r"\b(?:ignore[sz]?|oublie[sz]?|ne tiens? pas compte)\b.{0,40}\b(?:regles?|instructions?|consignes?|code|precedent)"
    r"|\b(?:reponds?|repondez|ecris|ecrivez)\b.{0,30}\bsans (?:citer|source|article)"
    r"|\btu es (?:maintenant|desormais)\b|\bsystem prompt\b|\bprompt systeme\b|\bmode developpeur\b"
    r"|\b(?:ignore|forget|disregard) (?:all |your |the |previous )+(?:rules|instructions)"
    r"|\binvente\w*\b.{0,30}\barticle|\bnouvelles? (?:consignes?|instructions?|regles?)\b",
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
# Where to look instead, by words of the question (its search form). The first entries name fields with their
# own code: an answered question using their words gets the mixed notice (measured by bench/train_scope.py).
_FIELDS = (
    (r"impot|fiscal|tva|imposable|cfe\b|taxe (?:fonciere|d'habitation)|credit d'impot|declaration de revenus",
     "le Code général des impôts (impots.gouv.fr)"),
    (r"penal|plainte|casier|prison|delit|tribunal correctionnel", "le Code pénal (Légifrance) ou un avocat"),
    (r"retraite|pension|rembours|medicament|arret maladie|ameli|cpam|prime d'activite|allocations familiales",
     "le Code de la sécurité sociale (ameli.fr, info-retraite.fr)"),
    (r"fonctionnaire|fonction publique|agent public|agent titulaire", "le Code général de la fonction publique"),
    (r"divorce|succession|bail|loyer|copropriete|heritage|proprietaire|locataire",
     "le Code civil (service-public.fr)"),
)
_HINTS = (
    *_FIELDS,
    (r"\bconventions?\b|accord d'entreprise|accord de branche|idcc|grille",
     "le texte de votre convention collective ou de votre accord (Légifrance, rubrique « Conventions collectives »)"),
)


@dataclass(frozen=True)
class Gate:
    question: str  # cleaned: control characters removed, spaces collapsed, cut to MAX_QUESTION_CHARS
    refusal: str | None  # the polite answer when the question is not for the Code du travail
    reason: str | None = None  # "vide", "instructions", "langue", "futur"
    notices: list[str] = field(default_factory=list)


class Scope(StrEnum):
    """What a question is about, as the scope model sees it."""

    WORK = "travail"
    OTHER = "autre domaine"
    CONVENTION = "convention collective"  # the content of a named convention or agreement


@dataclass(frozen=True)
class ScopeModel:
    """The scope decision's two stages, as bench/train_scope.py wrote them to scope_model.json.

    First, what the question is about: a softmax over Scope from the question's vector. Then whether to
    decline: a logistic over the first stage's log-odds (other against work, convention against work)
    and the best article's score, so that a question plainly about work is answered even when its
    articles score a little low, and one about another matter is declined even when a labour article
    shares its words (« congé » from a landlord).
    """

    embedding_model: str  # the model whose question vectors it reads (indexing/embedder.py model_name)
    weights: np.ndarray  # one row per Scope, one column per dimension of the question vector
    bias: np.ndarray  # one per Scope
    decline_weights: np.ndarray  # for (log P(other)/P(work), log P(convention)/P(work), best score)
    decline_bias: float
    decline_bar: float  # declined when the second stage's probability reaches it
    mixed_bar: float  # answered, but P(OTHER) reaches it: the answer says it covers only the code's part

    def probabilities(self, vector: np.ndarray) -> dict[Scope, float]:
        """The softmax over the classes; an empty mapping for a vector of another size (another model)."""
        if vector.shape != (self.weights.shape[1],):
            return {}
        z = self.weights @ vector + self.bias
        exp = np.exp(z - z.max())
        return dict(zip(Scope, (exp / exp.sum()).tolist(), strict=True))

    def declines(self, probabilities: dict[Scope, float], best_score: float) -> float:
        """The second stage: the probability that the question is to be declined."""
        z = self.decline_bias + float(np.dot(self.decline_weights, decline_features(probabilities, best_score)))
        return 1.0 / (1.0 + math.exp(-z))


def decline_features(probabilities: dict[Scope, float], best_score: float) -> np.ndarray:
    """The second stage's inputs: the first stage's log-odds against work, and the best article score."""
    work = max(probabilities[Scope.WORK], 1e-9)
    return np.array([math.log(max(probabilities[Scope.OTHER], 1e-9) / work),
                     math.log(max(probabilities[Scope.CONVENTION], 1e-9) / work), best_score])


def load_scope_model(path: Path = SCOPE_MODEL_FILE) -> ScopeModel:
    """The trained model; a file that does not match this code's classes fails here, not in an answer."""
    fix = "Régénérez-le avec `python bench/train_scope.py --write`."
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["classes"] != [s.value for s in Scope]:
            raise ValueError(f"classes {data['classes']} instead of {[s.value for s in Scope]}")
        weights, bias = np.array(data["weights"], dtype=float), np.array(data["bias"], dtype=float)
        decline = np.array(data["decline_weights"], dtype=float)
        model = ScopeModel(str(data["embedding_model"]), weights, bias, decline, float(data["decline_bias"]),
                           float(data["decline_bar"]), float(data["mixed_bar"]))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CorpusError(f"Modèle de périmètre illisible ({path}) : {error}. {fix}") from error
    if weights.ndim != 2 or weights.shape[0] != len(Scope) or bias.shape != (len(Scope),) or decline.shape != (3,):
        raise CorpusError(f"Modèle de périmètre ({path}) : dimensions {weights.shape}, {bias.shape}, "
                          f"{decline.shape} inattendues. {fix}")
    return model


SCOPE_MODEL = load_scope_model()


@dataclass(frozen=True)
class Decision:
    """Whether the question is answered, and why not."""

    abstained: bool
    declined: Scope | None = None  # OTHER or CONVENTION when the scope model declined it as such
    mixed: bool = False  # answered, but it touches another matter: the answer covers only the code's part


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
    return Gate(cleaned, None, None, notices)


def decide(checked: Gate, hits: list[Hit], calculable: bool, query_vector: np.ndarray | None,
           model: ScopeModel | None = SCOPE_MODEL, threshold: float = ABSTAIN_BELOW) -> Decision:
    """Abstain when a rule refused the question, or when the scope model declines it (without a model:
    when no article scores ``threshold``); an article the question names, or facts a calculator read,
    are answered (the facts say the question is about work, whatever else it mentions)."""
    if checked.refusal:
        return Decision(True)
    if hits and hits[0].via == "numéro":
        return Decision(False)
    best = hits[0].score if hits else 0.0
    probabilities = model.probabilities(query_vector) if model and query_vector is not None else {}
    if not probabilities:  # another embedding model, or lexical-only: the score decides, words say « mixed »
        return Decision(not (best >= threshold or calculable), None, _names_another_field(checked.question))
    assert model is not None
    if not calculable and model.declines(probabilities, best) >= model.decline_bar:
        about = max(probabilities, key=probabilities.__getitem__)
        return Decision(True, None if about is Scope.WORK else about)  # work, but no article close: « aucun article »
    mixed = probabilities[Scope.OTHER] >= model.mixed_bar or _names_another_field(checked.question)
    return Decision(False, None, mixed)


def abstention_message(question: str, declined: Scope | None = None, convention: str | None = None) -> str:
    """« Je ne peux pas répondre… », why, and where to look instead (``convention``: the title of the
    user's convention collective, when one is chosen and was searched)."""
    folded = search_form(question)
    if declined is Scope.CONVENTION and convention:
        return (f"Je ne peux pas répondre à cette question : votre convention collective ({convention}) ne contient, "
                "dans les textes disponibles ici, aucun article qui porte dessus, ni le Code du travail."
                + _hint(folded))
    if declined is Scope.CONVENTION:
        return ("Je ne peux pas répondre sur le contenu d'une convention collective sans savoir laquelle est la vôtre : "
                "indiquez-la d'abord ; son IDCC figure sur "
                "le bulletin de paie (sélecteur « Convention collective » de la page, `/convention IDCC` dans "
                "`cdt chat`, `--idcc` pour `cdt ask`). Sans elle, je ne connais que le Code du travail."
                + _hint(folded))
    if declined is Scope.OTHER:
        where = _where(folded)
        return ("Je ne peux pas répondre à cette question à partir du Code du travail : elle relève d'un autre "
                "domaine que le droit du travail. "
                + (f"Vous trouverez plutôt la réponse dans {where}." if where else
                   "Service-public.fr indique, pour chaque démarche, le texte qui s'applique."))
    return ("Je ne peux pas répondre à cette question à partir du Code du travail : aucun article ne s'en approche "
            "suffisamment." + _hint(folded))


def mixed_notice(question: str) -> str:
    """What an answer to a question touching another matter says of its own reach."""
    where = _where(search_form(question))
    elsewhere = f" ; pour le reste, voyez {where}" if where else ""
    return ("Votre question touche aussi à un autre domaine que le droit du travail : cette réponse ne porte que "
            f"sur ce que prévoit le Code du travail{elsewhere}.")


def _names_another_field(question: str) -> bool:
    """Whether the question uses words of a field with its own code (« imposable », « retraite »)."""
    folded = search_form(question)
    return any(re.search(pattern, folded) for pattern, _ in _FIELDS)


def _where(folded: str) -> str | None:
    """Where the answer to another matter is (« le Code général des impôts »), when its words tell."""
    return next((where for pattern, where in _HINTS if re.search(pattern, folded)), None)


def _hint(folded: str) -> str:
    where = _where(folded)
    if where:
        return f" Vous trouverez plutôt la réponse dans {where}."
    return (" Reformulez-la avec les termes du droit du travail (contrat, licenciement, durée du travail, "
            "aides à l'emploi…), ou consultez service-public.fr.")
