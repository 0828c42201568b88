"""Running the same code in several threads at once, as several server workers would.

Each thread has its own application context, so its own database session and connection.
"""
from __future__ import annotations

import threading
from collections.abc import Callable


def race(app, target: Callable, threads: int = 2) -> list:
    """Run ``target()`` in ``threads`` threads at once; return their results (re-raising errors)."""
    from modules.core.extensions import db

    results, errors = [], []
    start = threading.Barrier(threads)

    def worker():
        with app.app_context():
            try:
                start.wait(timeout=10)
                results.append(target())
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for worker_thread in workers:
        worker_thread.start()
    for worker_thread in workers:
        worker_thread.join(timeout=60)
    assert not any(t.is_alive() for t in workers), "a racing thread did not finish"
    if errors:
        raise errors[0]
    return results


def barrier_after(module, name: str, monkeypatch, threads: int = 2) -> None:
    """Make ``module.name`` wait, after it returns, until every thread has called it: so that
    all of them have read the same state before any of them writes."""
    real = getattr(module, name)
    together = threading.Barrier(threads)

    def wrapped(*args, **kwargs):
        result = real(*args, **kwargs)
        together.wait(timeout=10)
        return result

    monkeypatch.setattr(module, name, wrapped)
