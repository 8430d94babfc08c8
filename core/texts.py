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
    "mod.refused": {
        "zh": "抱歉,/{command} 只有本群管理员或指定的版主可以使用。",
        "en": "Sorry, /{command} is for this group's admins and configured moderators only.",
    },
    "mod.flag_usage": {
        "zh": "用法:回复可疑账号的消息发送 /flag 原因,或 /flag @用户名 原因。",
        "en": "Usage: reply to the suspect's message with /flag <reason>, or /flag @username <reason>.",
    },
    "mod.unflag_usage": {
        "zh": "用法:/unflag @用户名 原因(或回复其消息)。",
        "en": "Usage: /unflag @username <reason> (or reply to their message).",
    },
    "mod.reason_required": {
        "zh": "请写明原因,例如:/{command} @用户名 冒充官方客服。",
        "en": "Please give a reason, e.g. /{command} @username pretends to be support.",
    },
    "mod.cannot_flag_official": {
        "zh": "{target} 是已认证的官方账号,不能标记为冒充者。",
        "en": "{target} is a verified official account and cannot be flagged.",
    },
    "mod.rate_limited": {
        "zh": "操作太频繁了:每 {minutes} 分钟内的标记次数已达上限,请稍后再试。",
        "en": "Too many flags: you reached the limit for {minutes} minutes. Try again later.",
    },
    "mod.flagged": {
        "zh": "🚩 已将 {target} 标记为冒充者(案件 #{case}),原因:{reason}。该标记在本店所有社区生效。",
        "en": (
            "🚩 Flagged {target} as an impostor (case #{case}), reason: {reason}. "
            "The flag applies in every community of this shop."
        ),
    },
    "mod.already_flagged": {
        "zh": "{target} 已被标记(案件 #{case}),本次原因已追加为案件备注。",
        "en": "{target} is already flagged (case #{case}); your reason was added as a note.",
    },
    "mod.unflagged": {
        "zh": "已取消对 {target} 的标记(案件 #{case}),原因:{reason}。",
        "en": "Removed the flag on {target} (case #{case}), reason: {reason}.",
    },
    "mod.not_flagged": {
        "zh": "{target} 当前没有被标记。",
        "en": "{target} is not flagged.",
    },
    "mod.no_flags": {"zh": "目前没有被标记的账号。", "en": "No account is flagged."},
    "mod.flags_title": {
        "zh": "被标记的冒充账号(共 {total} 个,第 {page}/{pages} 页):",
        "en": "Flagged impostor accounts ({total}, page {page}/{pages}):",
    },
    "mod.prev_page": {"zh": "上一页", "en": "Previous"},
    "mod.next_page": {"zh": "下一页", "en": "Next"},
    "guard.flagged_reason": {
        "zh": "已被管理员标记为冒充者(案件 #{case})",
        "en": "flagged as an impostor by a moderator (case #{case})",
    },
    "guard.group_warning": {
        "zh": (
            "⚠️ 注意:「{name}」不是 {brand} 的官方账号,请勿相信其私聊,不要提供卡密或转账。"
            "官方账号:{accounts}。官方客服不会主动私聊你。"
        ),
        "en": (
            "⚠️ Note: '{name}' is not an official {brand} account. Do not trust their DMs or "
            "give them card keys or money. Official accounts: {accounts}. Staff never DM first."
        ),
    },
    "guard.alert": {
        "zh": "【冒充嫌疑】群:{chat}\n账号:{target}({key})\n原因:{reason}\n案件 #{case}",
        "en": "[Suspected impostor] group: {chat}\naccount: {target} ({key})\nreason: {reason}\ncase #{case}",
    },
    "guard.contact_warning": {
        "zh": (
            "⚠️ 提醒:这条消息中的联系方式({contacts})不是 {brand} 官方渠道,"
            "请勿添加或转账。官方账号:{accounts};官方入口请发送 /support 查看。"
        ),
        "en": (
            "⚠️ Careful: the contact in this message ({contacts}) is not an official {brand} "
            "channel. Do not add it or send money. Official accounts: {accounts}; send /support "
            "for the official channels."
        ),
    },
    "verify.ask": {
        "zh": "请发送要核实的账号、手机号、QQ、微信号或链接(发送 /cancel 取消)。",
        "en": "Send the account, phone, QQ, WeChat id or link to check (/cancel to stop).",
    },
    "verify.official": {
        "zh": "✅ “{value}” 是 {brand} 的官方{what},可以放心联系。",
        "en": "✅ '{value}' is an official {brand} {what}.",
    },
    "verify.account_kind": {
        "zh": " {platform} {role}账号",
        "en": "{platform} {role} account",
    },
    "verify.not_official": {
        "zh": "❌ “{value}” 不在 {brand} 的官方名单中,请勿向其提供卡密、验证码或转账。官方渠道:",
        "en": (
            "❌ '{value}' is not on the {brand} official list. Do not give it card keys, codes "
            "or money. Official channels:"
        ),
    },
    "verify.accounts": {"zh": "官方账号:{accounts}", "en": "Official accounts: {accounts}"},
    "verify.flagged": {
        "zh": "🚩 该账号已被管理员标记为冒充者(案件 #{case})。",
        "en": "🚩 This account is flagged as an impostor (case #{case}).",
    },
    "verify.name_only": {
        "zh": "⚠️ 它的名字与官方账号相同,但名字谁都可以改;真正的官方账号是 {username}。",
        "en": "⚠️ Its name copies an official account, but anyone can copy a name; the real one is {username}.",
    },
    "verify.lookalike": {
        "zh": "⚠️ 它在模仿官方的 {official}:{reason}。",
        "en": "⚠️ It imitates the official {official}: {reason}.",
    },
    "verify.usage": {
        "zh": "用法:/verify @用户名、手机号、QQ、微信号或链接;也可以回复某人的消息发送 /verify。",
        "en": "Usage: /verify @username, phone, QQ, WeChat id or link; or reply to someone with /verify.",
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
