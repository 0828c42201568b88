#!/usr/bin/env python3
"""Check as you type: the server time of one preview refresh (``preview_file``: the working copy
read from the database, the one file parsed, rendered and checked, with personal-data, language
and quiz-quality checks) of a generated 3,000-word case study, against the whole-folder check the
preview replaced.

    .venv/bin/python benchmarks/authoring.py [--postgres-url URL]

Runs in-process on a throwaway SQLite database built by the migrations (and on PostgreSQL when
``--postgres-url`` names a database this benchmark may empty). The bundled courses are imported
first, so the preview reads a realistic working copy. Goal (issue 14): p95 under 150 ms.
Prints the figures and merges them into benchmarks/results.json.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS_FILE = ROOT / "benchmarks" / "results.json"
RUNS = 30
WORDS = 3000
GOAL_MS = 150
PATH = "cse-level-1/09-case-study-missing-episodes.md"

FRONT = """---
title: "Case study: Jade and the car outside school"
kind: case_study
minutes: 40
summary: Follow a 15 year old over a school year as each agency sees part of the picture.
content_note: This case study follows a 15 year old girl who is sexually exploited by adults. It mentions going missing, alcohol and threats. Nothing is described in graphic detail.
pseudonyms: [Jade, Karen, Omar, Beth, Lee, Rowan, Eastbridge]
---
"""
# Realistic prose: the paragraphs a case study is made of, each with names, places and times.
PARAGRAPHS = [
    "Jade is 15 and in Year 10 at a secondary school in Eastbridge. She lives with her mum, Karen, "
    "and two younger brothers. Her head of year, Omar, notices that her attendance has dropped, "
    "that she is often tired in lessons and that she has fallen out with her old friends.",
    "A teaching assistant, Beth, sees Jade getting into a silver car outside the school gates on "
    "three afternoons in one week. The driver looks much older than Jade. Beth writes down what "
    "she saw, with the dates and times, and tells the designated safeguarding lead the same day.",
    "Karen tells the school that Jade has started coming home late, sometimes after midnight, and "
    "will not say where she has been. She has a new phone and new clothes, and money is tight at "
    "home. Karen is worried and does not know who to ask for help.",
    "When Jade goes missing overnight, a police officer, Lee, finds her at a flat in the town "
    "centre with two adults. There is alcohol in the flat. Jade says she is fine and wants to stay. "
    "Lee takes her home and records what he saw, including the address and the adults' names.",
    "At the strategy meeting, each agency shares what it knows. For the first time the school's "
    "notes, the police record and the health visit are seen together. The pattern is clear: gifts, "
    "an older man with a car, missing episodes and a change in how Jade behaves.",
    "Rowan, a youth worker, builds a relationship with Jade over several weeks. He listens, does "
    "not judge and is honest about what he has to share. Jade starts to talk about the man with "
    "the car, and about the parties she is taken to at weekends.",
]
DECISION = """### Decision: You are Omar. What do you do with what Beth told you?

- [ ] Wait to see whether it happens again before doing anything.

    Consequence: Two more weeks pass. Jade is seen in the car twice more, and nobody is told.

- [x] Record it, share it with the designated safeguarding lead today and ask what else is known.

    Consequence: The lead links Beth's note to the attendance records and makes a referral.

**Practice point:** A worry shared the same day can be joined up with what others have seen.
"""


def case_study(words: int = WORDS) -> str:
    """A case study of ``words`` words of prose in sections, with a decision point and reflections."""
    parts, count, month = [FRONT], 0, 0
    while count < words:
        month += 1
        parts.append(f"## Month {month}: what people saw\n")
        for paragraph in PARAGRAPHS:
            if count >= words:
                break
            parts.append(paragraph + "\n")
            count += len(paragraph.split())
        if month == 2:
            parts.append(DECISION)
        if month % 3 == 0:
            parts.append('!!! reflect "Pause and reflect"\n    What would you have written down?\n')
    return "\n".join(parts)


def measure(database_url: str) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each refresh (CPU time moves far less than wall-clock
    time when the machine is shared)."""
    from flask_migrate import upgrade

    from modules.authoring.preview import preview_file
    from modules.content.checker import check_paths
    from modules.content.importer import import_checked
    from modules.core.extensions import db
    from modules.core.factory import create_app

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
        "MAIL_OUTBOX_DIR": tempfile.mkdtemp(), "SERVER_NAME": "localhost",
    })
    with app.app_context():
        if database_url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        upgrade()
        import_checked(check_paths([ROOT / "courses"], ROOT / "certificates"))
        text = case_study()
        first = preview_file(PATH, text)
        assert first.module is not None and first.module.decision_points, [str(p) for p in first.errors]
        times, cpu = [], []
        for run in range(RUNS):
            edited = text + f"\nA last line, typed {run} times.\n"  # every refresh is a new text
            start, start_cpu = time.perf_counter(), time.process_time()
            preview_file(PATH, edited)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            db.session.rollback()
        db.session.remove()
        db.engine.dispose()
    return times, cpu


def whole_folder_ms() -> float:
    from modules.content.checker import check_paths

    check_paths([ROOT / "courses"], ROOT / "certificates")
    start = time.perf_counter()
    check_paths([ROOT / "courses"], ROOT / "certificates")
    return (time.perf_counter() - start) * 1000


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def merge_results(updates: dict) -> None:
    results = json.loads(RESULTS_FILE.read_text()) if RESULTS_FILE.exists() else {}
    results.update(updates)
    RESULTS_FILE.write_text(json.dumps(dict(sorted(results.items())), indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres-url", help="a PostgreSQL database this benchmark may empty")
    args = parser.parse_args()
    databases = {"sqlite": None}
    if args.postgres_url:
        from modules.core.config import normalise_database_url

        databases["postgresql"] = normalise_database_url(args.postgres_url)
    words = len(re.findall(r"\S+", case_study().split("\n---\n", 1)[1]))
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in databases.items():
            times, cpu = measure(url or f"sqlite:///{tmp}/bench.db")
            figures[f"authoring_preview_{WORDS}_words_{name}_p50_ms"] = statistics.median(times)
            figures[f"authoring_preview_{WORDS}_words_{name}_p95_ms"] = p95(times)
            figures[f"authoring_preview_{WORDS}_words_{name}_cpu_p50_ms"] = statistics.median(cpu)
            figures[f"authoring_preview_{WORDS}_words_{name}_cpu_p95_ms"] = p95(cpu)
    figures["authoring_whole_folder_check_ms"] = whole_folder_ms()
    load = os.getloadavg()[0]
    print(f"case study: {words} words, {RUNS} refreshes each; goal p95 < {GOAL_MS} ms; load {load:.1f}")
    for key, value in figures.items():
        print(f"{key:52} {value:8.1f}")
    merge_results(figures)


if __name__ == "__main__":
    main()
