"""Finding a convention collective as people name it: the IDCC on their payslip, its title, or the
name everybody uses (« Syntec », « HCR », « CCN 66 »). Never a silent guess: one convention, or the
candidates to choose from, or a message saying why none.

- **An IDCC** is exact. A merged IDCC resolves to the convention that replaced it, with a message:
  the metallurgy's territorial conventions merged into IDCC 3248 are read from 3248's own text titles
  (« Savoie (ex-IDCC 822) Avenant du … »); the others come from MERGED below, each with its source.
- **A common name** comes from COMMON_NAMES, each sourced in the convention's own title or text; a name
  that fits several (« BTP », « pharmacie ») gives the candidates.
- **A title** is matched fuzzily (rapidfuzz) on the folded titles (no accents, no case): accepted
  alone only when it clearly wins; otherwise the closest candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from corpus.conventions import ConventionInfo, load_convention
from corpus.text_forms import search_form

METALLURGY = 3248
# Merged IDCC → (current IDCC, source), for mergers not read from 3248's text titles.
_PARTICULIERS = ("texte de base de l'IDCC 3239 (convention du 15 mars 2021), qui nomme la convention des salariés du "
                 "particulier employeur (IDCC 2111) et celle des assistants maternels (IDCC 2395) qu'elle remplace")
MERGED: dict[int, tuple[int, str]] = {2111: (3239, _PARTICULIERS), 2395: (3239, _PARTICULIERS)}
# Common name (search form) → (IDCCs, where the name comes from).
COMMON_NAMES: dict[str, tuple[tuple[int, ...], str]] = {
    "syntec": ((1486,), "la fédération Syntec, signataire, nommée dans le texte de la convention"),
    "bet": ((1486,), "« bureaux d'études techniques », titre de la convention"),
    "hcr": ((1979,), "titre : « … hôtels, cafés restaurants (HCR) »"),
    "ccn 66": ((413,), "titre : convention « … du 15 mars 1966 »"),
    "ccn 51": ((29,), "titre : convention « … du 31 octobre 1951 »"),
    "fehap": ((29,), "titre abrégé : « … (FEHAP) »"),
    "eclat": ((1518,), "titre abrégé : « Éducation, culture, loisirs et animation au service des territoires (ÉCLAT) »"),
    "bad": ((2941,), "titre abrégé : « Aide, accompagnement, soins et services à domicile (BAD) »"),
    "sdlm": ((1404,), "titre abrégé : « … dite SDLM »"),
    "metallurgie": ((METALLURGY,), "titre : « Métallurgie »"),
    "btp": ((1596, 1597, 2420, 2609, 1702, 2614), "titres : Bâtiment (ouvriers, ETAM, cadres), Travaux publics"),
    "batiment": ((1596, 1597, 2420, 2609), "titres : « Bâtiment Ouvriers », « Bâtiment ETAM », « Bâtiment Cadres »"),
    "travaux publics": ((1702, 2614), "titres : « Travaux publics (Tome II : Ouvriers) », « (Tome III : ETAM) »"),
    "pharmacie": ((1996, 176), "titres : « Pharmacie d'officine », « Industrie pharmaceutique »"),
    "assistant maternel": ((3239,), "titre : « Particuliers employeurs et emploi à domicile »"),
    "assistante maternelle": ((3239,), "titre : « Particuliers employeurs et emploi à domicile »"),
    "chimie": ((44,), "titre abrégé : « Industries chimiques et connexes »"),
    "boulangerie": ((843, 1747), "titres : « Boulangerie-pâtisserie (entreprises artisanales) », « Activités "
                                 "industrielles de boulangerie et pâtisserie »"),
}
# Thresholds on rapidfuzz's token_set_ratio over folded titles, set on the names of
# tests/test_convention_directory.py: a name whose words are all in one title scores 100 and the next title
# at most 77 (« restauration rapide »: 1501 at 100, 1266 at 77); a name in several titles ties at 100
# (« banque », « sport »); words only partly in titles score 67–77 (« grande distribution »), noise under 15.
ACCEPT = 90  # a title's score accepted alone …
MARGIN = 8  # … when it beats the next by this much (ties give candidates)
CANDIDATE = 70  # below this a title is not even a candidate
MAX_CANDIDATES = 5
_FILLER = {"convention", "collective", "nationale", "de", "la", "le", "les", "des", "du", "d", "l", "et", "en",
           "pour", "a"}
_IDCC = re.compile(r"^(?:idcc |n )*(\d{1,4})$")


def _fold(text: str) -> str:
    """Words only, no accents, no case, no plural « s », no filler: « Convention des hôtels, cafés-restaurants »
    → « hotel cafe restaurant »."""
    words = (re.sub(r"(?<=[a-z]{3})[sx]$", "", word) for word in re.findall(r"[a-z0-9]+", search_form(text)))
    return " ".join(word for word in words if word not in _FILLER)


_COMMON = {_fold(name): idccs for name, (idccs, _) in COMMON_NAMES.items()}


@dataclass(frozen=True)
class Choice:
    """What a user's words designate: one convention, or candidates, and what to tell the user."""

    convention: ConventionInfo | None  # the one convention, when clear
    candidates: tuple[ConventionInfo, ...] = ()  # when several fit (the user chooses)
    message: str | None = None  # merged IDCC, ambiguity, nothing found, no text here

    def explanation(self) -> str:
        """Why no convention was chosen, with the candidates one per line: what a command prints."""
        return "\n".join([self.message or "", *(f"  IDCC {c.idcc} — {c.short_title}" for c in self.candidates)])


@dataclass
class ConventionDirectory:
    """Every convention the package knows, and how to find one."""

    conventions: list[ConventionInfo]
    merged: dict[int, tuple[int, str]] = field(default_factory=dict)

    def by_idcc(self, idcc: int) -> list[ConventionInfo]:
        return [c for c in self.conventions if c.idcc == idcc]

    def choose(self, words: str) -> Choice:
        """The convention ``words`` designate (an IDCC, a common name, a title)."""
        folded = _fold(words)
        if folded in _COMMON:  # before numbers: « CCN 66 » is a name, not IDCC 66
            return self._several([c for idcc in _COMMON[folded] for c in self.by_idcc(idcc)], words)
        number = _IDCC.match(folded)
        if number:
            return self._by_number(int(number.group(1)))
        return self._by_title(folded, words)

    def _by_number(self, idcc: int) -> Choice:
        if idcc in self.merged:
            current, source = self.merged[idcc]
            found = self.by_idcc(current)
            message = f"L'IDCC {idcc} a été fusionné dans l'IDCC {current} ({source})."
            return Choice(found[0], (), _with_text_notice(found[0], message)) if found else Choice(None, (), message)
        found = self.by_idcc(idcc)
        if not found:
            return Choice(None, (), f"Aucune convention collective connue sous l'IDCC {idcc}.")
        return self._several(found, f"IDCC {idcc}")

    def _several(self, found: list[ConventionInfo], words: str) -> Choice:
        if len(found) == 1:
            return Choice(found[0], (), _with_text_notice(found[0], None))
        return Choice(None, tuple(found), f"« {words} » désigne plusieurs conventions collectives : précisez laquelle.")

    def _by_title(self, folded: str, words: str) -> Choice:
        titles = {i: _fold(f"{c.short_title} {c.title}") for i, c in enumerate(self.conventions)}
        ranked = process.extract(folded, titles, scorer=fuzz.token_set_ratio, limit=None, score_cutoff=CANDIDATE)
        kept = sorted(((self.conventions[i], score) for _, score, i in ranked),
                      key=lambda found: (-found[1], not found[0].has_text, -(found[0].employees or 0)))
        if not kept:
            return Choice(None, (), f"Aucune convention collective ne correspond à « {words} ». Indiquez son IDCC "
                                    "(il figure sur le bulletin de paie).")
        best, score = kept[0]
        if score >= ACCEPT and (len(kept) == 1 or score - kept[1][1] >= MARGIN):
            return Choice(best, (), _with_text_notice(best, None))
        return Choice(None, tuple(c for c, _ in kept[:MAX_CANDIDATES]),
                      f"Plusieurs conventions collectives peuvent correspondre à « {words} » : choisissez-en une.")


_NAMED_IDCC = re.compile(r"\bidcc\s*(?:n\s*)?(\d{1,4})\b")


def named_in(question: str, conventions: list[ConventionInfo]) -> ConventionInfo | None:
    """The one convention with text here that a question names by its IDCC (« IDCC 1486 ») or a common
    name (« Syntec », « HCR »); None when it names none, or several. Titles are not matched inside a
    question: their words (« commerce », « transport ») are everyday words."""
    folded = f" {_fold(question)} "
    idccs = {int(n) for n in _NAMED_IDCC.findall(search_form(question))}
    idccs |= {idcc for name, found in _COMMON.items() if len(found) == 1 and f" {name} " in folded for idcc in found}
    named = [c for c in conventions if c.idcc in idccs and c.has_text]
    return named[0] if len(named) == 1 else None


def _with_text_notice(convention: ConventionInfo, message: str | None) -> str | None:
    """A convention without its text here is chosen, but the user is told: the Code alone answers."""
    if convention.has_text:
        return message
    notice = (f"Le texte de la convention IDCC {convention.idcc} ({convention.short_title}) n'est pas disponible ici : "
              "les réponses viennent du seul Code du travail.")
    return f"{message} {notice}" if message else notice


def metallurgy_mergers(conventions: list[ConventionInfo]) -> dict[int, tuple[int, str]]:
    """The territorial metallurgy IDCCs that 3248's own texts name as merged (« (ex-IDCC 822) »)."""
    current = next((c for c in conventions if c.idcc == METALLURGY and c.has_text), None)
    if current is None:
        return {}
    found: dict[int, tuple[int, str]] = {}
    for text in load_convention(current).texts:
        for number in re.findall(r"ex-IDCC\s*(?:n°\s*)?(\d{3,4})", text.title):
            found.setdefault(int(number), (METALLURGY, f"texte de l'IDCC {METALLURGY} : « {text.title[:80]}… »"))
    return found


def load_directory(conventions: list[ConventionInfo]) -> ConventionDirectory:
    """The directory with every merger known: read from the texts, then the hand-kept table."""
    return ConventionDirectory(conventions, {**metallurgy_mergers(conventions), **MERGED})
