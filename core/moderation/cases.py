"""Append-only moderation cases and the current set of flagged accounts.

A flag is a case (who flagged whom, the target's name and handle at that moment, reason,
evidence, time). Flagging an already flagged account appends a note to its open case;
unflagging writes a new ``unflag`` case. Cases and notes are never edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy import true as sa_true
from sqlalchemy.ext.asyncio import AsyncSession

from core.masking import mask_sensitive
from core.model import User
from core.storage.event_transaction import EventTransaction
from core.storage.tables import (
    CaseNoteRow,
    ConversationRow,
    FlaggedAccountRow,
    ModerationCaseRow,
    table_of,
)

BOT_ACTOR = "bot"


@dataclass(frozen=True, slots=True)
class Target:
    """An account a moderator acts on, with its name snapshot."""

    platform: str
    user_id: str
    name: str = ""
    username: str = ""

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.user_id}"

    @property
    def label(self) -> str:
        handle = f"@{self.username}" if self.username else f"ID {self.user_id}"
        return f"{self.name}({handle})" if self.name else handle

    @classmethod
    def of(cls, user: User) -> Target:
        return cls(user.platform, user.id, user.display_name, user.username)


async def find_known_user(session: AsyncSession, platform: str, handle: str) -> Target | None:
    """A user the bot has seen, by ``@username``, username or numeric id, on ``platform``."""
    name = handle.strip().lstrip("@").strip()
    if not name:
        return None
    row = await session.get(ConversationRow, f"{platform}:{name}")
    if row is None:
        query = select(ConversationRow).where(
            ConversationRow.platform == platform,
            func.lower(ConversationRow.username) == name.lower(),
        )
        row = (await session.execute(query.limit(1))).scalar_one_or_none()
    if row is None:
        return None
    user_id = row.user_key.partition(":")[2]
    return Target(platform, user_id, row.display_name, row.username)


GLOBAL_SCOPE = "*"


def pending_target(platform: str, handle: str) -> Target:
    """A handle the bot has not seen yet, flagged until its account shows up."""
    name = handle.strip().lstrip("@")
    return Target(platform, f"@{name.lower()}", username=name)


def is_pending(target_key: str) -> bool:
    return target_key.partition(":")[2].startswith("@")


def _scopes(community: str | None) -> tuple[str, ...]:
    return (GLOBAL_SCOPE, community) if community else (GLOBAL_SCOPE,)


async def active_flag(
    session: AsyncSession, target_key: str, community: str | None = None
) -> FlaggedAccountRow | None:
    """The flag that applies to the account in ``community``: a global moderator's flag
    applies everywhere, a community's flag in that community only (None: global flags only).
    A global flag is preferred when both exist."""
    query = (
        select(FlaggedAccountRow)
        .where(
            FlaggedAccountRow.target_key == target_key,
            FlaggedAccountRow.scope.in_(_scopes(community)),
        )
        .order_by((FlaggedAccountRow.scope != GLOBAL_SCOPE).asc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def flag_anywhere(session: AsyncSession, target_key: str) -> FlaggedAccountRow | None:
    """Any flag on the account (a global one first): what ``/verify`` warns a buyer about.
    Community flags come from the admins of the shop's own served communities."""
    query = (
        select(FlaggedAccountRow)
        .where(FlaggedAccountRow.target_key == target_key)
        .order_by((FlaggedAccountRow.scope != GLOBAL_SCOPE).asc(), FlaggedAccountRow.flagged_at)
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


# Asked at every group message: built once (see EventTransaction.scalar). Any flag on the
# account or on its handle, in any scope; the full check runs only when there is one.
_FLAGS = table_of(FlaggedAccountRow)
_HAS_FLAG = select(func.count()).where(
    or_(_FLAGS.c.target_key == bindparam("key"), _FLAGS.c.target_key == bindparam("pending"))
)


async def may_be_flagged(store: EventTransaction, user: User) -> bool:
    """Cheap pre-check for :func:`flag_for_user`: False when no flag can apply to ``user``."""
    pending = pending_target(user.platform, user.username).key if user.username else ""
    count = await store.scalar(_HAS_FLAG, {"key": user.key, "pending": pending})
    return bool(count)


async def flag_for_user(
    session: AsyncSession, user: User, community: str | None, now: datetime
) -> FlaggedAccountRow | None:
    """The flag that applies to ``user`` in ``community``, binding a pending flag on the
    user's handle to their account id first (the handle was flagged before the bot saw it)."""
    if user.username:
        pending_key = pending_target(user.platform, user.username).key
        rows = (
            await session.execute(
                select(FlaggedAccountRow).where(FlaggedAccountRow.target_key == pending_key)
            )
        ).scalars()
        for row in list(rows):
            await _bind_pending(session, row, user, now)
    return await active_flag(session, user.key, community)


async def _bind_pending(
    session: AsyncSession, row: FlaggedAccountRow, user: User, now: datetime
) -> None:
    existing = await session.get(FlaggedAccountRow, (user.key, row.scope))
    if existing is None:
        session.add(
            FlaggedAccountRow(
                target_key=user.key,
                scope=row.scope,
                case_id=row.case_id,
                target_name=user.display_name[:256],
                target_username=user.username[:256],
                flagged_at=row.flagged_at,
            )
        )
    session.add(
        CaseNoteRow(
            case_id=row.case_id,
            author_key=BOT_ACTOR,
            body=f"@{user.username} seen as {user.key}: the flag now follows the account",
            created_at=now,
        )
    )
    await session.delete(row)
    await session.flush()


async def flag(
    session: AsyncSession,
    *,
    target: Target,
    actor: User,
    reason: str,
    now: datetime,
    scope: str = GLOBAL_SCOPE,
    chat_key: str = "",
    evidence_message_id: str = "",
    evidence_text: str = "",
) -> tuple[int, bool]:
    """Flag ``target`` in ``scope`` (``*`` or a community). Returns (case id, True) for a new
    flag, (case id, False) when a flag already covered that scope and the reason was appended
    to its case as a note. Another community's flag is neither shown nor touched."""
    current = await active_flag(session, target.key, None if scope == GLOBAL_SCOPE else scope)
    if current is not None:
        session.add(
            CaseNoteRow(
                case_id=current.case_id,
                author_key=actor.key,
                body=mask_sensitive(reason)[:1000],
                created_at=now,
            )
        )
        return current.case_id, False
    case = ModerationCaseRow(
        action="flag",
        target_key=target.key,
        target_name=target.name[:256],
        target_username=target.username[:256],
        actor_key=actor.key,
        actor_name=actor.display_name[:256],
        reason=mask_sensitive(reason)[:1000],
        chat_key=chat_key,
        scope=scope,
        evidence_message_id=evidence_message_id[:64],
        evidence_text=mask_sensitive(evidence_text)[:1000],
        created_at=now,
    )
    session.add(case)
    await session.flush()
    session.add(
        FlaggedAccountRow(
            target_key=target.key,
            scope=scope,
            case_id=case.id,
            target_name=target.name[:256],
            target_username=target.username[:256],
            flagged_at=now,
        )
    )
    return case.id, True


@dataclass(frozen=True, slots=True)
class Unflagged:
    """What ``/unflag`` did: the new case, or why nothing changed."""

    case_id: int | None
    # "not_flagged": no flag this moderator may see; "global": only a global moderator's
    # flag applies here, which a community's admin cannot lift.
    refused: str = ""


async def unflag(
    session: AsyncSession,
    *,
    target: Target,
    actor: User,
    reason: str,
    now: datetime,
    chat_key: str,
    scope: str = GLOBAL_SCOPE,
) -> Unflagged:
    """Lift the flags ``actor`` may lift, recording an ``unflag`` case: a global moderator
    lifts every flag on the account; a community's admin only their community's."""
    query = select(FlaggedAccountRow).where(FlaggedAccountRow.target_key == target.key)
    rows = list((await session.execute(query)).scalars())
    if scope == GLOBAL_SCOPE:
        lifted = rows
    else:
        lifted = [row for row in rows if row.scope == scope]
        if not lifted:
            covered = any(row.scope == GLOBAL_SCOPE for row in rows)
            return Unflagged(None, "global" if covered else "not_flagged")
    if not lifted:
        return Unflagged(None, "not_flagged")
    first = lifted[0]
    case = ModerationCaseRow(
        action="unflag",
        target_key=target.key,
        target_name=(target.name or first.target_name)[:256],
        target_username=(target.username or first.target_username)[:256],
        actor_key=actor.key,
        actor_name=actor.display_name[:256],
        reason=mask_sensitive(reason)[:1000],
        chat_key=chat_key,
        scope=scope,
        created_at=now,
    )
    session.add(case)
    for row in lifted:
        await session.delete(row)
    await session.flush()
    return Unflagged(case.id)


async def record_suspect(
    session: AsyncSession,
    *,
    target: Target,
    reason: str,
    chat_key: str,
    now: datetime,
    scope: str = GLOBAL_SCOPE,
) -> int:
    """The bot's own report of a suspected impostor (audited like a moderator's case)."""
    case = ModerationCaseRow(
        action="suspect",
        target_key=target.key,
        target_name=target.name[:256],
        target_username=target.username[:256],
        actor_key=BOT_ACTOR,
        actor_name="",
        reason=reason[:1000],
        chat_key=chat_key,
        scope=scope,
        created_at=now,
    )
    session.add(case)
    await session.flush()
    return case.id


async def list_flags(
    session: AsyncSession, *, page: int, per_page: int, community: str | None = None
) -> tuple[list[tuple[FlaggedAccountRow, ModerationCaseRow]], int]:
    """Flags a moderator may see, newest first: with ``community``, the flags that apply
    there (global ones and that community's); without, every flag (global moderators)."""
    visible = (
        FlaggedAccountRow.scope.in_(_scopes(community)) if community is not None else sa_true()
    )
    total = int(
        (
            await session.execute(
                select(func.count()).select_from(FlaggedAccountRow).where(visible)
            )
        ).scalar_one()
    )
    query = (
        select(FlaggedAccountRow, ModerationCaseRow)
        .join(ModerationCaseRow, ModerationCaseRow.id == FlaggedAccountRow.case_id)
        .where(visible)
        .order_by(
            FlaggedAccountRow.flagged_at.desc(),
            FlaggedAccountRow.target_key,
            FlaggedAccountRow.scope,
        )
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    rows = [(flagged, case) for flagged, case in (await session.execute(query)).all()]
    return rows, total


async def flags_by_actor_since(session: AsyncSession, actor_key: str, since: datetime) -> int:
    """How many flag actions a moderator took since ``since`` (for the rate limit)."""
    query = select(func.count()).where(
        ModerationCaseRow.actor_key == actor_key,
        ModerationCaseRow.action.in_(("flag", "unflag")),
        ModerationCaseRow.created_at >= since,
    )
    return int((await session.execute(query)).scalar_one())


async def case_notes(session: AsyncSession, case_id: int) -> list[CaseNoteRow]:
    query = select(CaseNoteRow).where(CaseNoteRow.case_id == case_id).order_by(CaseNoteRow.id)
    return list((await session.execute(query)).scalars())
