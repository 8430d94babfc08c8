"""Who can type at the console: the built-in demo actors and any ``console:<id>`` user.

A console session may switch speakers with a line ``/as <who> [where]`` so one terminal can
play both sides of a conversation (a buyer and the staff who answer them). ``who`` is a
built-in actor (``buyer``, ``buyer2``, ``staff``, ``moderator``, ``member``, ``impostor``)
or ``console:<id>``; ``where`` is ``private`` (私聊), ``group`` (群) or ``staff`` (客服群) and
defaults to the actor's usual place. The same names are used by the dialogue scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Place = Literal["private", "group", "staff"]
PLACES: tuple[Place, ...] = ("private", "group", "staff")


@dataclass(frozen=True, slots=True)
class Actor:
    """Someone who can type at the console."""

    name: str  # the actor's name in ``/as`` lines and scenarios ("buyer")
    user_id: str  # the console user id (doubles as the @handle)
    display_name: str
    home: Place  # where they type unless told otherwise
    admin: bool = False  # an admin of the console's groups (a community moderator there)


ACTORS: dict[str, Actor] = {
    actor.name: actor
    for actor in (
        Actor("buyer", "ali", "阿狸", "private"),
        Actor("buyer2", "xiaozhang", "小张", "private"),
        # "console:agent" is in staff.members of the shipped config.
        Actor("staff", "agent", "客服小雅", "staff"),
        Actor("moderator", "qunzhu", "群主", "group", admin=True),
        Actor("member", "lurenjia", "路人甲", "group"),
        Actor("impostor", "xinghe_kefu", "星河卡盟官方客服", "group"),
    )
}

_PLACE_WORDS: dict[str, Place] = {
    "private": "private",
    "dm": "private",
    "私聊": "private",
    "group": "group",
    "群": "group",
    "玩家群": "group",
    "staff": "staff",
    "客服群": "staff",
}


class SwitchError(ValueError):
    """A ``/as`` line that names nobody the console knows; the text says what is allowed."""


def actor_for(who: str) -> Actor:
    """The actor named ``who``: a built-in name or ``console:<id>`` (a plain user, in private)."""
    known = ACTORS.get(who.lower())
    if known is not None:
        return known
    platform, _, user_id = who.partition(":")
    if platform == "console" and user_id and not any(c.isspace() for c in user_id):
        return Actor(who, user_id, "", "private")
    raise SwitchError(
        f"不认识的角色：{who}。可用：{'、'.join(ACTORS)}，"
        "或 console:<用户id>（例如 console:xiaoli）。"
    )


def parse_switch(args: str) -> tuple[Actor, Place]:
    """``"staff"`` → (the staff actor, "staff"); ``"buyer group"`` → (buyer, "group")."""
    words = args.split()
    if not words or len(words) > 2:
        raise SwitchError(
            "用法：/as <角色> [私聊|群|客服群]，例如 /as staff、/as buyer 群、/as console:xiaoli。"
        )
    actor = actor_for(words[0])
    if len(words) == 1:
        return actor, actor.home
    place = _PLACE_WORDS.get(words[1].lower())
    if place is None:
        raise SwitchError(
            f"不认识的位置：{words[1]}。可用：私聊（private）、群（group）、客服群（staff）。"
        )
    return actor, place
