"""The code's special regimes, read from an article's headings, and whether a question names one.

Most questions are about the common law of work. The code also holds provisions for particular
professions (its Septième partie: journalistes, VRP, concierges, employés de maison, mannequins…),
for the overseas territories (a « Dispositions relatives à l'outre-mer » book in each partie),
for the Moselle, Bas-Rhin and Haut-Rhin (Alsace-Moselle), for agriculture, and its « Dispositions
pénales ». Quoting them to a question that does not name them answers another case than the
user's: a question on « la période d'essai » is not answered by the journalistes' or Mayotte's
rules. So an article's regime is the first heading of its breadcrumbs that opens one, and an
answer may quote it only when the question names it.

A regime is named by its heading's own words, and by a few synonyms, each found in an article of
the code (its source, tested), the usual acronym (« VRP », « VTC », « DOM ») or, for the
sanctions, the way questions ask for them (« Que risque un patron qui… ? »).
Questions are compared word by word in search form (``corpus.text_forms.search_form``) without
plural or feminine endings, so « employée de maison » names « Employés de maison ».
Assistants maternels and familiaux have no division of the code (their status is in the code de
l'action sociale et des familles): they are not a regime here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from corpus.model import Article
from corpus.text_forms import search_form, verbatim_form


class RegimeKind(str, Enum):
    """What sets a regime apart: who works, where, in which sector, or the sanctions."""

    PROFESSION = "profession"
    OUTRE_MER = "outre-mer"
    DROIT_LOCAL = "droit local"
    AGRICULTURE = "agriculture"
    PENAL = "pénal"


@dataclass(frozen=True)
class Synonym:
    """A word naming a regime, and where it comes from: an article of the code that uses it in
    that sense (the tests check it is there), ``ACRONYM``, or ``QUESTION_WORDING``: how users ask
    for the sanctions (« Que risque un patron qui… ? ») without a word of the code."""

    words: str
    source: str


ACRONYM = "sigle usuel"
QUESTION_WORDING = "tournure des questions (bench/scope_questions.jsonl)"  # « Que risque un patron… ? »


@dataclass(frozen=True)
class Regime:
    """One special regime: its label for a reader and the words that name it in a question."""

    label: str  # « VRP », « outre-mer », « journalistes »
    kind: RegimeKind
    heading_names: tuple[str, ...]  # as the code's headings write them: « Journalistes professionnels »
    synonyms: tuple[Synonym, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every way of naming the regime that ``named_in`` looks for."""
        return (*self.heading_names, *(s.words for s in self.synonyms))


def _profession(label: str, headings: tuple[str, ...], *synonyms: Synonym) -> Regime:
    return Regime(label, RegimeKind.PROFESSION, headings, synonyms)


# The Septième partie's titles (its chapters for the spectacle's title), its Livre IV of the
# travailleurs à domicile, and the chapters of the former code's Livre VII still in force.
PROFESSIONS = (
    _profession("journalistes", ("Journalistes professionnels",), Synonym("journaliste", "L7111-3")),
    _profession("artistes du spectacle", ("Artistes du spectacle",),
                Synonym("artiste", "L7121-2"), Synonym("musicien", "L7121-2"), Synonym("chef d'orchestre", "L7121-2"),
                Synonym("metteur en scène", "L7121-2"), Synonym("artiste-interprète", "L7121-2"),
                Synonym("intermittent du spectacle", "annexes VIII et X du règlement d'assurance chômage")),
    _profession("spectacles vivants", ("Entreprises de spectacles vivants",),
                Synonym("spectacle vivant", "L7122-1"), Synonym("entrepreneur de spectacles", "L7122-1")),
    _profession("mannequins", ("Mannequins et agences de mannequins",), Synonym("mannequin", "L7123-2")),
    _profession("enfants du spectacle",
                ("Enfants dans le spectacle, les professions ambulantes, l'audiovisuel, la publicité et la mode",),
                Synonym("entreprise de spectacles", "L7124-1"), Synonym("cinéma", "L7124-1"),
                Synonym("télévision", "L7124-1"), Synonym("enregistrements sonores", "L7124-1")),
    _profession("concierges", ("Concierges et employés d'immeubles à usage d'habitation",),
                Synonym("concierge", "L7211-2"), Synonym("employé d'immeubles", "L7211-2"),
                Synonym("gardien d'immeubles", "R7214-5")),
    _profession("employés de maison", ("Employés de maison", "Employés à domicile par des particuliers employeurs"),
                Synonym("employé de maison", "R7214-5"), Synonym("particulier employeur", "L7221-1")),
    _profession("services à la personne", ("Activités de services à la personne",),
                Synonym("services à la personne", "L7231-1"), Synonym("garde d'enfants", "L7231-1"),
                Synonym("aide à domicile", "L7232-1-2")),
    _profession("VRP", ("Voyageurs, représentants et placiers",),
                Synonym("VRP", ACRONYM), Synonym("voyageur, représentant ou placier", "L7311-1")),
    _profession("gérants de succursales", ("Gérants de succursales",),
                Synonym("gérant de succursale", "L7321-2"), Synonym("gérant non salarié", "L7322-2")),
    _profession("coopératives d'activité et d'emploi",
                ("Entrepreneurs salariés associés d'une coopérative d'activité et d'emploi",),
                # not « CAE », which also names the contrat d'accompagnement dans l'emploi (s146)
                Synonym("entrepreneur salarié", "L7331-1")),
    _profession("travailleurs des plateformes",
                ("Travailleurs utilisant une plateforme de mise en relation par voie électronique",),
                # not « plateforme » alone: « plateforme départementale » of the emploi accompagné (s015)
                Synonym("plateforme de mise en relation", "L7341-1"),
                Synonym("voiture de transport avec chauffeur", "L7342-8"),
                Synonym("VTC", ACRONYM), Synonym("livraison de marchandises", "L7342-8")),
    _profession("travailleurs à domicile", ("Travailleurs à domicile",)),
    _profession("marins", ("Marins",), Synonym("marin", "L3232-9")),
    _profession("industries électriques et gazières", ("Industries électriques et gazières",)),
    _profession("établissements portuaires", ("Personnel des établissements portuaires : repos compensateur en "
                                             "matière d'heures supplémentaires de travail",),
                Synonym("docker", "L3232-9")),
)
# The territories as the Septième partie's « Titre II : Guadeloupe, Guyane… » names them.
TERRITORIES = ("Guadeloupe", "Guyane", "Martinique", "Mayotte", "La Réunion", "Saint-Barthélemy", "Saint-Martin",
               "Saint-Pierre-et-Miquelon")
OUTRE_MER = Regime("outre-mer", RegimeKind.OUTRE_MER, ("outre-mer", *TERRITORIES), (
    Synonym("ultramarin", "R2272-1"), Synonym("DOM", ACRONYM), Synonym("DROM", ACRONYM)))
# The « Dispositions particulières aux départements de la Moselle, du Bas-Rhin et du Haut-Rhin »
# (jours fériés, repos dominical, maintien du salaire): the code never says « Alsace », people do.
ALSACE_MOSELLE = Regime("Alsace-Moselle", RegimeKind.DROIT_LOCAL, ("Moselle", "Bas-Rhin", "Haut-Rhin"), (
    Synonym("Alsace", "nom usuel du droit local d'Alsace-Moselle"),))
AGRICULTURE = Regime("agriculture", RegimeKind.AGRICULTURE, ("agriculture", "entreprises agricoles"), (
    Synonym("agricole", "L1221-12-1"), Synonym("MSA", ACRONYM)))
# Not the former code's « Pénalités » as a name: « pénalité » is France Travail's administrative one (s054).
PENAL = Regime("dispositions pénales", RegimeKind.PENAL, ("Dispositions pénales",), (
    Synonym("pénal", "L1155-2"), Synonym("amende", "L1155-2"), Synonym("emprisonnement", "L1155-2"),
    Synonym("délit", "L5124-1"), Synonym("contravention", "R1227-1"), Synonym("prison", QUESTION_WORDING),
    *(Synonym(words, QUESTION_WORDING) for words in ("que risque", "risque-t-il", "risque-t-elle", "risquons",
                                                      "risquez", "risquent", "je risque"))))
REGIMES = (*PROFESSIONS, OUTRE_MER, ALSACE_MOSELLE, AGRICULTURE, PENAL)

_PROFESSION_BY_TITLE = {title: regime for regime in PROFESSIONS for title in regime.heading_names}
_TITLE = re.compile(r"^[^:]*?:\s*")  # « Titre II : » before a heading's title
_OUTRE_MER_HEADING = re.compile(r"outre-mer|ultramarin|Guadeloupe|Guyane|Martinique|Mayotte|La Réunion|"
                                r"Saint-Barthélemy|Saint-Martin|Saint-Pierre")  # not « Réunions syndicales »
_ALSACE_MOSELLE_HEADING = re.compile(r"départements de la Moselle, du Bas-Rhin et du Haut-Rhin$")
# Headings whose whole subject is agriculture; « …les professions agricoles et le secteur des
# transports » or « …chefs d'exploitation agricole ou d'entreprises artisanales… » are not.
_AGRICULTURE_HEADING = re.compile(r"en agriculture$|chambre d'agriculture$|dans les entreprises agricoles$")
_PENAL_HEADING = re.compile(r"dispositions pénales$|^Pénalités$", re.IGNORECASE)


def regime_of(article: Article) -> Regime | None:
    """The regime of the outermost heading that opens one (« Septième partie › Livre V : …outre-mer »
    is outre-mer; « Journalistes professionnels › Dispositions pénales » is journalistes), or None."""
    for heading in article.breadcrumbs:
        regime = heading_regime(heading)
        if regime is not None:
            return regime
    return None


def heading_regime(heading: str) -> Regime | None:
    """The regime that one heading of the code opens, if any."""
    title = _TITLE.sub("", heading, count=1)
    if title in _PROFESSION_BY_TITLE:
        return _PROFESSION_BY_TITLE[title]
    if _OUTRE_MER_HEADING.search(title):
        return OUTRE_MER
    if _ALSACE_MOSELLE_HEADING.search(title):
        return ALSACE_MOSELLE
    if _AGRICULTURE_HEADING.search(title):
        return AGRICULTURE
    if _PENAL_HEADING.search(title):
        return PENAL
    return None


def named_in(question: str, regime: Regime) -> bool:
    """True when one of the regime's names occurs in the question, word for word up to accents,
    case, plural and feminine endings and the small words between them."""
    words = _words(question)
    return any(_occurs(_words(name), words) for name in regime.names)


# Articles and prepositions, left out so that « employé de maison » and « employés de maison »,
# or « voyageur, représentant ou placier » and « voyageurs, représentants et placiers », compare.
_SMALL_WORDS = frozenset("a au aux d de des du en et l la le les ou par pour un une".split())
_WORD = re.compile(r"[^\W_]+")
# Words that name a regime only capitalised inside a sentence: « à la Réunion », not « la réunion
# du CSE » nor « Réunions du CSE : combien par an ? ».
_PROPER_ONLY = frozenset({"reunion"})
_SENTENCE_START = ("", ".", "?", "!", ":")


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[tuple[str, bool], ...]:
    """The text's words without their endings, each with whether it is capitalised inside a sentence."""
    text = verbatim_form(text)
    found: list[tuple[str, bool]] = []
    for match in _WORD.finditer(text):
        folded = _without_ending(search_form(match.group()))
        if folded not in _SMALL_WORDS:
            proper = match.group()[0].isupper() and text[: match.start()].rstrip()[-1:] not in _SENTENCE_START
            found.append((folded, proper))
    return tuple(found)


def _without_ending(word: str) -> str:
    """« employées » → « employ », « gardienne » → « gardien », « journalistes » → « journalist »."""
    if len(word) > 3:
        word = re.sub(r"[sx]$", "", word)
        word = re.sub(r"e+$", "", word)
        word = re.sub(r"nn$", "n", word)
    return word


def _occurs(name: tuple[tuple[str, bool], ...], question: tuple[tuple[str, bool], ...]) -> bool:
    """Whether the name's words follow one another in the question (a ``_PROPER_ONLY`` word capitalised)."""
    span = len(name)
    return span > 0 and any(
        all(q == n and (proper or n not in _PROPER_ONLY)
            for (n, _), (q, proper) in zip(name, question[i : i + span]))
        for i in range(len(question) - span + 1))
