"""Fetching the official Code du travail from the `@socialgouv/legi-data` npm package.

The package is maintained by the labour ministry's digital team and refreshed weekly. We take it
with `npm pack` (no install scripts run, the registry is whatever npm is configured with) and read
one file of the tarball: the Code du travail JSON. The ministry's practical sheets come the same
way, from another package (corpus/sheets_package.py).
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

from corpus.errors import CorpusError
from corpus.legi_json import CODE_DU_TRAVAIL_ID, load_official_code
from corpus.linked_codes import LINKED_CODES
from corpus.snapshot import Manifest, Snapshot

PACKAGE = "@socialgouv/legi-data"
PINNED_VERSION = "2.513.0"
_MEMBER = f"package/data/{CODE_DU_TRAVAIL_ID}.json"


def package_source(version: str) -> str:
    return f"{PACKAGE}@{version}"


def latest_version(package: str = PACKAGE) -> str:
    """The newest published version of ``package`` (default: the code's), as npm reports it."""
    return _npm("view", package, "version").strip()


def fetch_code_json(version: str, workdir: Path) -> Path:
    """Download the package tarball into ``workdir`` and extract the Code du travail JSON only."""
    return fetch_package_file(PACKAGE, version, _MEMBER, workdir)


def fetch_package_file(package: str, version: str, member: str, workdir: Path) -> Path:
    """Download ``package@version`` into ``workdir`` with `npm pack` and extract one file of it, ``member``
    (a path inside the tarball, « package/data/… »), as ``workdir``/its name: the one way every pinned
    package (the code, the ministry's sheets) is taken."""
    tarball = fetch_package(package, version, workdir)
    target = workdir / Path(member).name
    try:
        with tarfile.open(tarball, "r:gz") as archive:
            extracted = archive.extractfile(member)
            if extracted is None:
                raise CorpusError(f"{tarball} : {member} absent du paquet {package}@{version}")
            with extracted, open(target, "wb") as out:
                shutil.copyfileobj(extracted, out)
    except KeyError as error:
        raise CorpusError(f"{tarball} : {member} absent du paquet {package}@{version}") from error
    except (tarfile.TarError, EOFError, OSError) as error:
        raise CorpusError(f"{tarball} : archive du paquet illisible ({error}). Relancez la mise à jour.") from error
    return target


def fetch_package(package: str, version: str, workdir: Path) -> Path:
    """Download ``package@version``'s tarball into ``workdir`` with `npm pack` (no install script runs)."""
    workdir.mkdir(parents=True, exist_ok=True)
    name = _npm("pack", f"{package}@{version}", "--pack-destination", str(workdir), "--silent").strip().splitlines()[-1]
    return workdir / name


def fetch_linked_jsons(version: str, workdir: Path) -> dict[str, Path]:
    """The other codes' JSON files the linked articles come from (corpus/linked_codes.py), same version."""
    return {code_id: fetch_package_file(PACKAGE, version, f"package/data/{code_id}.json", workdir)
            for code_id in LINKED_CODES}


def build_official_snapshot(json_path: Path, version: str) -> Snapshot:
    """Turn the package's JSON into our snapshot (all articles, each with its status)."""
    source = package_source(version)
    code = load_official_code(json_path, source)
    return Snapshot(
        Manifest(source=source, consolidation_date=code.consolidation_date, kind="official",
                 article_count=len(code.articles), extra={"package": PACKAGE, "version": version}),
        code.articles,
    )


def _npm(*args: str) -> str:
    if shutil.which("npm") is None:
        raise CorpusError("npm est introuvable : installez Node.js et npm (paquet Debian `npm`) pour mettre à jour le corpus.")
    try:
        result = subprocess.run(["npm", *args], capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired as error:
        raise CorpusError(f"npm {' '.join(args)} : pas de réponse du registre en {error.timeout} s. Réessayez plus tard.") from error
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["(aucun message)"])[-1]
        raise CorpusError(f"npm {' '.join(args)} a échoué : {detail}")
    return result.stdout
