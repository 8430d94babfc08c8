"""Append-only moderation cases and the current set of flagged accounts.

A flag is a case (who flagged whom, the target's name and handle at that moment, reason,
evidence, time). Flagging an already flagged account appends a note to its open case;
unflagging writes a new ``unflag`` case. Cases and notes are never edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.masking import mask_sensitive
from core.model import User
from core.storage.tables import (
    CaseNoteRow,
    ConversationRow,
    FlaggedAccountRow,
    ModerationCaseRow,
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


async def active_flag(session: AsyncSession, target_key: str) -> FlaggedAccountRow | None:
    return await session.get(FlaggedAccountRow, target_key)


async def flag(
    session: AsyncSession,
    *,
    target: Target,
    actor: User,
    reason: str,
    now: datetime,
    chat_key: str = "",
    evidence_message_id: str = "",
    evidence_text: str = "",
) -> tuple[int, bool]:
    """Flag ``target``. Returns (case id, True) for a new flag, (case id, False) when the
    account was already flagged and the reason was appended to its case as a note."""
    current = await active_flag(session, target.key)
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
        evidence_message_id=evidence_message_id[:64],
        evidence_text=mask_sensitive(evidence_text)[:1000],
        created_at=now,
    )
    session.add(case)
    await session.flush()
    session.add(
        FlaggedAccountRow(
            target_key=target.key,
            case_id=case.id,
            target_name=target.name[:256],
            target_username=target.username[:256],
            flagged_at=now,
        )
    )
    return case.id, True


async def unflag(
    session: AsyncSession, *, target: Target, actor: User, reason: str, now: datetime, chat_key: str
) -> int | None:
    """Remove a flag, recording an ``unflag`` case. None when the account was not flagged."""
    current = await active_flag(session, target.key)
    if current is None:
        return None
    case = ModerationCaseRow(
        action="unflag",
        target_key=target.key,
        target_name=(target.name or current.target_name)[:256],
        target_username=(target.username or current.target_username)[:256],
        actor_key=actor.key,
        actor_name=actor.display_name[:256],
        reason=mask_sensitive(reason)[:1000],
        chat_key=chat_key,
        created_at=now,
    )
    session.add(case)
    await session.execute(
        delete(FlaggedAccountRow).where(FlaggedAccountRow.target_key == target.key)
    )
    await session.flush()
    return case.id


async def record_suspect(
    session: AsyncSession, *, target: Target, reason: str, chat_key: str, now: datetime
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
        created_at=now,
    )
    session.add(case)
    await session.flush()
    return case.id


async def list_flags(
    session: AsyncSession, *, page: int, per_page: int
) -> tuple[list[tuple[FlaggedAccountRow, ModerationCaseRow]], int]:
    total = int(
        (await session.execute(select(func.count()).select_from(FlaggedAccountRow))).scalar_one()
    )
    query = (
        select(FlaggedAccountRow, ModerationCaseRow)
        .join(ModerationCaseRow, ModerationCaseRow.id == FlaggedAccountRow.case_id)
        .order_by(FlaggedAccountRow.flagged_at.desc(), FlaggedAccountRow.target_key)
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
