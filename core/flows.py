"""Multi-step conversations ("flows"): the interface every flow implements.

A flow's position (name, step, collected data) is stored on the user's conversation row
after every step; flows themselves hold no state, so any process can continue any flow.
"""

from __future__ import annotations

from typing import Protocol

from core.context import Context


class Flow(Protocol):
    name: str

    async def start(self, ctx: Context) -> None:
        """Begin the flow (``ctx.event.args`` may carry a first answer)."""
        ...

    async def on_input(self, ctx: Context) -> None:
        """Handle the user's next message or button press in the private chat."""
        ...
