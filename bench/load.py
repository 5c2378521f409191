"""Load benchmark: K simulated users each sending M questions to the page's `/ask` API.

Usage:
    python bench/load.py                              # starts `cdt serve` on a free port (index built)
    python bench/load.py --users 20 --questions 25 --max-seconds 900
    python bench/load.py --url http://127.0.0.1:7860/ [--server-pid PID]

Each simulated user is a thread with its own session of the page (its own conversation state on
the server) that sends its questions one after the other, waiting for each answer, to the `/ask`
endpoint (the « Envoyer » button). By default a user speaks the browser's own protocol (join the
queue, read the session's event stream: `PageVisitor` of tests/page_server.py), which costs this
side next to no CPU; `--client gradio_client` uses Gradio's Python client instead, which costs about
0.15 s of CPU per question here, taken from the two cores the server also needs. The questions are
drawn with a fixed seed from bench/scope_questions.jsonl (in and out of scope) and
bench/questions.jsonl; each user starts a fresh conversation, and before each new question starts
another one (« Nouvelle conversation ») except for a few follow-ups (« Et pour 300 salariés ? »)
asked in the same conversation as the question before them.

An answer is OK when the last message of the returned conversation is the assistant's, non-empty,
and carries the corpus date line (« consolidé au »); anything else, an exception (queue full…) or
no answer within --timeout seconds is an error. Sending stops at --max-seconds: the questions not
sent by then are counted as unsent. One warm-up question is asked first and not counted.

Latency is measured by the client, from sending a question to the whole checked answer (queue wait
included). A question sent just before --max-seconds may still take up to --timeout seconds.

The server's memory: the RSS of its process and of its children, summed, sampled every 0.5 s (peak
reported). With --url, give --server-pid to get it. Also reported: the
CPU seconds of the server and of this bench during the load, and the cores busy on the whole machine
(the bench shares the machine with the server: on 2 cores its own share matters). --think adds a
pause between an answer and the user's next question (default 0: each user sends back to back).

--convention 1486 makes each conversation choose that convention collective first (the « Choisir »
button, counted in the question's latency): each answer then also searches and quotes the convention.

Target (issue 7; issue 18 with --convention): zero errors and p95 latency under 5 s with 20 users × 25 questions, offline mode,
on a 2-core machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import sys
import threading
import time
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import psutil

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # gradio_client: no telemetry thread
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from first_answer import _start_server  # noqa: E402  (same way of starting `cdt serve` on a free port)
from tests.page_server import PageVisitor  # noqa: E402  (the browser's protocol, as the hostile-input tests speak it)

BENCH = Path(__file__).resolve().parent
QUESTION_FILES = (BENCH / "scope_questions.jsonl", BENCH / "questions.jsonl")
FOLLOW_UPS = (
    "Et pour 300 salariés ?",
    "Et si le salarié a moins de deux ans d'ancienneté ?",
    "Que dit l'article suivant ?",
    "Et dans une entreprise de moins de 11 salariés ?",
    "Quelles sont les sanctions ?",
)
FOLLOW_UP_SHARE = 0.12
WARM_UP = "Quelle est la durée légale du travail ?"
DATE_LINE = "consolidé au"
ENDPOINT = "/ask"
TARGET_P95_S = 5.0
SAMPLE_EVERY_S = 0.5
MIB = 1024 * 1024


@dataclass
class Result:
    user: int
    index: int
    question: str
    follow_up: bool
    latency_s: float
    ok: bool
    error: str = ""


@dataclass
class Memory:
    """The server's peak RSS (its process and descendants, summed, sampled in a thread) and CPU time."""

    pid: int | None
    peak_mib: float = 0.0
    first_mib: float = 0.0
    last_mib: float = 0.0
    samples: int = 0
    cpu_first_s: float = 0.0
    cpu_last_s: float = 0.0
    machine_first: Any = None
    machine_last: Any = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self.machine_first = self.machine_last = psutil.cpu_times()
        if self.pid is None:
            return
        self.sample()
        self.first_mib = self.last_mib
        self.cpu_first_s = self.cpu_last_s = self._cpu_s()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling (once: later calls do nothing)."""
        self._stop.set()
        if self.machine_last is self.machine_first:
            self.machine_last = psutil.cpu_times()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
            self.sample()
            self.cpu_last_s = self._cpu_s()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY_S):
            self.sample()

    def _tree(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def sample(self) -> None:
        total = 0
        for process in self._tree():
            with contextlib.suppress(psutil.NoSuchProcess):
                total += process.memory_info().rss
        if total:
            self.last_mib = total / MIB
            self.peak_mib = max(self.peak_mib, self.last_mib)
            self.samples += 1

    def _cpu_s(self) -> float:
        seconds = 0.0
        for process in self._tree():
            with contextlib.suppress(psutil.NoSuchProcess):
                times = process.cpu_times()
                seconds += times.user + times.system
        return seconds

    def machine(self) -> dict[str, float] | None:
        """Cores busy on the whole machine (every process, this bench included) and stolen by the hypervisor."""
        if self.machine_first is None or self.machine_last is None:
            return None
        delta = {name: getattr(self.machine_last, name) - getattr(self.machine_first, name)
                 for name in self.machine_first._fields}
        total = sum(delta.values()) - delta.get("guest", 0) - delta.get("guest_nice", 0)  # guest is inside user
        if total <= 0:
            return None
        cores = os.cpu_count() or 1
        idle = delta["idle"] + delta.get("iowait", 0)
        steal = delta.get("steal", 0)
        return {"busy_cores": round(cores * (total - idle - steal) / total, 2),
                "steal_cores": round(cores * steal / total, 2)}


def load_questions() -> list[dict[str, str]]:
    pool = []
    for path in QUESTION_FILES:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    item = json.loads(line)
                    pool.append({"id": item["id"], "question": item["question"], "scope": item.get("scope", "in")})
    return pool


def plan(pool: list[dict[str, str]], users: int, per_user: int, seed: int) -> list[list[tuple[str, bool]]]:
    """For each user, its (question, follow_up) list: deterministic for a seed."""
    plans = []
    for user in range(users):
        rng = random.Random(f"{seed}-{user}")
        questions: list[tuple[str, bool]] = []
        for index in range(per_user):
            if index > 0 and not questions[-1][1] and rng.random() < FOLLOW_UP_SHARE:
                questions.append((rng.choice(FOLLOW_UPS), True))
            else:
                questions.append((rng.choice(pool)["question"], False))
        plans.append(questions)
    return plans


class GradioClientUser:
    """A user through gradio_client, with the interface of PageVisitor (ask, new_conversation), and close."""

    def __init__(self, url: str, timeout: float) -> None:
        from gradio_client import Client

        self.client = Client(url, verbose=False, download_files=False, analytics_enabled=False)
        self.timeout = timeout

    def ask(self, question: str) -> Any:
        job = self.client.submit(question, api_name=ENDPOINT)
        try:
            return job.result(timeout=self.timeout)
        except FutureTimeout:
            job.cancel()
            raise TimeoutError(f"pas de réponse en {self.timeout:g} s") from None

    def new_conversation(self) -> None:
        self.client.reset_session()

    def choose_convention(self, words: str) -> Any:
        return self.client.predict(words, api_name="/choose_convention")

    def close(self) -> None:
        self.client.close()


def make_user(kind: str, url: str, timeout: float) -> Any:
    if kind == "gradio_client":
        return GradioClientUser(url, timeout)
    return PageVisitor(url, timeout)  # holds nothing between questions: nothing to close


def check(outputs: Any) -> str:
    """'' when the answer is OK, else why not."""
    if not isinstance(outputs, (tuple, list)) or not outputs:
        return f"sortie inattendue : {type(outputs).__name__}"
    conversation = outputs[0]
    if not isinstance(conversation, list) or not conversation:
        return "conversation vide"
    last = conversation[-1]
    if not isinstance(last, dict) or last.get("role") != "assistant":
        return "dernier message absent ou pas de l'assistant"
    text = _text(last.get("content"))
    if not text.strip():
        return "réponse vide"
    if DATE_LINE not in text:
        return f"réponse sans « {DATE_LINE} » : {text.strip()[:160]!r}"
    return ""


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(_text(part) for part in content)
    if isinstance(content, dict):
        return str(content.get("text") or content.get("value") or "")
    return ""


def run_user(user: int, client: Any, questions: list[tuple[str, bool]], deadline: list[float], think: float,
             start: threading.Barrier, results: list[Result], lock: threading.Lock,
             convention: str | None = None) -> None:
    start.wait()  # the deadline is set by then
    for index, (question, follow_up) in enumerate(questions):
        if index > 0 and think > 0:
            time.sleep(think)
        if time.monotonic() >= deadline[0]:
            return
        if index > 0 and not follow_up:
            client.new_conversation()
        began = time.perf_counter()
        try:
            if convention and (index == 0 or not follow_up):  # each new conversation chooses it, as a person does
                client.choose_convention(convention)
            error = check(client.ask(question))
        except Exception as exception:  # queue full, timeout, connection refused…: counted, never raised
            error = f"{type(exception).__name__}: {str(exception)[:200]}"
        latency = time.perf_counter() - began
        with lock:
            results.append(Result(user, index, question, follow_up, latency, not error, error))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="page déjà servie (sinon `cdt serve` est lancé sur un port libre)")
    parser.add_argument("--server-pid", type=int, help="avec --url : processus du serveur, pour sa mémoire")
    parser.add_argument("--users", type=int, default=20, help="utilisateurs simulés (défaut 20)")
    parser.add_argument("--questions", type=int, default=25, help="questions par utilisateur (défaut 25)")
    parser.add_argument("--max-seconds", type=float, default=900, help="plus aucun envoi après (défaut 900 s)")
    parser.add_argument("--timeout", type=float, default=60, help="délai maximal par question (défaut 60 s)")
    parser.add_argument("--seed", type=int, default=7, help="graine du tirage des questions (défaut 7)")
    parser.add_argument("--client", choices=("http", "gradio_client"), default="http",
                        help="protocole des utilisateurs simulés : celui du navigateur (défaut) ou gradio_client")
    parser.add_argument("--convention", metavar="IDCC_OU_NOM",
                        help="chaque conversation choisit d'abord cette convention collective (« Choisir »)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="pause d'un utilisateur entre une réponse et sa question suivante (défaut 0 s)")
    args = parser.parse_args()
    if args.users < 1 or args.questions < 1:
        parser.error("--users et --questions doivent être ≥ 1")

    server = None
    url, pid = args.url, args.server_pid
    if url is None:
        server, url = _start_server()
        pid = server.pid
    memory = Memory(pid)
    try:
        figures = _run(args, url, memory)
    finally:
        memory.stop()
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    _report(figures, memory, args)


def _run(args: argparse.Namespace, url: str, memory: Memory) -> dict[str, Any]:
    warm_client = make_user(args.client, url, args.timeout)
    began = time.perf_counter()
    warm_error = check(warm_client.ask(WARM_UP))
    print(f"échauffement (non compté) : {time.perf_counter() - began:.2f} s"
          f"{' — ' + warm_error if warm_error else ''}", flush=True)
    _close(warm_client)

    plans = plan(load_questions(), args.users, args.questions, args.seed)
    clients: list[Any] = [None] * args.users

    def connect(user: int) -> None:
        clients[user] = make_user(args.client, url, args.timeout)

    connectors = [threading.Thread(target=connect, args=(user,)) for user in range(args.users)]
    for thread in connectors:
        thread.start()
    for thread in connectors:
        thread.join()
    if any(client is None for client in clients):
        raise SystemExit("impossible de connecter tous les clients à la page")

    results: list[Result] = []
    lock = threading.Lock()
    barrier = threading.Barrier(args.users + 1)
    deadline = [float("inf")]
    memory.start()
    threads = [threading.Thread(target=run_user, name=f"user-{user}",
                                args=(user, clients[user], plans[user], deadline, args.think, barrier, results, lock,
                                      args.convention))
               for user in range(args.users)]
    for thread in threads:
        thread.start()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()  # all clients connected: the clock and the deadline start now
    deadline[0] = started + args.max_seconds
    barrier.wait()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    memory.stop()
    client_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    for client in clients:
        _close(client)
    return {"results": results, "wall_s": wall, "planned": args.users * args.questions, "client_cpu_s": client_cpu}


def _close(client: Any) -> None:
    if isinstance(client, GradioClientUser):
        client.close()


def _report(figures: dict[str, Any], memory: Memory, args: argparse.Namespace) -> None:
    results: list[Result] = figures["results"]
    wall = max(figures["wall_s"], 1e-6)
    ok = [r for r in results if r.ok]
    errors = [r for r in results if not r.ok]
    latencies = [r.latency_s for r in results]
    p50, p95, p99 = (float(v) for v in np.percentile(latencies, [50, 95, 99])) if latencies else (float("nan"),) * 3
    seconds = (lambda value: round(value, 3) if latencies else None)  # noqa: E731  (no NaN in the JSON line)
    summary = {
        "users": args.users,
        "questions_per_user": args.questions,
        "planned": figures["planned"],
        "sent": len(results),
        "answered": len(ok),
        "errors": len(errors),
        "unsent": figures["planned"] - len(results),
        "follow_ups": sum(r.follow_up for r in results),
        "wall_s": round(wall, 2),
        "throughput_per_s": round(len(ok) / wall, 2) if wall else None,
        "latency_s": {"p50": seconds(p50), "p95": seconds(p95), "p99": seconds(p99),
                      "max": seconds(max(latencies, default=0.0))},
        "server_rss_mib": None if memory.pid is None else {
            "start": round(memory.first_mib, 1), "peak": round(memory.peak_mib, 1), "end": round(memory.last_mib, 1),
            "samples": memory.samples},
        "cpu_s": {"server": round(memory.cpu_last_s - memory.cpu_first_s, 1) if memory.pid else None,
                  "bench_client": round(figures["client_cpu_s"], 1), "cores": os.cpu_count(),
                  "machine": memory.machine()},
        "client": args.client,
        "think_s": args.think,
        "convention": args.convention,
        "timeout_s": args.timeout,
        "max_seconds": args.max_seconds,
        "target": {"errors": 0, "p95_s": TARGET_P95_S},
        "met": not errors and len(results) == figures["planned"] and p95 < TARGET_P95_S,
    }
    kinds: dict[str, int] = {}
    for r in errors:
        kinds[r.error.split(":")[0]] = kinds.get(r.error.split(":")[0], 0) + 1
    print(f"utilisateurs : {args.users} × {args.questions} questions ({summary['follow_ups']} questions de suite), "
          f"client {args.client}")
    print(f"questions : {summary['sent']} envoyées, {summary['answered']} répondues, {summary['errors']} erreurs, "
          f"{summary['unsent']} non envoyées (limite {args.max_seconds:g} s)")
    print(f"durée : {wall:.1f} s ; débit : {summary['throughput_per_s']} réponses/s")
    print(f"latence : p50 {p50:.2f} s, p95 {p95:.2f} s, p99 {p99:.2f} s, max {summary['latency_s']['max']} s")
    rss = summary["server_rss_mib"]
    if rss is None:
        print("mémoire du serveur : non mesurée (donnez --server-pid avec --url)")
    else:
        print(f"mémoire du serveur (RSS, enfants compris) : début {rss['start']} MiB, pic {rss['peak']} MiB, "
              f"fin {rss['end']} MiB ({rss['samples']} relevés toutes les {SAMPLE_EVERY_S:g} s)")
    cpu = summary["cpu_s"]
    server_cpu = ("non mesuré" if cpu["server"] is None
                  else f"{cpu['server']} s ({cpu['server'] / wall:.2f} cœur en moyenne)")
    print(f"CPU pendant la charge : serveur {server_cpu}, client de ce banc {cpu['bench_client']} s "
          f"({cpu['bench_client'] / wall:.2f} cœur) ; machine : {cpu['cores']} cœurs"
          + (f", {cpu['machine']['busy_cores']} occupés, {cpu['machine']['steal_cores']} volés par l'hyperviseur"
             if cpu["machine"] else "")
          + (f" ; pause entre questions {args.think:g} s" if args.think else ""))
    for kind, count in sorted(kinds.items(), key=lambda item: -item[1]):
        example = next(r for r in errors if r.error.split(":")[0] == kind)
        print(f"  erreur ×{count} : {example.error}  [{example.question[:80]}]")
    print(f"objectif (0 erreur, p95 < {TARGET_P95_S:g} s) : {'atteint' if summary['met'] else 'manqué'}")
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
