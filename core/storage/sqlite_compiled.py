"""Core statements compiled once by SQLAlchemy's SQLite dialect and run on ``sqlite3`` itself.

For the few statements the engine runs on every event (see ``sqlite_event``). Through
SQLAlchemy's asyncio layer each one costs 30-100 µs inside a busy bot (execution context,
result wrapping, greenlet switches) against a few µs in SQLite. The statements stay the
Core statements the PostgreSQL path runs; SQLAlchemy still writes their SQL, and parameters
and rows go through the processors of the columns' types as adapted to the dialect
(``dialect_impl``: SQLite's DATETIME text format, JSON), so what is written and read is
what SQLAlchemy itself would write and read (tests/test_event_transaction.py compares).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Insert, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any] | None


class CompiledStatement:
    """One statement's SQL with its parameter order, fixed values and type processors."""

    __slots__ = ("_binds", "_fixed", "_processors", "keys", "sql")

    def __init__(
        self, statement: Executable, dialect: Dialect, column_keys: Sequence[str] = ()
    ) -> None:
        if dialect.paramstyle != "qmark":  # pragma: no cover - SQLite's dialects use qmark
            raise ValueError(f"positional SQLite paramstyle expected, got {dialect.paramstyle}")
        if not isinstance(statement, ClauseElement):  # pragma: no cover - a caller's mistake
            raise TypeError(f"a Core statement expected, got {type(statement).__name__}")
        _check_python_defaults(statement, column_keys)
        compiled = statement.compile(dialect=dialect, column_keys=list(column_keys) or None)
        if not isinstance(compiled, SQLCompiler):  # pragma: no cover - DML/SELECT compile so
            raise TypeError(f"{type(statement).__name__} does not compile to SQL")
        if "POSTCOMPILE" in compiled.string:  # IN (:list) is rendered per execution
            raise ValueError(f"expanding parameters are not supported here: {compiled.string}")
        self.sql = compiled.string
        names = compiled.positiontup or ()
        self._binds: list[tuple[str, Processor]] = [
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in names
        ]
        # Values written into the statement itself (``status == "open"``, ``LIMIT 1``).
        self._fixed = {
            name: compiled.binds[name].value for name in names if not compiled.binds[name].required
        }
        columns: list[ColumnElement[Any]] = (
            list(statement.selected_columns) if isinstance(statement, Select) else []
        )
        #: The selected columns' keys, in the order of a row's values.
        self.keys: list[str] = [str(column.key) for column in columns]
        self._processors: list[Processor] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        ]

    def execute(self, connection: sqlite3.Connection, params: Mapping[str, Any]) -> sqlite3.Cursor:
        """Run with named ``params`` (the statement's bind names), converted by their types."""
        fixed = self._fixed
        values = []
        for name, process in self._binds:
            value = params[name] if name in params or name not in fixed else fixed[name]
            values.append(value if process is None else process(value))
        return connection.execute(self.sql, values)

    def first(
        self, connection: sqlite3.Connection, params: Mapping[str, Any]
    ) -> tuple[Any, ...] | None:
        """The first row of a SELECT, its values converted by the columns' types; or None."""
        row = self.execute(connection, params).fetchone()
        if row is None:
            return None
        return tuple(
            value if process is None else process(value)
            for process, value in zip(self._processors, row, strict=True)
        )


def _check_python_defaults(statement: ClauseElement, column_keys: Sequence[str]) -> None:
    """SQLAlchemy fills Python-side column defaults in while executing; this path does not,
    so an INSERT must name every column that has a ``default``."""
    if not isinstance(statement, Insert):
        return
    missing = [
        str(column.key)
        for column in statement.table.columns
        if column.default is not None and column.key not in column_keys
    ]
    if missing:
        raise ValueError(
            f"INSERT INTO {statement.table}: pass {', '.join(missing)} (Python-side column "
            "defaults are applied by SQLAlchemy's execution, which this path skips)"
        )
