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
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS_FILE = ROOT / "benchmarks" / "results.json"
WORKERS = 2
CONNECTIONS = 8
ROUNDS = 3
WARM_UP_SECONDS = 2
GOAL = 0.25
PAGES = ("module_section", "my_training")
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

    def __init__(self, app_spec: str, env: dict, ready_path: str = "/"):
        self.port = _free_port()
        self.ready_path = ready_path
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(WORKERS),
             "--bind", f"127.0.0.1:{self.port}", "--chdir", str(ROOT), "--log-level", "warning",
             app_spec],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        return _children(self.process.pid)

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped:\n{self.process.stderr.read()}")
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=2):
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


# Where the CPU goes: user + system time of processes, from /proc (Linux), so that each request's
# cost can be split between the gunicorn workers, the load generator and the database server.

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # the fields after the command name


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS


def database_server_pids(database_url: str) -> list[int]:
    """The PostgreSQL backends serving this database (the workers' pooled connections), else none."""
    if not database_url.startswith("postgresql"):
        return []
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()")).scalars())
    finally:
        engine.dispose()


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

@dataclass(frozen=True)
class Load:
    """One measurement: requests per second, mean latency, and CPU milliseconds per request
    spent in the gunicorn workers, the load generator and the database server."""

    rps: float
    latency_ms: float
    worker_cpu_ms: float
    load_cpu_ms: float
    database_cpu_ms: float


def apply_load(url: str, cookie: str, seconds: float, *, workers: list[int],
               database: list[int]) -> Load:
    _reaped_children_cpu_since_last_call()
    worker_before, database_before = cpu_seconds(workers), cpu_seconds(database)
    if shutil.which("wrk"):
        rps, latency_ms, load_cpu = _wrk(url, cookie, seconds)
    else:
        rps, latency_ms, load_cpu = _python_load(url, cookie, seconds)
    done = rps * seconds
    return Load(
        rps=rps,
        latency_ms=latency_ms,
        worker_cpu_ms=(cpu_seconds(workers) - worker_before) / done * 1000,
        load_cpu_ms=load_cpu / done * 1000,
        database_cpu_ms=(cpu_seconds(database) - database_before) / done * 1000,
    )


_LATENCY = re.compile(r"Latency\s+([\d.]+)(us|ms|s)\b")
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(url: str, cookie: str, seconds: float) -> tuple[float, float, float]:
    """wrk with one thread (so it can take at most one of the cores) and CONNECTIONS keep-alive
    connections; its own CPU time comes from the kernel's accounting of the finished child."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds:g}s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    output, errors = process.communicate(timeout=seconds + 60)
    if process.returncode:
        raise SystemExit(f"wrk failed: {errors}")
    # communicate() reaped it: the children's CPU of this process now includes wrk's.
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} responses were errors:\n{output}")
    latency = _LATENCY.search(output)
    return (float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            float(latency.group(1)) * _UNITS[latency.group(2)],
            _reaped_children_cpu_since_last_call())


_reaped_before = [0.0]


def _reaped_children_cpu_since_last_call() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    spent, _reaped_before[0] = total - _reaped_before[0], total
    return spent


def _python_load(url: str, cookie: str, seconds: float) -> tuple[float, float, float]:
    """A bounded load generator: CONNECTIONS threads with keep-alive connections, for ``seconds``."""
    parsed = urllib.parse.urlparse(url)
    deadline = time.monotonic() + seconds
    done = [0] * CONNECTIONS
    waited = [0.0] * CONNECTIONS

    def worker(n: int) -> None:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        while time.monotonic() < deadline:
            sent = time.monotonic()
            connection.request("GET", parsed.path, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{url}: HTTP {response.status}")
            waited[n] += time.monotonic() - sent
            done[n] += 1
        connection.close()

    cpu_before = time.process_time()
    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    requests = max(sum(done), 1)
    return (sum(done) / (time.monotonic() - started), sum(waited) / requests * 1000,
            time.process_time() - cpu_before)


# Putting it together -------------------------------------------------------------------------

def _median(values):
    return statistics.median(values)


def measure(label: str, database_url: str, seconds: float, rounds: int) -> dict:
    """Both servers run side by side; after a warm-up each round loads the bare route and then
    each page for ``seconds``, so every ratio compares figures taken moments apart. Medians
    over the rounds."""
    print(f"{label}: preparing the database ...", flush=True)
    prepare(database_url)
    with tempfile.TemporaryDirectory() as tmp:
        env = _environment(database_url, Path(tmp))
        with Server("benchmarks.pages:bare_app()", env) as bare, \
                Server("modules.core.factory:create_app()", env, "/healthz") as site:
            cookie, paths = sign_in(site.base)
            targets = {"bare_flask": (bare, "/", ""), "sightline_healthz": (site, "/healthz", ""),
                       **{name: (site, path, cookie) for name, path in paths.items()}}
            for server, path, sent_cookie in targets.values():  # warm-up: caches, pools, prepared statements
                apply_load(server.base + path, sent_cookie, WARM_UP_SECONDS,
                           workers=server.worker_pids(), database=[])
            database = database_server_pids(database_url)
            results: dict[str, list[Load]] = {name: [] for name in targets}
            for number in range(1, rounds + 1):
                for name, (server, path, sent_cookie) in targets.items():
                    results[name].append(apply_load(server.base + path, sent_cookie, seconds,
                                                    workers=server.worker_pids(), database=database))
                print(f"  {label} round {number}: " + ", ".join(
                    f"{name} {loads[-1].rps:.0f} rps" for name, loads in results.items()), flush=True)
    queries, cpu_ms = page_queries(database_url, paths)
    figures: dict[str, float] = {}
    for name, loads in results.items():
        figures[f"{name}_rps"] = round(_median([load.rps for load in loads]), 1)
        figures[f"{name}_latency_ms"] = round(_median([load.latency_ms for load in loads]), 2)
        figures[f"{name}_worker_cpu_ms"] = round(_median([load.worker_cpu_ms for load in loads]), 3)
        figures[f"{name}_load_generator_cpu_ms"] = round(_median([load.load_cpu_ms for load in loads]), 3)
        if database:
            figures[f"{name}_database_cpu_ms"] = round(_median([load.database_cpu_ms for load in loads]), 3)
        if name != "bare_flask":
            # The ratio of each round (bare and page measured moments apart), then the median.
            figures[f"{name}_ratio"] = round(_median(
                [load.rps / base.rps for load, base in zip(loads, results["bare_flask"], strict=True)]), 3)
    for name, count in queries.items():
        figures[f"{name}_queries"] = count
    for name, ms in cpu_ms.items():
        figures[f"{name}_cpu_ms_in_process"] = round(ms, 2)
    for key, value in figures.items():
        print(f"  {label} {key:40} {value}")
    return figures


def merge_results(updates: dict) -> None:
    results = json.loads(RESULTS_FILE.read_text()) if RESULTS_FILE.exists() else {}
    results.update(updates)
    RESULTS_FILE.write_text(json.dumps(dict(sorted(results.items())), indent=2, sort_keys=True) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default=os.environ.get("SIGHTLINE_BENCH_POSTGRES_URL", ""),
                        help="a PostgreSQL database this benchmark may empty")
    parser.add_argument("--seconds", type=float, default=5, help="load per measurement (default 5)")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds, median taken (default {ROUNDS})")
    args = parser.parse_args()
    from modules.core.config import normalise_database_url

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"load from {'wrk -t1' if shutil.which('wrk') else 'the Python load generator'}, "
          f"{CONNECTIONS} connections, {args.rounds} rounds of {args.seconds:g} s")
    by_database = {}
    with tempfile.TemporaryDirectory() as tmp:
        by_database["sqlite"] = measure("sqlite", f"sqlite:///{tmp}/pages.db", args.seconds, args.rounds)
    if args.postgres_url:
        by_database["postgresql"] = measure("postgresql", normalise_database_url(args.postgres_url),
                                            args.seconds, args.rounds)
    ratios = {(db, page): figures[f"{page}_ratio"] for db, figures in by_database.items() for page in PAGES}
    queries = {db: {page: figures[f"{page}_queries"] for page in PAGES} for db, figures in by_database.items()}
    most_queries = max(count for pages in queries.values() for count in pages.values())
    merge_results({
        "page_vs_bare_flask_ratio": min(ratios.values()),
        "page_queries": most_queries,
        "page_queries_by_database": queries,
        "pages_benchmark": by_database,
    })
    for (db, page), ratio in sorted(ratios.items()):
        figures = by_database[db]
        print(f"{db:10} {page:15} {ratio:.3f}x bare ({figures[page + '_rps']:.0f} against "
              f"{figures['bare_flask_rps']:.0f} rps; {figures[page + '_worker_cpu_ms']:.2f} ms of worker CPU "
              f"a request; {figures[page + '_queries']} queries)")
    lowest = min(ratios.values())
    verdict = "meets" if lowest >= GOAL else "misses"
    print(f"lowest page/bare ratio {lowest:.3f} ({verdict} the {GOAL}x goal); "
          f"at most {most_queries} queries a page; wrote {RESULTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
