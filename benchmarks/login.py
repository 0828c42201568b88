"""Sign-in cost: hashing (Argon2id at OWASP parameters) and the whole sign-in request.

usage: .venv/bin/python benchmarks/login.py
Runs in-process on a throwaway SQLite database built by the migrations, with CSRF on and rate
limiting off (the limiter would stop a benchmark after 10 attempts, as it should stop an attacker).
Prints the figures and merges them into benchmarks/results.json.
"""
from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 30


def main() -> None:
    from flask_migrate import upgrade

    from modules.accounts.passwords import hash_password, verify_password
    from modules.core.factory import create_app
    from modules.demo.services import load_demo

    hash_ms = []
    for _ in range(RUNS):
        start = time.perf_counter()
        hashed = hash_password("a long enough passphrase")
        hash_ms.append((time.perf_counter() - start) * 1000)
    verify_ms = []
    for _ in range(RUNS):
        start = time.perf_counter()
        verify_password(hashed, "a long enough passphrase")
        verify_ms.append((time.perf_counter() - start) * 1000)

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
            "RATELIMIT_ENABLED": False,
            "MAIL_OUTBOX_DIR": f"{tmp}/outbox",
        })
        with app.app_context():
            upgrade()
            load_demo(staff=40)
        request_ms = []
        for _ in range(RUNS):
            client = app.test_client()  # a new visitor each time
            page = client.get("/sign-in").get_data(as_text=True)
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            start = time.perf_counter()
            response = client.post("/sign-in", data={"csrf_token": token, "email": "learner@example.org", "password": "sightline-demo"})
            request_ms.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 302, response.status_code

    figures = {
        "password_hash_median_ms": round(statistics.median(hash_ms), 1),
        "password_verify_median_ms": round(statistics.median(verify_ms), 1),
        "sign_in_request_median_ms": round(statistics.median(request_ms), 1),
        "sign_in_request_p95_ms": round(sorted(request_ms)[int(len(request_ms) * 0.95) - 1], 1),
    }
    for key, value in figures.items():
        print(f"{key:32} {value}")
    results_path = ROOT / "benchmarks" / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    results.update(figures)
    results_path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
