"""The learner's hot pages under a real server: a module section and My training, for a signed-in
learner, against a bare Flask route that returns a constant string, both under gunicorn with the
same settings (2 sync workers) in the same run, on SQLite and on PostgreSQL.

usage: .venv/bin/python benchmarks/pages.py [--postgres-url URL] [--seconds 10]

``--postgres-url`` names a database this benchmark may empty (its schema is dropped and built
again by the migrations); without it only SQLite is measured. The load comes from ``wrk``
(``apt-get install wrk``) when it is installed, else from a small Python load generator with the
same number of connections; both run for a bounded time against 127.0.0.1 only.

Goal: each page serves at least 0.25x the requests per second of the bare route. Prints the
figures and merges into benchmarks/results.json: ``page_vs_bare_flask_ratio`` (the lowest ratio
of any page on any database), ``page_queries`` (the most SQL queries any of these pages runs)
and ``pages_benchmark`` (every figure, with each page's CPU milliseconds per request measured
in-process, which moves far less than requests per second when the machine is shared).
"""
from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS_FILE = ROOT / "benchmarks" / "results.json"
WORKERS = 2
CONNECTIONS = 8
GOAL = 0.25
LEARNER = "learner@example.org"
SECRET_KEY = "benchmark-secret-key-that-is-long-enough-to-sign-cookies"


def bare_app():
    """The yardstick: Flask itself, one route, a constant string (gunicorn 'benchmarks.pages:bare_app()')."""
    from flask import Flask

    app = Flask("bare")
    app.add_url_rule("/", "index", lambda: "ok")
    return app


# The database --------------------------------------------------------------------------------

def _environment(database_url: str, instance: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "SIGHTLINE_ENV": "development",
        "RATELIMIT_ENABLED": "0",
        "PYTHONPATH": str(ROOT),
    }


def prepare(database_url: str) -> None:
    """Build the schema with the migrations and load the bundled courses and the demo partnership."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    from modules.core.factory import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    runner = app.test_cli_runner()
    for args in (["db", "upgrade"], ["content", "import"], ["demo"]):
        result = runner.invoke(args=args)
        if result.exit_code != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{result.output}")


IN_PROCESS_REQUESTS = 200


def page_queries(database_url: str, paths: dict[str, str]) -> tuple[dict[str, int], dict[str, float]]:
    """SQL queries each page runs for the signed-in learner, and the CPU milliseconds a request
    costs in-process (Flask's test client, best of three rounds: steadier than requests per
    second on a shared machine, and free of gunicorn's and wrk's share)."""
    from sqlalchemy import event

    from modules.core.extensions import db
    from modules.core.factory import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False, "SECRET_KEY": SECRET_KEY})
    client = app.test_client()
    from modules.demo.data import DEMO_PASSWORD

    assert client.post("/sign-in", data={"email": LEARNER, "password": DEMO_PASSWORD}).status_code == 302
    counts = {}
    with app.app_context():
        engine = db.engine
    for name, path in paths.items():
        client.get(path)  # warm
        statements = []

        def count(*_args, statements=statements):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get(path).status_code == 200, path
        finally:
            event.remove(engine, "before_cursor_execute", count)
        counts[name] = len(statements)
    cpu_ms = {}
    for name, path in paths.items():
        rounds = []
        for _ in range(3):
            started = time.process_time()
            for _ in range(IN_PROCESS_REQUESTS):
                client.get(path)
            rounds.append((time.process_time() - started) / IN_PROCESS_REQUESTS * 1000)
        cpu_ms[name] = min(rounds)
    return counts, cpu_ms


# The servers ---------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the benchmark's settings, on a free loopback port, stopped on exit."""

    def __init__(self, app_spec: str, env: dict):
        self.port = _free_port()
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(WORKERS),
             "--bind", f"127.0.0.1:{self.port}", "--chdir", str(ROOT), "--log-level", "warning",
             app_spec],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped:\n{self.process.stderr.read()}")
            try:
                with urllib.request.urlopen(self.base + "/", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start within 60 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def sign_in(base: str) -> tuple[str, dict[str, str]]:
    """Sign the demo learner in over HTTP, start the first course and find a section page.

    :return: the session cookie header, and the paths to measure.
    """
    from modules.demo.data import DEMO_PASSWORD

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/sign-in").read().decode()
    token = _csrf_token(page)
    form = urllib.parse.urlencode({"csrf_token": token, "email": LEARNER, "password": DEMO_PASSWORD})
    opener.open(base + "/sign-in", data=form.encode())
    page = opener.open(base + "/my-training").read().decode()
    course = re.search(r'href="(/my-training/courses/[^"/]+)"', page).group(1)
    page = opener.open(base + course).read().decode()
    token = _csrf_token(page)
    # Starting the course lands on its first module (past any content note) and its first section.
    response = opener.open(base + course + "/start", data=urllib.parse.urlencode({"csrf_token": token}).encode())
    url = response.geturl()
    if "/sections/" not in url:
        url = opener.open(url.split("?")[0] + "?note=read").geturl()
    section = urllib.parse.urlparse(url).path
    assert "/sections/" in section, url
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, {"module_section": section, "my_training": "/my-training"}


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


# The load ------------------------------------------------------------------------------------

def requests_per_second(url: str, cookie: str, seconds: int) -> float:
    if shutil.which("wrk"):
        output = subprocess.run(
            ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-H", f"Cookie: {cookie}", url],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        if non_2xx:
            raise SystemExit(f"{url}: {non_2xx.group(1)} responses were errors:\n{output}")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return _python_load(url, cookie, seconds)


def _python_load(url: str, cookie: str, seconds: int) -> float:
    """A bounded load generator: CONNECTIONS threads with keep-alive connections, for ``seconds``."""
    parsed = urllib.parse.urlparse(url)
    deadline = time.monotonic() + seconds
    done = [0] * CONNECTIONS

    def worker(n: int) -> None:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        while time.monotonic() < deadline:
            connection.request("GET", parsed.path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{url}: HTTP {response.status}")
            done[n] += 1
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    return sum(done) / (time.monotonic() - started)


# Putting it together -------------------------------------------------------------------------

def measure(label: str, database_url: str, seconds: int) -> dict:
    print(f"{label}: preparing the database ...", flush=True)
    prepare(database_url)
    with tempfile.TemporaryDirectory() as tmp:
        env = _environment(database_url, Path(tmp))
        with Server("benchmarks.pages:bare_app()", env) as bare:
            bare_rps = requests_per_second(bare.base + "/", "", seconds)
        with Server("modules.core.factory:create_app()", env) as site:
            cookie, paths = sign_in(site.base)
            pages = {name: requests_per_second(site.base + path, cookie, seconds)
                     for name, path in paths.items()}
    queries, cpu_ms = page_queries(database_url, paths)
    figures = {
        "bare_flask_rps": round(bare_rps, 1),
        **{f"{name}_rps": round(rps, 1) for name, rps in pages.items()},
        **{f"{name}_ratio": round(rps / bare_rps, 3) for name, rps in pages.items()},
        **{f"{name}_queries": count for name, count in queries.items()},
        **{f"{name}_cpu_ms_in_process": round(ms, 2) for name, ms in cpu_ms.items()},
    }
    for key, value in figures.items():
        print(f"  {label} {key:24} {value}")
    return figures


def merge_results(updates: dict) -> None:
    results = json.loads(RESULTS_FILE.read_text()) if RESULTS_FILE.exists() else {}
    results.update(updates)
    RESULTS_FILE.write_text(json.dumps(dict(sorted(results.items())), indent=2, sort_keys=True) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default=os.environ.get("SIGHTLINE_BENCH_POSTGRES_URL", ""),
                        help="a PostgreSQL database this benchmark may empty")
    parser.add_argument("--seconds", type=int, default=10, help="load per measurement (default 10)")
    args = parser.parse_args()
    from modules.core.config import normalise_database_url

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"load from {'wrk' if shutil.which('wrk') else 'the Python load generator'}")
    by_database = {}
    with tempfile.TemporaryDirectory() as tmp:
        by_database["sqlite"] = measure("sqlite", f"sqlite:///{tmp}/pages.db", args.seconds)
    if args.postgres_url:
        by_database["postgresql"] = measure("postgresql", normalise_database_url(args.postgres_url),
                                            args.seconds)
    ratios = [v for figures in by_database.values() for k, v in figures.items() if k.endswith("_ratio")]
    queries = [v for figures in by_database.values() for k, v in figures.items() if k.endswith("_queries")]
    merge_results({
        "page_vs_bare_flask_ratio": min(ratios),
        "page_queries": max(queries),
        "pages_benchmark": by_database,
    })
    verdict = "meets" if min(ratios) >= GOAL else "misses"
    print(f"lowest page/bare ratio {min(ratios):.3f} ({verdict} the {GOAL}x goal); "
          f"at most {max(queries)} queries a page; wrote {RESULTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
