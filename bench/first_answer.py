"""Browser benchmark: time from clicking « Envoyer » to the first answer visible on the web page.

Usage:
    python bench/first_answer.py                      # starts `cdt serve` on a free port (index built)
    python bench/first_answer.py --url http://127.0.0.1:7860/ [--rounds 3]

Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) opens the page, then for each
question: « Nouvelle conversation », the question typed, « Envoyer » clicked. The clock runs in the
page (performance.now(), a MutationObserver on the chat) from the click to:

- first text: the first words of the answer shown in place of « Recherche… » (a language model's
  draft in LLM mode; the checked answer offline);
- answer: the checked answer shown whole (it ends with the corpus consolidation date).

The first question warms the page and the process up and is not counted. Target (issue 6): first
answer visible within 3 s, offline mode.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

QUESTIONS = [
    "Nous avons 120 salariés et employons 4 travailleurs handicapés. Sommes-nous en règle ?",
    "Quelle est la durée maximale de la période d'essai d'un cadre en CDI ?",
    "Combien de jours de congés payés un salarié acquiert-il par mois de travail ?",
    "Mon CDD se termine le mois prochain : ai-je droit à une indemnité de fin de contrat ?",
    "Un demandeur d'emploi peut-il refuser une offre raisonnable d'emploi ?",
    "Quel est le délai de rétractation après la signature d'une rupture conventionnelle ?",
    "Quelles sont les conditions d'âge pour entrer en contrat d'engagement jeune ?",
    "Que dit l'article L1234-9 ?",
]
WARM_UP = "Quelle est la durée légale du travail ?"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TARGET_MS = 3000

_MEASURE = """
(placeholder) => new Promise((resolve) => {
  const chat = document.querySelector('#cdt-chat');
  const bots = () => chat.querySelectorAll("[data-testid='bot']");
  const before = bots().length;
  let firstText = null;
  const started = performance.now();
  const check = () => {
    const all = bots();
    if (all.length <= before) return;
    const text = all[all.length - 1].innerText;
    if (firstText === null && text.trim() && !text.includes(placeholder)) firstText = performance.now() - started;
    if (text.includes('consolidé au')) {
      observer.disconnect();
      resolve({first_text_ms: firstText ?? performance.now() - started, answer_ms: performance.now() - started});
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(chat, {childList: true, subtree: true, characterData: true});
  document.querySelector('#cdt-send').click();
})
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="page déjà servie (sinon `cdt serve` est lancé sur un port libre)")
    parser.add_argument("--rounds", type=int, default=2, help="passages sur les questions (défaut 2)")
    args = parser.parse_args()
    server = None
    url = args.url
    if url is None:
        server, url = _start_server()
    try:
        results = _measure(url, args.rounds)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    _report(results)


def _start_server() -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cdt = Path(sys.executable).with_name("cdt")
    command = [str(cdt) if cdt.exists() else "cdt", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"`cdt serve` s'est arrêté (code {server.returncode}) : l'index est-il construit ?")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return server, url
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("la page n'a pas répondu en 180 s")


def _measure(url: str, rounds: int) -> list[dict[str, object]]:
    from playwright.sync_api import sync_playwright

    results: list[dict[str, object]] = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="fr-FR", viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        page.goto(url)
        page.locator("#cdt-question textarea").wait_for()
        warm = _ask(page, WARM_UP)
        print(f"échauffement (non compté) : {warm['answer_ms']:.0f} ms  {WARM_UP}")
        for _ in range(rounds):
            for question in QUESTIONS:
                results.append({"question": question, **_ask(page, question)})
        browser.close()
    return results


def _ask(page: object, question: str) -> dict[str, float]:
    page.locator("#cdt-new").click()  # type: ignore[attr-defined]
    page.locator("#cdt-chat [data-testid='bot']").first.wait_for(state="detached")  # type: ignore[attr-defined]
    page.locator("#cdt-question textarea").fill(question)  # type: ignore[attr-defined]
    return page.evaluate(_MEASURE, "Recherche dans le Code du travail")  # type: ignore[attr-defined]


def _report(results: list[dict[str, object]]) -> None:
    for item in results:
        print(f"{item['first_text_ms']:8.0f} ms {item['answer_ms']:8.0f} ms  {item['question']}")
    first = sorted(float(r["first_text_ms"]) for r in results)
    whole = sorted(float(r["answer_ms"]) for r in results)
    summary = {
        "questions": len(results),
        "first_text_ms": {"p50": round(statistics.median(first)), "max": round(first[-1])},
        "answer_ms": {"p50": round(statistics.median(whole)), "max": round(whole[-1])},
        "target_ms": TARGET_MS, "met": whole[-1] <= TARGET_MS,
    }
    print(f"première réponse visible : p50 {summary['first_text_ms']['p50']} ms, max {summary['first_text_ms']['max']} ms ; "
          f"réponse vérifiée entière : p50 {summary['answer_ms']['p50']} ms, max {summary['answer_ms']['max']} ms "
          f"({len(results)} questions ; objectif ≤ {TARGET_MS} ms : {'atteint' if summary['met'] else 'manqué'})")
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
