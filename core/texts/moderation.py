"""The impostor guard, moderator commands, /verify and how official accounts and people are named."""

from __future__ import annotations

from core.texts.catalog import Catalog

TEXTS: Catalog = {
    "mod.refused": {
        "zh": "抱歉，/{command}只有本群管理员或指定的版主可以使用。",
        "en": "Sorry, /{command} is for this group's admins and configured moderators only.",
    },
    "mod.flag_usage": {
        "zh": "用法：回复可疑账号的消息发送 /flag <原因>，或 /flag @用户名 <原因>。",
        "en": "Usage: reply to the suspect's message with /flag <reason>, or /flag @username <reason>.",
    },
    "mod.unflag_usage": {
        "zh": "用法：/unflag @用户名 <原因>（或回复其消息）。",
        "en": "Usage: /unflag @username <reason> (or reply to their message).",
    },
    "mod.reason_required": {
        "zh": "请写明原因，例如：/{command} @xiaoli_88 冒充官方客服。",
        "en": "Please give a reason, e.g. /{command} @xiaoli_88 pretends to be support.",
    },
    "mod.cannot_flag_official": {
        "zh": "{target}是已认证的官方账号，不能标记为冒充者。",
        "en": "{target} is a verified official account and cannot be flagged.",
    },
    "mod.rate_limited": {
        "zh": "操作太频繁了：每{minutes}分钟内的标记次数已达上限，请稍后再试。",
        "en": "Too many flags: you reached the limit for {minutes} minutes. Try again later.",
    },
    "mod.flagged": {
        "zh": "🚩 已将{target}标记为冒充者（案件 #{case}），原因：{reason}。{where}",
        "en": "🚩 Flagged {target} as an impostor (case #{case}), reason: {reason}. {where}",
    },
    "mod.flagged_pending": {
        "zh": (
            "🚩 机器人还没见过{target}，已先记下标记（案件 #{case}）："
            "这个用户名一出现，标记就会绑定到该账号。{where}"
        ),
        "en": (
            "🚩 The bot has not seen {target} yet; the flag is recorded (case #{case}) and "
            "binds to the account as soon as that username shows up. {where}"
        ),
    },
    "mod.scope_everywhere": {
        "zh": "该标记在本店服务的所有社区生效。",
        "en": "The flag applies in every community this shop's bot serves.",
    },
    "mod.scope_here": {
        "zh": "该标记只在本社区生效。",
        "en": "The flag applies in this community only.",
    },
    "mod.not_served": {
        "zh": (
            "抱歉，机器人没有把本群列为它服务的社区，群管理员不能在这里使用 /{command}。"
            "如果这是店铺的官方群，请联系店铺运营者把它加入配置 moderation.communities。"
        ),
        "en": (
            "Sorry, this group is not one of the communities the bot serves, so its admins "
            "cannot use /{command} here. If this is the shop's official group, ask the shop's "
            "operator to add it to moderation.communities."
        ),
    },
    "mod.unflag_global_only": {
        "zh": "{target}的标记是店铺的全局版主设置的，本群管理员不能撤销；如有误判，请联系店铺官方客服。",
        "en": (
            "{target} was flagged by the shop's global moderators; a group's admins cannot "
            "lift that flag. If it is a mistake, contact the shop's official support."
        ),
    },
    "mod.scope_all": {"zh": "在全部社区生效", "en": "applies in every community"},
    "mod.scope_community": {"zh": "仅在本社区生效", "en": "applies in this community only"},
    "mod.pending_mark": {"zh": "（待出现）", "en": " (pending)"},
    "mod.already_flagged": {
        "zh": "{target}已被标记（案件 #{case}），本次原因已追加为案件备注。",
        "en": "{target} is already flagged (case #{case}); your reason was added as a note.",
    },
    "mod.unflagged": {
        "zh": "已取消对{target}的标记（案件 #{case}），原因：{reason}。",
        "en": "Removed the flag on {target} (case #{case}), reason: {reason}.",
    },
    "mod.not_flagged": {
        "zh": "{target}当前没有被标记。",
        "en": "{target} is not flagged.",
    },
    "mod.no_flags": {"zh": "目前没有被标记的账号。", "en": "No account is flagged."},
    "mod.flags_title": {
        "zh": "被标记的冒充账号（共{total}个，第{page}/{pages}页）：",
        "en": "Flagged impostor accounts ({total}, page {page}/{pages}):",
    },
    "mod.prev_page": {"zh": "上一页", "en": "Previous"},
    "mod.next_page": {"zh": "下一页", "en": "Next"},
    "guard.flagged_reason": {
        "zh": "已被管理员标记为冒充者（案件 #{case}）",
        "en": "flagged as an impostor by a moderator (case #{case})",
    },
    "guard.group_warning": {
        "zh": (
            "⚠️ 注意：「{name}」不是{brand}的官方账号，请勿相信其私聊，不要提供卡密或转账。"
            "官方账号：{accounts}。官方客服不会主动私聊你。"
        ),
        "en": (
            "⚠️ Note: '{name}' is not an official {brand} account. Do not trust their DMs or "
            "give them card keys or money. Official accounts: {accounts}. Staff never DM first."
        ),
    },
    "guard.alert": {
        "zh": "【冒充嫌疑】群：{chat}\n账号：{target}\n原因：{reason}\n案件 #{case}",
        "en": "Suspected impostor in {chat}\nAccount: {target}\nReason: {reason}\nCase #{case}",
    },
    "guard.contact_warning": {
        "zh": (
            "⚠️ 提醒：这条消息中的联系方式（{contacts}）不是{brand}官方渠道，"
            "请勿添加或转账。官方账号：{accounts}；官方入口请发送 /support 查看。"
        ),
        "en": (
            "⚠️ Careful: the contact in this message ({contacts}) is not an official {brand} "
            "channel. Do not add it or send money. Official accounts: {accounts}; send /support "
            "for the official channels."
        ),
    },
    "verify.ask": {
        "zh": "请发送要核实的账号、手机号、QQ、微信号或链接（发送 /cancel 取消）。",
        "en": "Send the account, phone, QQ, WeChat id or link to check (/cancel to stop).",
    },
    "verify.official": {
        "zh": "✅ “{value}”是{brand}的官方{what}，可以放心联系。",
        "en": "✅ '{value}' is an official {brand} {what}.",
    },
    "verify.account_kind": {
        "zh": "{platform}{role}账号",
        "en": "{platform} {role} account",
    },
    "verify.not_official": {
        "zh": "❌ “{value}”不在{brand}的官方名单中，请勿向其提供卡密、验证码或转账。",
        "en": (
            "❌ '{value}' is not on the {brand} official list. Do not give it card keys, codes "
            "or money."
        ),
    },
    "verify.accounts": {"zh": "官方账号：{accounts}", "en": "Official accounts: {accounts}"},
    "verify.flagged": {
        "zh": "🚩 该账号已被管理员标记为冒充者（案件 #{case}）。",
        "en": "🚩 This account is flagged as an impostor (case #{case}).",
    },
    "verify.name_only": {
        "zh": (
            "❌ “{value}”只是一个名字，不能证明身份：名字谁都可以改，冒充者可以起一模一样的名字。"
            "{brand}官方{platform}{role}账号的身份是{credential}，请核对对方的这个用户名或 ID，"
            "而不是名字。"
        ),
        "en": (
            "❌ '{value}' is only a name, and a name proves nothing: anyone can change theirs to "
            "copy it. The official {brand} {platform} {role} account is {credential}; check "
            "that handle or id, not the name."
        ),
    },
    "verify.how_to_check": {"zh": "怎么核对：{how}", "en": "How to check: {how}"},
    "verify.identity": {
        "zh": "账号身份：{credential}。以此为准，名字可以随便改。",
        "en": "Its identity: {credential}. This is what counts; names can be changed.",
    },
    "verify.other_platform": {
        "zh": "注意：这是{platform}上的账号，只在{platform}上代表官方；在其他平台上请另行核实。",
        "en": "Note: this account is on {platform} and is official only there; check accounts on other platforms separately.",
    },
    "official.with_username": {"zh": "@{username}（{ident}）", "en": "@{username} ({ident})"},
    "official.separator": {"zh": "；", "en": "; "},
    "official.account_line": {
        "zh": "• {platform}{role}：{credential}",
        "en": "• {platform}{role}: {credential}",
    },
    "official.how.telegram": {
        "zh": (
            "在 Telegram 中点开对方头像进入资料页，核对用户名是否为{handle}"
            "（用户名不能重复，名字可以随便改）；也可以直接回复对方的消息发送 /verify。"
        ),
        "en": (
            "in Telegram, open their profile and check that the username is {handle} "
            "(usernames are unique, names are not); or reply to their message with /verify."
        ),
    },
    "official.how.discord": {
        "zh": (
            "在 Discord 中右键点击对方（手机上长按头像），选择“复制用户 ID”（需先在“设置→高级”中"
            "打开开发者模式），再发送 /verify 加这个 ID；官方账号的 ID 是{id}。"
        ),
        "en": (
            "in Discord, right-click them (long-press on mobile) and choose Copy User ID (turn "
            "on Developer Mode under Settings → Advanced first), then send /verify with that "
            "id; the official account's id is {id}."
        ),
    },
    "official.how.feishu": {
        "zh": (
            "在飞书中点开对方头像查看资料卡，官方账号属于{brand}的企业组织；也可以在群里发送 "
            "/verify 并 @对方，我会按 open_id 核对（官方账号是{credential}）。"
        ),
        "en": (
            "in Feishu, open their profile card: the official account belongs to the {brand} "
            "organisation; or send /verify and @mention them in the group and I will check "
            "the open_id (the official one is {credential})."
        ),
    },
    "official.how.console": {
        "zh": "请用账号 ID 核实，官方账号的 ID 是{id}。",
        "en": "Check by account id; the official account's id is {id}.",
    },
    "verify.lookalike": {
        "zh": "⚠️ 它在模仿官方的{official}：{reason}。",
        "en": "⚠️ It imitates the official {official}: {reason}.",
    },
    "verify.usage": {
        "zh": "用法：/verify @用户名、手机号、QQ、微信号或链接；也可以回复某人的消息发送 /verify。",
        "en": "Usage: /verify @username, phone, QQ, WeChat id or link; or reply to someone with /verify.",
    },
    "verify.empty": {
        "zh": "没有收到要核实的内容。请发送账号、手机号、QQ、微信号或链接。",
        "en": "I did not get anything to check. Send an account, phone, QQ, WeChat id or link.",
    },
    "verify.channels_title": {"zh": "官方渠道：", "en": "Official channels:"},
    "verify.why.embedded": {
        "zh": "把官方域名{official}嵌在别的域名里（{handle}）",
        "en": "it puts the official domain {official} inside another domain ({handle})",
    },
    "verify.why.contains": {
        "zh": "域名{handle}含有官方域名{official}的名字",
        "en": "the domain {handle} borrows the name of the official domain {official}",
    },
    "verify.why.domain": {
        "zh": "域名{handle}与官方域名{official}形似",
        "en": "the domain {handle} looks like the official domain {official}",
    },
    "verify.why.username": {
        "zh": "用户名{handle}与官方账号{official}形似",
        "en": "the username {handle} looks like the official account {official}",
    },
    "people.handle": {"zh": "{platform} @{username}", "en": "{platform} @{username}"},
    "people.id": {"zh": "{platform} ID {id}", "en": "{platform} ID {id}"},
    "people.named": {"zh": "{name}（{handle}）", "en": "{name} ({handle})"},
    "people.bot": {"zh": "机器人", "en": "the bot"},
    "mod.flags_line": {
        "zh": "#{case} {target}{pending}，{scope}\n  原因：{reason}；{actor}于{when}标记",
        "en": "#{case} {target}{pending}, {scope}\n  Reason: {reason}; flagged by {actor}, {when}",
    },
    "guard.rule.official-exact": {
        "zh": "与官方账号同名",
        "en": "the same name as an official account",
    },
    "guard.rule.official-lookalike": {
        "zh": "与官方账号的名字字形相近",
        "en": "looks like an official account's name (l/1/I, 0/O, rn/m)",
    },
    "guard.rule.official-homophone": {
        "zh": "与官方账号的名字读音相同",
        "en": "sounds like an official account's name",
    },
    "guard.rule.official-near": {
        "zh": "与官方账号的名字只差一两个字",
        "en": "differs from an official account's name by a character or two",
    },
    "guard.rule.official-decorated": {
        "zh": "在官方账号的名字上加了装饰",
        "en": "an official account's name with a few characters added",
    },
    "guard.rule.bidi-visual": {
        "zh": "用双向文字控制符把名字伪装成官方账号",
        "en": "reads as an official name once its right-to-left characters are laid out",
    },
    "guard.rule.role-initials": {
        "zh": "名字是客服、官方等词的拼音首字母",
        "en": "the name is the initials of staff words (such as gfkf)",
    },
    "guard.rule.decorated-claim": {
        "zh": "以官方客服自称，名字周围另加了装饰",
        "en": "presents itself as staff, with decoration around the name",
    },
    "guard.rule.brand-role": {
        "zh": "店铺品牌名加客服、官方等角色词",
        "en": "the shop's name with a staff word (official, support, after-sales)",
    },
    "guard.rule.role-claim": {
        "zh": "以客服、官方等角色词为名字",
        "en": "presents itself as staff (official, support, after-sales)",
    },
    "guard.rule.brand-persona": {
        "zh": "店铺品牌名加官方客服人员的名字",
        "en": "the shop's name with an official agent's name",
    },
    "guard.rule.brand-only": {
        "zh": "名字就是店铺品牌名",
        "en": "the name is exactly the shop's name",
    },
    "guard.rule.other": {"zh": "名字像官方账号", "en": "the name looks like an official account"},
}
