"""How people are named on screens: a name and a handle, never a stored ``platform:id`` key.

Buyers, moderators and staff read "阿狸（Telegram @ali）" or "退款专员（Telegram ID 777）";
a long opaque id (a Feishu ``ou_…`` open_id) is shortened to its last characters, enough to
tell two accounts apart on one screen. The stored keys stay what they are: in the database,
the logs and the operator CLI.
"""

from __future__ import annotations

from core.texts import Texts

PLATFORM_NAMES = {
    "telegram": "Telegram",
    "discord": "Discord",
    "feishu": "飞书",
    "console": "控制台",
}
PLATFORM_NAMES_EN = {"feishu": "Feishu", "console": "console"}
_SHORT_ID = 12


def platform_name(platform: str, locale: str) -> str:
    """The platform's name in the reader's language ("飞书" / "Feishu")."""
    if locale == "en" and platform in PLATFORM_NAMES_EN:
        return PLATFORM_NAMES_EN[platform]
    return PLATFORM_NAMES.get(platform, platform.capitalize())


def short_id(user_id: str) -> str:
    """A numeric id as it is; a long opaque one by its tail ("…76706")."""
    user_id = user_id.strip()
    if len(user_id) <= _SHORT_ID and user_id.replace("-", "").isalnum():
        return user_id
    return "…" + user_id[-6:]


def handle(texts: Texts, locale: str, platform: str, user_id: str, username: str = "") -> str:
    """ "Telegram @ali", or "Telegram ID 777" when the account has no username."""
    name = platform_name(platform, locale)
    username = username.strip().lstrip("@")
    if username:
        return texts.get("people.handle", locale, platform=name, username=username)
    if user_id.startswith("@"):  # a pending flag: the handle is all there is
        return texts.get("people.handle", locale, platform=name, username=user_id[1:])
    return texts.get("people.id", locale, platform=name, id=short_id(user_id))


def person(
    texts: Texts, locale: str, platform: str, user_id: str, name: str = "", username: str = ""
) -> str:
    """ "阿狸（Telegram @ali）", "Alice (Telegram ID 555)", or the handle alone."""
    shown = handle(texts, locale, platform, user_id, username)
    name = " ".join(name.split())
    return texts.get("people.named", locale, name=name, handle=shown) if name else shown


def person_by_key(texts: Texts, locale: str, key: str, name: str = "", username: str = "") -> str:
    """:func:`person` for a stored ``platform:id`` key (a moderator, a ticket's user)."""
    platform, _, user_id = key.partition(":")
    if not user_id:  # not a platform key ("bot")
        return name or texts.get("people.bot", locale)
    return person(texts, locale, platform, user_id, name, username)
