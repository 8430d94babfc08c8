"""Crash points for the kill -9 tests: ``KAMENG_KILL_AT=<point>`` in a bot's environment
makes the process SIGKILL itself at that point of the first event that notifies staff (the
event that files a ticket), as a power cut or an OOM kill would. Unset (always, outside
those tests) a point is one string comparison.

Points, in the order an event passes them: ``before_commit`` (claimed, state and replies
written, not committed), ``after_commit`` (committed, nothing sent), ``after_send`` (sent,
not yet marked sent).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence

from core.model import Action, NotifyStaff

_KILL_AT = os.environ.get("KAMENG_KILL_AT", "")


def kill_point(name: str, actions: Sequence[Action]) -> None:
    """SIGKILL this process if the tests asked for it here (see the module docstring)."""
    if name == _KILL_AT and any(isinstance(action, NotifyStaff) for action in actions):
        os.kill(os.getpid(), signal.SIGKILL)
