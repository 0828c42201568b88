"""Recording the SQL a piece of code sends, for tests that put a number on it (query budgets) or
forbid a kind of statement (GET requests that write)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE)\b", re.IGNORECASE)
_TABLE = re.compile(r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+\"?(\w+)",
                    re.IGNORECASE)
# Transaction control is not a query anyone could save by eager loading.
_CONTROL = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)\b", re.IGNORECASE)


@dataclass
class StatementLog:
    statements: list[str] = field(default_factory=list)

    @property
    def queries(self) -> list[str]:
        """Every statement but transaction control (SAVEPOINT, RELEASE, ...)."""
        return [s for s in self.statements if not _CONTROL.match(s)]

    @property
    def writes(self) -> list[str]:
        return [s for s in self.statements if _WRITE.match(s)]

    @property
    def written_tables(self) -> set[str]:
        return {m.group(1) for m in map(_TABLE.match, self.writes) if m}

    def writes_outside(self, tables: frozenset[str]) -> list[str]:
        """Writes to any table but ``tables`` (a write whose table cannot be read counts)."""
        return [s for s in self.writes if (m := _TABLE.match(s)) is None or m.group(1) not in tables]

    def clear(self) -> None:
        self.statements.clear()

    def describe(self) -> str:
        return "\n".join(f"{n:3}. {' '.join(s.split())[:220]}" for n, s in enumerate(self.queries, 1))


@contextmanager
def recorded_statements(engine) -> Iterator[StatementLog]:
    """Every statement ``engine`` sends while the block runs, from any thread."""
    log = StatementLog()

    def before(conn, cursor, statement, parameters, context, executemany):
        log.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", before)
