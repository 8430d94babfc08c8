"""User-facing text in Simplified Chinese (default) and English.

Templates use ``str.format`` named fields; values are inserted once and never re-parsed, so
a user's text containing braces cannot break or inject into a template.
"""

from __future__ import annotations

from collections.abc import Mapping

Catalog = Mapping[str, Mapping[str, str]]

TEXTS: Catalog = {
    "support.title": {
        "zh": "【{brand} 官方售后入口】",
        "en": "[{brand} official after-sales channels]",
    },
    "support.accounts_title": {
        "zh": "{platform} 上的官方账号:",
        "en": "Official accounts on {platform}:",
    },
    "support.all_accounts_title": {
        "zh": "各平台官方账号:",
        "en": "Official accounts on each platform:",
    },
    "support.warning": {
        "zh": (
            "⚠️ 防骗提醒:官方客服不会主动私聊你,不会索要卡密、密码或验证码,"
            "也不会要求转账或“退款操作”。收到自称客服的私聊,请先用 /verify 核实。"
        ),
        "en": (
            "⚠️ Stay safe: official staff never message you first, never ask for card keys, "
            "passwords or codes, and never ask you to transfer money or 'process a refund'. "
            "If someone claiming to be support messages you, check them with /verify first."
        ),
    },
    "support.group_title": {
        "zh": "{brand} 官方售后:",
        "en": "{brand} official after-sales:",
    },
    "support.group_warning": {
        "zh": "⚠️ 官方不会主动私聊、不会索要卡密。订单问题请私聊我处理,保护你的隐私。",
        "en": (
            "⚠️ Staff never DM first or ask for card keys. For order issues, talk to me in "
            "private to keep your details safe."
        ),
    },
    "support.private_button": {"zh": "私聊获取帮助", "en": "Get help in private"},
    "welcome": {
        "zh": "你好{name},我是 {brand} 的售后助手。我可以告诉你官方售后入口、核实客服身份。",
        "en": (
            "Hi{name}, I am the {brand} after-sales assistant. I can show you the official "
            "support channels and check whether an account is really official."
        ),
    },
    "help": {
        "zh": (
            "可用命令:\n"
            "/support 官方售后入口与防骗提醒\n"
            "/verify <账号|手机号|QQ|链接> 核实是否官方\n"
            "/cancel 取消当前操作\n"
            "/help 显示本帮助\n"
            "也可以直接用文字提问,例如“售后在哪”。"
        ),
        "en": (
            "Commands:\n"
            "/support official after-sales channels and safety tips\n"
            "/verify <account|phone|QQ|link> check whether it is official\n"
            "/cancel cancel what you are doing\n"
            "/help show this help\n"
            "You can also just ask, e.g. 'where is after-sales?'."
        ),
    },
    "not_built": {
        "zh": "“/{command}” 功能正在建设中,暂不可用。需要帮助请使用以下官方渠道:",
        "en": "'/{command}' is not available yet. For help, please use the official channels:",
    },
    "unknown_command": {
        "zh": "没有 “/{command}” 这个命令。发送 /help 查看可用命令。",
        "en": "There is no '/{command}' command. Send /help to see what I can do.",
    },
    "cancelled": {"zh": "已取消当前操作。", "en": "Cancelled."},
    "nothing_to_cancel": {
        "zh": "当前没有进行中的操作。",
        "en": "There is nothing to cancel.",
    },
    "flow_expired": {
        "zh": "上次未完成的操作因长时间未回复已关闭。",
        "en": "Your unfinished request was closed after a long time without an answer.",
    },
    "fallback": {
        "zh": "我还不太明白你的意思。需要售后帮助请发送 /support,查看全部命令请发送 /help。",
        "en": (
            "I am not sure what you mean. Send /support for after-sales help, /help for commands."
        ),
    },
    "internal_error": {
        "zh": "抱歉,处理你的消息时出了点问题,已记录。请稍后再试,或通过 /support 联系官方客服。",
        "en": (
            "Sorry, something went wrong while handling your message; it has been logged. "
            "Please try again later, or contact official support via /support."
        ),
    },
    "verify.ask": {
        "zh": "请发送要核实的账号、手机号、QQ、微信号或链接(发送 /cancel 取消)。",
        "en": "Send the account, phone, QQ, WeChat id or link to check (/cancel to stop).",
    },
    "verify.official": {
        "zh": "✅ “{value}” 是 {brand} 的官方{what}。",
        "en": "✅ '{value}' is an official {brand} {what}.",
    },
    "verify.not_official": {
        "zh": "❌ “{value}” 不在 {brand} 的官方名单中,请勿向其提供卡密或转账。请使用以下官方渠道:",
        "en": (
            "❌ '{value}' is not on the {brand} official list. Do not give it card keys or "
            "money. Use these official channels instead:"
        ),
    },
    "verify.empty": {
        "zh": "没有收到要核实的内容。请发送账号、手机号、QQ、微信号或链接。",
        "en": "I did not get anything to check. Send an account, phone, QQ, WeChat id or link.",
    },
}


class Texts:
    """Looks up a text by key for a locale, falling back to the default locale."""

    def __init__(self, default_locale: str = "zh", catalog: Catalog = TEXTS) -> None:
        self.default_locale = default_locale
        self._catalog = catalog

    def locale_for(self, user_locale: str) -> str:
        """Map a platform language code ("en-US", "zh-hans") to a supported locale."""
        code = user_locale.lower()
        if code.startswith("en"):
            return "en"
        if code.startswith("zh"):
            return "zh"
        return self.default_locale

    def get(self, key: str, locale: str, /, **values: object) -> str:
        entry = self._catalog[key]
        template = entry.get(locale) or entry[self.default_locale]
        return template.format(**values) if values else template
