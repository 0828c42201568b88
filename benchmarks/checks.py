#!/usr/bin/env python3
"""Language and personal-data check figures: the one-off cost of loading the language guide, the
lemmatiser and the name lists (in a fresh process), and the time each check takes on a
3,000-word module (goal: under 50 ms each). Prints the figures and merges them into
benchmarks/results.json.

    .venv/bin/python benchmarks/checks.py
"""
from __future__ import annotations

import json
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS_FILE = ROOT / "benchmarks" / "results.json"
RUNS = 30
WORDS = 3000


def merge_results(updates: dict) -> None:
    results = json.loads(RESULTS_FILE.read_text()) if RESULTS_FILE.exists() else {}
    results.update(updates)
    RESULTS_FILE.write_text(json.dumps(dict(sorted(results.items())), indent=2) + "\n")


def module_text(path: Path, words: int = WORDS) -> str:
    """The module's body repeated or cut to ``words`` words (Markdown kept as it is)."""
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    text = body
    while len(text.split()) < words:
        text += "\n\n" + body
    kept, count = [], 0
    for line in text.split("\n"):
        count += len(line.split())
        kept.append(line)
        if count >= words:
            break
    return "\n".join(kept)


def load_child() -> None:
    """In a fresh process: how long loading takes, and the memory it adds."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    from modules.checks.language import guide

    guide()
    guide_ms = (time.perf_counter() - start) * 1000
    middle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    from modules.checks.names import name_lists

    lists = name_lists()
    names_ms = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "checks_language_guide_load_ms": guide_ms,
        "checks_language_guide_load_mb": (middle - before) / 1024,
        "checks_name_lists_load_ms": names_ms,
        "checks_name_lists_load_mb": (after - middle) / 1024,
        "checks_name_lists_first_names": len(lists.first),
        "checks_name_lists_family_names": len(lists.last),
    }))


def timed(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    if "--load-child" in sys.argv:
        return load_child()
    loads = json.loads(subprocess.run(
        [sys.executable, __file__, "--load-child"], check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout)

    from modules.checks.language import check_language
    from modules.checks.personal_data import find_personal_data

    samples = {
        # Case-study prose: names, places, times (what the personal-data finder is for).
        "case_study": module_text(ROOT / "courses/cse-level-1/09-case-study-missing-episodes.md"),
        # The language quiz: the densest text there is in guide phrases (the worst case).
        "language_quiz": module_text(ROOT / "courses/cse-level-1/07-language-matters.md"),
    }
    figures = dict(loads)
    for name, text in samples.items():
        check_language(text), find_personal_data(text)  # (warm the per-word caches once)
        words = len(re.findall(r"\S+", text))
        figures[f"checks_language_{name}_{WORDS}_words_median_ms"] = timed(lambda t=text: check_language(t))
        figures[f"checks_personal_data_{name}_{WORDS}_words_median_ms"] = timed(
            lambda t=text: find_personal_data(t, pseudonyms=["Nadia", "Lorraine", "Helen", "Martin"]))
        print(f"{name}: {words} words")
    for key, value in figures.items():
        print(f"{key:58} {value:10.2f}")
    merge_results(figures)


if __name__ == "__main__":
    main()
