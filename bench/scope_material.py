"""Build the scope decision's material from texts nobody here wrote: the section headings of three
other codes (« not work ») and of the Code du travail (« work »), from the pinned legi-data package.

Usage: python bench/scope_material.py   (needs npm; writes bench/scope_headings.jsonl, committed)

The package that gives the Code du travail also holds the Code de la sécurité sociale, the Code rural
et de la pêche maritime and the Code des relations entre le public et l'administration. Their headings
name the matters people confuse with labour law (pensions, family benefits, rural leases, public
administration), but parts of them are about work, and labelling those « not work » would teach the
decision to decline labour questions: the books on work (accidents du travail, the employees'
complementary insurance, the Code rural's Livre VII « Dispositions sociales ») are left out whole, and
any heading whose path speaks of employees, employers, contributions or work is left out too.
A heading found in the Code du travail and in another code (« Dispositions générales ») says nothing
of its code and is dropped from both. One heading in three (by a hash of its text, chosen before any
tuning) is held out, as for the questions.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from pathlib import Path

from corpus.legi_json import load_official_code
from corpus.official_package import PACKAGE, PINNED_VERSION, fetch_package_file, package_source
from corpus.store import load_store
from corpus.text_forms import search_form

OUTPUT = Path(__file__).with_name("scope_headings.jsonl")
# Code identifier → (name, books left out whole: a heading path starting with one of them).
OTHER_CODES: dict[str, tuple[str, tuple[str, ...]]] = {
    "LEGITEXT000006073189": ("Code de la sécurité sociale", (
        "Annexes",  # the AT/MP disability scales and occupational disease tables
        "Livre IV : Accidents du travail", "Livre IX : Dispositions relatives à la protection sociale complémentaire")),
    "LEGITEXT000022197698": ("Code rural et de la pêche maritime", ("Livre VII : Dispositions sociales",)),
    "LEGITEXT000031366350": ("Code des relations entre le public et l'administration", ()),
}
# Words that put a heading's path on the work side of another code (its search form: no accents).
WORK_WORDS = re.compile(
    r"salari|employeur|travail|travailleur|emploi|cotisation|contribution|assiette|recouvrement|apprenti"
    r"|formation professionnelle|chomage|licenci|remuneration|prevoyance|epargne|main-d'oeuvre|maladies? prof"
)
_NUMBERING = re.compile(r"^(?:partie|livre|titre|chapitre|section|sous-section|paragraphe|sous-paragraphe|annexe)"
                        r"[^:]{0,25}:\s*", re.IGNORECASE)


def main() -> None:
    other = {}
    with tempfile.TemporaryDirectory() as workdir:
        for code_id, (name, left_out) in OTHER_CODES.items():
            path = fetch_package_file(PACKAGE, PINNED_VERSION, f"package/data/{code_id}.json", Path(workdir))
            for article in load_official_code(path, package_source(PINNED_VERSION), code_id).articles:
                crumbs = _inner_crumbs(article.breadcrumbs)
                if not article.in_force or not crumbs or crumbs[0].startswith(left_out):
                    continue
                if WORK_WORDS.search(search_form(" ".join(crumbs))):
                    continue
                other.setdefault(_heading(crumbs[-1]), name)
    work = {_heading(crumbs[-1]) for a in load_store().in_force
            if (crumbs := _inner_crumbs(a.breadcrumbs))}
    shared = work & set(other)
    rows = [{"text": text, "code": "Code du travail", "scope": "in"} for text in sorted(work - shared)]
    rows += [{"text": text, "code": code, "scope": "out"} for text, code in sorted(other.items()) if text not in shared]
    rows = [row | {"split": split_of(row["text"])} for row in rows if len(row["text"]) >= 8]
    OUTPUT.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    counts = {(r["scope"], r["split"]): sum(1 for s in rows if (s["scope"], s["split"]) == (r["scope"], r["split"]))
              for r in rows}
    print(f"{OUTPUT}: {len(rows)} headings ({len(shared)} shared by both sides dropped): {counts}")


def split_of(text: str) -> str:
    """« heldout » for one heading in three, by a hash of its text: stable whatever the others are."""
    return "heldout" if int(hashlib.sha256(text.encode()).hexdigest(), 16) % 3 == 0 else "tune"


def _inner_crumbs(crumbs: tuple[str, ...]) -> tuple[str, ...]:
    """The path below the part (« Partie législative », « Partie réglementaire - Décrets simples »)."""
    return crumbs[1:] if crumbs and crumbs[0].lower().startswith("partie") else crumbs


def _heading(title: str) -> str:
    """« Section 2 : Allocation de logement » → « Allocation de logement »."""
    return _NUMBERING.sub("", title).strip()


if __name__ == "__main__":
    main()
