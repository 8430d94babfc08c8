"""Storage checks for ``GET /healthz``: free space and a write probe where the bot keeps files.

A full disk does not stop ``SELECT 1``: the database answers reads while every write (a new
ticket, a conversation step, the de-duplication key of each update) fails. So /healthz also
looks at the folders that hold the SQLite database and the demo shop's file:

* free space below ``server.healthz_min_free_mb`` → unhealthy, with the folder and the figure;
* a write probe: a small file is created, written, synced and removed in the folder (what
  SQLite does for its journal), so a read-only or full file system shows up even when the
  free-space figure looks fine (quotas, reserved blocks, a remount read-only after errors).

Each check costs one ``statvfs`` and a few tiny file operations, run in a worker thread.
PostgreSQL keeps its data on its own server, so only ``SELECT 1`` covers it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bots.app import demo_data_dir, sqlite_folder
from core.config import Config

MIB = 1024 * 1024
_PROBE_PREFIX = ".healthz-probe-"


@dataclass(frozen=True, slots=True)
class StorageDir:
    """A folder the bot writes to, and what it holds ("database", "demo shop")."""

    label: str
    path: Path


def storage_dirs(config: Config) -> list[StorageDir]:
    """The folders to watch for ``config``: the SQLite database's and the demo shop's."""
    found: list[StorageDir] = []
    database = sqlite_folder(config)
    if database is not None:
        found.append(StorageDir("database", database))
    if config.shop.backend == "demo":
        shop = demo_data_dir(config)
        if found and found[0].path.resolve() == shop.resolve():  # the default: side by side
            found[0] = StorageDir("database and demo shop", found[0].path)
        else:
            found.append(StorageDir("demo shop", shop))
    return found


def _probe(path: Path) -> str:
    """Write, sync and remove a small file in ``path``; "" when that works, else why not."""
    probe = path / f"{_PROBE_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, b"ok")
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        return f"cannot write in {path}: {exc.strerror or exc}"
    finally:
        with contextlib.suppress(OSError):
            probe.unlink(missing_ok=True)
    return ""


def check_dir(directory: StorageDir, min_free_mb: float) -> str:
    """The problem with one folder ("" when it is fine)."""
    path = directory.path.resolve()
    try:
        free = shutil.disk_usage(path).free
    except OSError as exc:
        return f"{directory.label}: cannot read the free space of {path}: {exc.strerror or exc}"
    if free < min_free_mb * MIB:
        return (
            f"{directory.label}: only {free / MIB:.0f} MB free in {path} "
            f"(below server.healthz_min_free_mb = {min_free_mb:g}); writes will soon fail"
        )
    problem = _probe(path)
    return f"{directory.label}: {problem}" if problem else ""


async def storage_problems(dirs: Sequence[StorageDir], min_free_mb: float) -> list[str]:
    """Readable reasons, one per unhealthy folder (empty when all are fine)."""
    if not dirs:
        return []
    results = await asyncio.to_thread(lambda: [check_dir(d, min_free_mb) for d in dirs])
    return [problem for problem in results if problem]
