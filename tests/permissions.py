"""The permission table of issue 12 (item 3), shared by the engine, console and wire tests.

Roles (who sends the command):

- ``member``: an ordinary member of the community group;
- ``admin``: the platform's own admin of the community group (not of the staff chat, except
  where one admin right covers both: a Discord role is guild-wide, ``chat --moderator``
  administers every console group);
- ``moderator``: a ``moderation.moderators`` entry, admin of nothing;
- ``staff``: a ``staff.members`` entry, admin of nothing;
- ``official``: an ``official.accounts`` entry that is neither staff nor moderator;
- ``flagged``: a member with an open /flag case.

Commands: everything privileged that ``core/setup.py`` registers: ``/flag`` ``/unflag``
``/flags`` (moderators, in the community group; ``flag-dm`` in private, where only configured
moderators count), ``/claim`` ``/reply`` ``/close`` ``/escalate`` and the ticket card's
``staff:claim`` / ``staff:escalate`` buttons (staff, in the staff chat; ``claim-group`` is
``/claim`` in the community group, refused to everyone), plus per platform ``flag-menu``
(Discord's "Flag as impostor") and ``thread-reply`` (a message in a ticket's thread).

The rule (DESIGN.md "Commands", the docstrings of ``core/handlers/moderation.py`` and
``core/staff/commands.py``): moderator commands for group admins in their group and
configured moderators anywhere; staff commands for ``staff.members`` or an admin of that
staff chat, only in a staff chat. A cell where the code disagrees is ``xfail(strict=True)``
with the reason, so it fails loudly once fixed.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from bots.app import App
from core.model import Chat, Event, User
from core.moderation import cases
from core.moderation.cases import Target
from core.storage.tables import FlaggedAccountRow, ModerationCaseRow, TicketEventRow
from core.tickets import service as tickets
from tests.helpers import event

ROLES = ("member", "admin", "moderator", "staff", "official", "flagged")

# name → (family, place): "group" is the community group, "staff" the staff chat.
COMMANDS: dict[str, tuple[str, str]] = {
    "flag": ("mod", "group"),
    "unflag": ("mod", "group"),
    "flags": ("mod", "group"),
    "flag-dm": ("mod", "dm"),
    "flag-menu": ("mod", "group"),
    "claim": ("staff", "staff"),
    "reply": ("staff", "staff"),
    "close": ("staff", "staff"),
    "escalate": ("staff", "staff"),
    "claim-button": ("staff", "staff"),
    "escalate-button": ("staff", "staff"),
    "thread-reply": ("staff", "staff"),
    "claim-group": ("staff", "group"),
}
MOD_COMMANDS = ("flag", "unflag", "flags", "flag-dm")
STAFF_COMMANDS = (
    "claim",
    "reply",
    "close",
    "escalate",
    "claim-button",
    "escalate-button",
    "claim-group",
)

# Platforms where the community group's admin right also covers the staff chat.
ADMIN_OF_STAFF_CHAT = frozenset({"discord", "console"})

FLAG_REASON = "冒充客服私聊骗卡密"
UNFLAG_REASON = "误判已核实"
OLD_REASON = "早前冒充售后骗退款"
FLAGGED_REASON = "群内冒充客服"
REPLY_TEXT = "您好,已为您补发新卡密"
CLOSE_REASON = "已补发,问题解决"
COMPLAINT = ("/complain", "4", "跳过", "刚才", "登录不了", "跳过", "确认")


def expected(platform: str, role: str, command: str) -> tuple[bool, str]:
    """(allowed by the rule, why the code disagrees or ""; nothing disagrees today)."""
    family, place = COMMANDS[command]
    if family == "mod":
        if place == "dm":
            return role == "moderator", ""
        return role in ("admin", "moderator"), ""
    if place != "staff":
        return False, ""
    return role == "staff" or (role == "admin" and platform in ADMIN_OF_STAFF_CHAT), ""


def cells(platform: str, commands: tuple[str, ...], roles: tuple[str, ...] = ROLES) -> list[Any]:
    """One named ``pytest.param(role, command, allowed)`` per cell of the table."""
    out = []
    for role in roles:
        for command in commands:
            allowed, bug = expected(platform, role, command)
            marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
            verdict = "allowed" if allowed else "denied"
            out.append(
                pytest.param(
                    role, command, allowed, id=f"{platform}-{role}-{command}-{verdict}", marks=marks
                )
            )
    return out


# -- the world the commands act on -----------------------------------------------------------
async def seed_flags(app: App, *, seeder: User, old: User, flagged: User, community: str) -> None:
    """``old`` (the /unflag target, listed by /flags) is flagged in ``community`` (so that
    community's admins may lift it); the ``flagged`` role is flagged everywhere."""
    now = app.services.clock.now()
    async with app.db.transaction() as session:
        for who, reason, scope in ((old, OLD_REASON, community), (flagged, FLAGGED_REASON, "*")):
            await cases.flag(
                session, target=Target.of(who), actor=seeder, reason=reason, now=now, scope=scope
            )


def complaint_events(buyer: User, dm: Chat) -> list[Event]:
    return [event(text, user=buyer, chat=dm) for text in COMPLAINT]


async def open_ticket_no(app: App, buyer: User) -> str:
    async with app.db.transaction() as session:
        ticket = await tickets.latest_open(session, buyer.key)
    assert ticket is not None, "the complaint did not open a ticket"
    return ticket.ticket_no


@dataclass(frozen=True)
class State:
    """What a permitted command could change."""

    flagged: frozenset[str]
    cases: int  # flag and unflag cases (the guard's own "suspect" cases are not commands)
    status: str
    assignee: str
    level: int
    transcript: int
    events: int


async def state(app: App, ticket_no: str) -> State:
    async with app.db.transaction() as session:
        flagged = frozenset((await session.execute(select(FlaggedAccountRow.target_key))).scalars())
        count = select(func.count()).where(ModerationCaseRow.action.in_(("flag", "unflag")))
        n_cases = int((await session.execute(count)).scalar_one())
        ticket = await tickets.get_by_number(session, ticket_no)
        assert ticket is not None
        query = select(func.count()).where(TicketEventRow.ticket_id == ticket.id)
        n_events = int((await session.execute(query)).scalar_one())
        return State(
            flagged=flagged,
            cases=n_cases,
            status=ticket.status,
            assignee=ticket.assignee_key or "",
            level=ticket.escalation_level,
            transcript=len(ticket.transcript or []),
            events=n_events,
        )


def took_effect(
    command: str, before: State, after: State, *, actor: str, suspect: str, old: str
) -> bool:
    """Did the command do what it is for (``flags`` changes nothing: see :func:`check`)?"""
    if command in ("flag", "flag-dm", "flag-menu"):
        return suspect in after.flagged - before.flagged
    if command == "unflag":
        return old in before.flagged - after.flagged
    if command.startswith("claim"):
        return after.assignee == actor and after.status == "waiting_staff"
    if command in ("reply", "thread-reply"):
        return after.status == "waiting_user" and after.transcript == before.transcript + 1
    if command == "close":
        return after.status == "resolved"
    if command.startswith("escalate"):
        return after.level == before.level + 1
    return False


def fragment(app: App, key: str, **known: object) -> str:
    """The longest part of text ``key`` (zh) that does not depend on unknown values."""
    template = app.services.texts.get(key, "zh")
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    filled = app.services.texts.get(key, "zh", **{name: known.get(name, "\x00") for name in fields})
    return max(filled.split("\x00"), key=len)


def refusal(app: App, command: str) -> str:
    """The exact refusal ``command`` gets (a card button names its verb: /claim, /escalate)."""
    family, _ = COMMANDS[command]
    name = command.split("-")[0]
    key = "mod.refused" if family == "mod" else "staff.refused"
    return app.services.texts.get(key, "zh", command=name)


def answer_fragment(app: App, command: str, ticket_no: str) -> str:
    """Text the sender sees when the command is allowed."""
    if command in ("flag", "flag-dm", "flag-menu"):
        return fragment(app, "mod.flagged", reason=FLAG_REASON)
    if command == "unflag":
        return fragment(app, "mod.unflagged", reason=UNFLAG_REASON)
    if command == "flags":
        return OLD_REASON
    if command.startswith("claim"):
        return fragment(app, "staff.claimed", ticket_no=ticket_no)
    if command in ("reply", "thread-reply"):
        return app.services.texts.get("staff.reply_sent", "zh", ticket_no=ticket_no)
    if command == "close":
        return app.services.texts.get("staff.closed", "zh", ticket_no=ticket_no)
    reason = app.services.texts.get("sla.reason_staff", "zh")
    return fragment(app, "sla.staff_alert", ticket_no=ticket_no, level="客服主管", reason=reason)


def user_notice(app: App, command: str, ticket_no: str) -> str:
    """What the ticket's user is told when the command is allowed ("" for moderation)."""
    t = app.services.texts
    if command.startswith("claim"):
        return t.get("staff.user_claimed", "zh", ticket_no=ticket_no)
    if command in ("reply", "thread-reply"):
        return REPLY_TEXT
    if command == "close":
        return t.get("staff.user_closed", "zh", ticket_no=ticket_no, reason=CLOSE_REASON)
    if command.startswith("escalate"):
        return t.get("sla.user_notice", "zh", ticket_no=ticket_no, level="客服主管")
    return ""


def check(
    app: App,
    command: str,
    allowed: bool,
    *,
    before: State,
    after: State,
    keys: tuple[str, str, str],
    said: list[str],
    to_user: list[str],
    ticket_no: str,
) -> None:
    """The cell's verdict. ``keys``: (actor, suspect, old) user keys; ``said``: everything
    the bot said back where the command was sent; ``to_user``: what the ticket's user got."""
    actor, suspect, old = keys
    internal_error = app.services.texts.get("internal_error", "zh")
    assert not any(internal_error in text for text in said + to_user), said
    notice = user_notice(app, command, ticket_no)
    if allowed:
        if command != "flags":
            assert took_effect(command, before, after, actor=actor, suspect=suspect, old=old), (
                before,
                after,
            )
        wanted = answer_fragment(app, command, ticket_no)
        assert any(wanted in text for text in said), (wanted, said)
        if notice:
            assert any(notice in text for text in to_user), (notice, to_user)
        return
    assert after == before, f"a refused command changed something: {before} → {after}"
    assert not any(OLD_REASON in text for text in said), "the flag list leaked"
    if notice:
        assert not any(notice in text for text in to_user), to_user
    if command != "thread-reply":  # free text in a thread is not a command: nothing to refuse
        assert refusal(app, command) in said, said
