"""Actions as JSON and back, for the reply outbox (``core.replies``).

An explicit codec, field by field, for the five :class:`Action` types and the small values
inside them (:class:`Chat`, :class:`User`, :class:`Button`, :class:`Attachment`). Nothing is
pickled and nothing is guessed from class names at run time: a stored reply decodes to the
very action the engine decided, or raises :class:`ValueError` (an unknown type, a missing
field), so a row written by a newer version is reported, never sent half-understood.

Default values are left out of the JSON (most actions are a chat and a text), and a missing
key decodes to the field's default, so adding a field with a default needs no migration.
"""

from __future__ import annotations

from typing import Any

from core.model import (
    Action,
    Attachment,
    Button,
    ButtonRows,
    ButtonStyle,
    Chat,
    DeleteMessage,
    NotifyStaff,
    Reply,
    RestrictUser,
    SendPrivate,
    User,
)

Json = dict[str, Any]


def _user(user: User) -> Json:
    out: Json = {"platform": user.platform, "id": user.id}
    for key in ("display_name", "username", "locale"):
        if value := getattr(user, key):
            out[key] = value
    return out


def _user_from(data: Json) -> User:
    return User(
        platform=str(data["platform"]),
        id=str(data["id"]),
        display_name=str(data.get("display_name", "")),
        username=str(data.get("username", "")),
        locale=str(data.get("locale", "")),
    )


def _chat(chat: Chat) -> Json:
    out: Json = {"platform": chat.platform, "id": chat.id, "private": chat.is_private}
    for key in ("title", "thread_id", "community_id"):
        if value := getattr(chat, key):
            out[key] = value
    return out


def _chat_from(data: Json) -> Chat:
    return Chat(
        platform=str(data["platform"]),
        id=str(data["id"]),
        is_private=bool(data["private"]),
        title=str(data.get("title", "")),
        thread_id=str(data.get("thread_id", "")),
        community_id=str(data.get("community_id", "")),
    )


def _buttons(rows: ButtonRows) -> list[list[Json]]:
    return [
        [
            {"label": b.label, "payload": b.payload, "url": b.url, "style": b.style.value}
            for b in row
        ]
        for row in rows
    ]


def _buttons_from(data: Any) -> ButtonRows:
    return tuple(
        tuple(
            Button(
                label=str(b["label"]),
                payload=str(b.get("payload", "")),
                url=str(b.get("url", "")),
                style=ButtonStyle(b.get("style", ButtonStyle.CALLBACK.value)),
            )
            for b in row
        )
        for row in data or ()
    )


def _attachments(items: tuple[Attachment, ...]) -> list[Json]:
    return [{"kind": a.kind, "ref": a.ref, "name": a.name} for a in items]


def _attachments_from(data: Any) -> tuple[Attachment, ...]:
    return tuple(
        Attachment(kind=str(a["kind"]), ref=str(a["ref"]), name=str(a.get("name", "")))
        for a in data or ()
    )


def _put_extras(out: Json, action: Reply | SendPrivate | NotifyStaff) -> Json:
    if action.buttons:
        out["buttons"] = _buttons(action.buttons)
    if action.attachments:
        out["attachments"] = _attachments(action.attachments)
    return out


def encode_action(action: Action) -> Json:
    """The JSON object of ``action`` (``type`` names which action it is)."""
    if isinstance(action, Reply):
        out: Json = {"type": "reply", "chat": _chat(action.chat), "text": action.text}
        if action.reply_to_message_id:
            out["reply_to_message_id"] = action.reply_to_message_id
        if action.edit_message_id:
            out["edit_message_id"] = action.edit_message_id
        if action.ephemeral:
            out["ephemeral"] = True
        if action.recipient is not None:
            out["recipient"] = _user(action.recipient)
        return _put_extras(out, action)
    if isinstance(action, SendPrivate):
        out = {"type": "private", "user": _user(action.user), "text": action.text}
        return _put_extras(out, action)
    if isinstance(action, NotifyStaff):
        out = {"type": "staff", "destination": action.destination, "text": action.text}
        if action.ticket_no:
            out["ticket_no"] = action.ticket_no
        return _put_extras(out, action)
    if isinstance(action, DeleteMessage):
        return {"type": "delete", "chat": _chat(action.chat), "message_id": action.message_id}
    if isinstance(action, RestrictUser):
        return {
            "type": "restrict",
            "chat": _chat(action.chat),
            "user": _user(action.user),
            "reason": action.reason,
            "remove": action.remove,
        }
    raise ValueError(f"no codec for action {type(action).__name__}")


def decode_action(data: Json) -> Action:
    """The action ``encode_action`` wrote; ValueError for anything else."""
    try:
        kind = data["type"]
        if kind == "reply":
            recipient = data.get("recipient")
            return Reply(
                chat=_chat_from(data["chat"]),
                text=str(data["text"]),
                buttons=_buttons_from(data.get("buttons")),
                attachments=_attachments_from(data.get("attachments")),
                reply_to_message_id=str(data.get("reply_to_message_id", "")),
                edit_message_id=str(data.get("edit_message_id", "")),
                ephemeral=bool(data.get("ephemeral", False)),
                recipient=_user_from(recipient) if recipient else None,
            )
        if kind == "private":
            return SendPrivate(
                user=_user_from(data["user"]),
                text=str(data["text"]),
                buttons=_buttons_from(data.get("buttons")),
                attachments=_attachments_from(data.get("attachments")),
            )
        if kind == "staff":
            return NotifyStaff(
                destination=str(data["destination"]),
                text=str(data["text"]),
                buttons=_buttons_from(data.get("buttons")),
                ticket_no=str(data.get("ticket_no", "")),
                attachments=_attachments_from(data.get("attachments")),
            )
        if kind == "delete":
            return DeleteMessage(chat=_chat_from(data["chat"]), message_id=str(data["message_id"]))
        if kind == "restrict":
            return RestrictUser(
                chat=_chat_from(data["chat"]),
                user=_user_from(data["user"]),
                reason=str(data["reason"]),
                remove=bool(data.get("remove", False)),
            )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"malformed stored action: {exc!r}") from exc
    raise ValueError(f"unknown stored action type {data.get('type')!r}")
