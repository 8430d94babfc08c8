"""Card keys posted in a group are removed (where the bot may) and the user is invited to
continue in private: a key seen by a group can be redeemed by anyone in it."""

from __future__ import annotations

from core.context import Context
from core.model import DeleteMessage


def protect_card_keys(ctx: Context) -> bool:
    """True when the group message held a card key and was dealt with."""
    event = ctx.event
    if ctx.in_private or not ctx.services.card_keys.contains(event.text):
        return False
    if not ctx.services.config.self_service.delete_card_keys_in_groups:
        return False
    if event.message_id:
        ctx.actions.append(DeleteMessage(chat=event.chat, message_id=event.message_id))
    ctx.reply(ctx.t("privacy.card_key_removed"), ((ctx.private_button(),),))
    return True
