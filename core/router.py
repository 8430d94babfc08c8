"""Routes an event to the handler that owns it: commands, buttons, open flows, messages.

Private free text is offered to ``take_private_text`` first (the staff relay: a ticket in
conversation with staff gets the user's messages, even while a flow it paused is open),
then to the open flow, then to ``on_message``.

Commands have the same names on every platform (DESIGN.md). A command that is part of the
product but not built yet says so honestly and points to the official channels.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta

from core.context import Context
from core.flows import Flow
from core.handlers import support
from core.model import Event, EventKind

log = logging.getLogger(__name__)

Handler = Callable[[Context], Awaitable[None]]
# A first look at an event that may end its handling (True: dealt with, nothing more to do).
Screen = Callable[[Context], Awaitable[bool]]

_FLOW_COLUMNS = frozenset({"flow", "step", "data"})
_SPOKEN = (EventKind.MESSAGE, EventKind.COMMAND, EventKind.BUTTON, EventKind.FORM_SUBMITTED)


async def _unknown(ctx: Context) -> None:
    ctx.reply(ctx.t("unknown_command", command=ctx.event.command[:32]))


async def _ignore(ctx: Context) -> None:
    return None


async def _decline(ctx: Context) -> bool:
    return False


class Router:
    def __init__(self) -> None:
        self.commands: dict[str, Handler] = {}
        self.flows: dict[str, Flow] = {}
        # Button namespaces ("reissue:<order>") that are not commands.
        self.buttons: dict[str, Handler] = {}
        self.on_message: Handler = _ignore
        # Asked first for every private message, before an open flow or ``on_message``:
        # True when it took the message (the staff relay: a ticket in conversation).
        self.take_private_text: Callable[[Context], Awaitable[bool]] = _decline
        # Called after a command or a button moved an open flow in private (the user chose
        # the flow explicitly; the staff relay orders that against staff replies).
        self.on_flow_engaged: Handler = _ignore
        # Commands a "/start <name>" deep link may open in the private chat.
        self.deep_links: set[str] = set()
        self.on_member: Handler = _ignore
        # Called first for a group event from a user who is new to the bot or renamed; when
        # it returns True (the user was reported as an impostor) the event is not handled
        # further: a warning about someone must not be followed by a friendly answer to them.
        # Only commands and button namespaces listed in ``checked`` still run, because
        # they check who may use them and their refusal is the answer (/flag, /claim…).
        self.on_new_identity_in_group: Screen = _decline
        self.checked: set[str] = set()
        self.command("cancel", self._cancel)

    def command(self, name: str, handler: Handler) -> None:
        self.commands[name] = handler

    def flow(self, flow: Flow, *, command: str | None = None) -> None:
        """Register a flow; with ``command``, that command starts it."""
        self.flows[flow.name] = flow
        if command:
            self.commands[command] = flow.start

    async def dispatch(self, ctx: Context) -> None:
        event = ctx.event
        self._expire_idle_flow(ctx)
        if (
            ctx.identity_changed
            and not ctx.in_private
            and event.kind in _SPOKEN
            and await self.on_new_identity_in_group(ctx)
            and self._name(event) not in self.checked
        ):
            return
        if event.kind is EventKind.COMMAND:
            if event.command == "start" and event.args in self.deep_links:
                # A deep link from a group ("/start complain") continues that command here.
                ctx.event = replace(event, command=event.args, args="", text=f"/{event.args}")
                event = ctx.event
            await self.commands.get(event.command, _unknown)(ctx)
            await self._note_engaged(ctx)
        elif event.kind is EventKind.BUTTON:
            await self._button(ctx)
            await self._note_engaged(ctx)
        elif event.kind in (EventKind.MESSAGE, EventKind.FORM_SUBMITTED):
            await self._text(ctx)
        else:
            await self.on_member(ctx)

    async def _text(self, ctx: Context) -> None:
        """Free text: the staff relay first (it decides whether an open flow is paused, see
        ``core.staff.relay``), then the open flow, then the message handlers."""
        private_message = ctx.in_private and ctx.event.kind is EventKind.MESSAGE
        if private_message and await self.take_private_text(ctx):
            return
        flow = self._open_flow(ctx)
        if flow is not None and ctx.in_private:
            await flow.on_input(ctx)
        else:
            await self.on_message(ctx)

    async def _note_engaged(self, ctx: Context) -> None:
        convo = ctx.conversation
        if ctx.in_private and convo.flow is not None and convo.changes.keys() & _FLOW_COLUMNS:
            await self.on_flow_engaged(ctx)

    @staticmethod
    def _name(event: Event) -> str:
        """The command, or the button's namespace, an event invokes ("" for a message)."""
        if event.kind is EventKind.COMMAND:
            return event.command
        if event.kind is EventKind.BUTTON:
            return event.payload.partition(":")[0]
        return ""

    async def _button(self, ctx: Context) -> None:
        namespace, _, _value = ctx.event.payload.partition(":")
        flow = self._open_flow(ctx)
        if namespace == "flow" and flow is not None:
            await flow.on_input(ctx)
        elif namespace in self.buttons:
            await self.buttons[namespace](ctx)
        elif namespace in self.commands:
            await self.commands[namespace](ctx)
        else:
            # A stale button (its flow ended or the bot was upgraded): say what to do.
            await support.on_help(ctx)

    def _open_flow(self, ctx: Context) -> Flow | None:
        name = ctx.conversation.flow
        if name is None:
            return None
        flow = self.flows.get(name)
        if flow is None:
            log.warning("dropping unknown flow %r for %s", name, ctx.conversation.user_key)
            ctx.conversation.finish()
        return flow

    def _expire_idle_flow(self, ctx: Context) -> None:
        convo = ctx.conversation
        if convo.flow is None:
            return
        idle = timedelta(minutes=ctx.services.config.conversation.idle_timeout_minutes)
        if ctx.now - convo.updated_at > idle:
            log.info("flow %s of %s expired after idling", convo.flow, convo.user_key)
            convo.finish()
            ctx.send_private(ctx.t("flow_expired"))

    async def _cancel(self, ctx: Context) -> None:
        if ctx.conversation.flow is None:
            ctx.reply(ctx.t("nothing_to_cancel"))
            return
        ctx.conversation.finish()
        ctx.reply(ctx.t("cancelled"))
