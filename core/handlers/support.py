"""Official entry points: ``/start``, ``/help``, ``/support`` and "售后在哪"-style questions.

The answer lists the configured official channels in order, the official accounts on the
user's platform (by username or id, never by display name: see `core.handlers.official_ids`),
and the anti-scam reminder. In a group it is short and offers a button to
continue in private, where the full answer (and anything personal) belongs. The support
hours (``sla.business_hours``) get a short group line here too.
"""

from __future__ import annotations

from core.config import Config
from core.context import Context
from core.faq.hours import support_hours
from core.handlers.official_ids import account_lines, platform_name
from core.model import Button, ButtonRows, ButtonStyle

_URL_KINDS = ("live_chat", "ticket", "website")


def channel_lines(ctx: Context) -> list[str]:
    """The official channels, numbered in config order, shown in full."""
    return [
        ctx.t("support.channel_line", n=i, label=c.label, value=c.value)
        for i, c in enumerate(ctx.services.config.official.channels, 1)
    ]


def _link_buttons(config: Config) -> ButtonRows:
    links = [
        Button(label=c.label, url=c.value, style=ButtonStyle.URL)
        for c in config.official.channels
        if c.kind in _URL_KINDS and c.value.startswith(("https://", "http://"))
    ]
    return tuple((b,) for b in links[:4])


def full_support_text(ctx: Context) -> str:
    config = ctx.services.config
    platform = ctx.event.platform
    lines = [ctx.t("support.title", brand=config.brand.name), *channel_lines(ctx)]
    if config.official.accounts:
        title = (
            ctx.t("support.accounts_title", platform=platform_name(ctx, platform))
            if config.accounts_on(platform)
            else ctx.t("support.all_accounts_title")
        )
        lines += ["", title, *account_lines(ctx), ctx.t("support.accounts_note")]
    lines += ["", ctx.t("support.warning")]
    return "\n".join(lines)


def group_support_text(ctx: Context) -> str:
    config = ctx.services.config
    channels = ctx.t("official.separator").join(
        ctx.t("support.channel_inline", label=c.label, value=c.value)
        for c in config.official.channels
    )
    return "\n".join(
        [
            ctx.t("support.group_title", brand=config.brand.name) + channels,
            ctx.t("support.group_warning"),
        ]
    )


def answer_support(ctx: Context) -> None:
    """The support answer, shaped for where it was asked."""
    if ctx.in_private:
        ctx.reply(full_support_text(ctx), _link_buttons(ctx.services.config))
        return
    ctx.reply(group_support_text(ctx), ((ctx.private_button(),),))


def answer_hours(ctx: Context) -> None:
    """The support hours and time limits in one short line, for a group (the private
    chat gets the knowledge base's full ``service_hours`` answer)."""
    config = ctx.services.config
    text = ctx.t(
        "group.hours",
        brand=config.brand.name,
        hours=support_hours(config.sla, ctx.services.texts, ctx.locale),
        simple_hours=f"{config.sla.simple_first_response_hours:g}",
        complex_hours=f"{config.sla.complex_plan_hours:g}",
    )
    ctx.reply(text, ((ctx.private_button(),),))


async def on_support(ctx: Context) -> None:
    answer_support(ctx)


async def on_start(ctx: Context) -> None:
    # Deep links from a group arrive as "/start <payload>"; the router has already turned
    # those naming a command into it, so any other payload ("support", a stale or made-up
    # one) is a plain start: the welcome in private, then the official channels.
    if ctx.in_private:
        name = " ".join(ctx.event.user.display_name.split()) or ctx.t("welcome.no_name")
        ctx.reply(ctx.t("welcome", brand=ctx.services.config.brand.name, name=name))
    answer_support(ctx)


async def on_help(ctx: Context) -> None:
    ctx.reply(ctx.t("help"))
