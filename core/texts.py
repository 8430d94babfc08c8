"""User-facing text in Simplified Chinese (default) and English.

Templates use ``str.format`` named fields; values are inserted once and never re-parsed, so
a user's text containing braces cannot break or inject into a template.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

Catalog = Mapping[str, Mapping[str, str]]

TEXTS: Catalog = {
    "support.title": {
        "zh": "【{brand}官方售后入口】",
        "en": "[{brand} official after-sales channels]",
    },
    "support.accounts_title": {
        "zh": "{platform}上的官方账号：",
        "en": "Official accounts on {platform}:",
    },
    "support.all_accounts_title": {
        "zh": "各平台官方账号：",
        "en": "Official accounts on each platform:",
    },
    "support.warning": {
        "zh": (
            "⚠️ 防骗提醒：官方客服不会主动私聊你，不会索要卡密、密码或验证码，"
            "也不会要求转账或“退款操作”。收到自称客服的私聊，请先用 /verify 核实。"
        ),
        "en": (
            "⚠️ Stay safe: official staff never message you first, never ask for card keys, "
            "passwords or codes, and never ask you to transfer money or 'process a refund'. "
            "If someone claiming to be support messages you, check them with /verify first."
        ),
    },
    "support.group_title": {
        "zh": "{brand}官方售后：",
        "en": "{brand} official after-sales:",
    },
    "support.group_warning": {
        "zh": "⚠️ 官方不会主动私聊、不会索要卡密。订单问题请私聊我处理，保护你的隐私。",
        "en": (
            "⚠️ Staff never DM first or ask for card keys. For order issues, talk to me in "
            "private to keep your details safe."
        ),
    },
    "support.private_button": {"zh": "私聊获取帮助", "en": "Get help in private"},
    "support.hours_always": {"zh": "全天 24 小时", "en": "around the clock"},
    "support.hours_daily": {"zh": "每天{window}", "en": "{window} every day"},
    "support.hours_range": {"zh": "{first}至{last} {window}", "en": "{window}, {first} to {last}"},
    "support.hours_days": {"zh": "{days} {window}", "en": "{window} on {days}"},
    "support.weekdays": {
        "zh": "周一、周二、周三、周四、周五、周六、周日",
        "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    },
    "support.list_separator": {"zh": "、", "en": ", "},
    "welcome": {
        "zh": "你好{name}，我是{brand}的售后助手。我可以告诉你官方售后入口、核实客服身份。",
        "en": (
            "Hi {name}, I am the {brand} after-sales assistant. I can show you the official "
            "support channels and check whether an account is really official."
        ),
    },
    "help": {
        "zh": (
            "可用命令：\n"
            "/support 官方售后入口与防骗提醒\n"
            "/verify <账号|手机号|QQ|链接> 核实是否官方\n"
            "/complain 提交投诉（私聊中一步步填写）\n"
            "/ticket [工单号] 查看我的工单\n"
            "/order <订单号> 查询订单\n"
            "/card <卡密> 查询卡密状态（请私聊）\n"
            "/recharge <订单号> 查询充值进度\n"
            "/cancel 取消当前操作\n"
            "/help 显示本帮助\n"
            "也可以直接用文字提问，例如“售后在哪”。"
        ),
        "en": (
            "Commands:\n"
            "/support official after-sales channels and safety tips\n"
            "/verify <account|phone|QQ|link> check whether it is official\n"
            "/complain file a complaint (step by step, in private)\n"
            "/ticket [number] your tickets\n"
            "/order <number> order status\n"
            "/card <key> card-key status (in private)\n"
            "/recharge <number> top-up progress\n"
            "/cancel cancel what you are doing\n"
            "/help show this help\n"
            "You can also just ask, e.g. 'where is after-sales?'."
        ),
    },
    "unknown_command": {
        "zh": "没有“/{command}”这个命令。发送 /help 查看可用命令。",
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
        "zh": "我还不太明白你的意思。需要售后帮助请发送 /support，查看全部命令请发送 /help。",
        "en": (
            "I am not sure what you mean. Send /support for after-sales help, /help for commands."
        ),
    },
    "smalltalk.greeting": {
        "zh": (
            "你好！我是{brand}的售后助手。有售后问题直接告诉我就行，"
            "例如“售后在哪”“卡密用不了”“我要投诉”。"
        ),
        "en": (
            "Hello! I am the {brand} after-sales assistant. Just tell me what you need, "
            "e.g. 'where is support', 'my card key does not work' or 'I want to complain'."
        ),
    },
    "smalltalk.thanks": {
        "zh": "不客气！还有问题随时找我。",
        "en": "You are welcome! Ask me any time.",
    },
    "internal_error": {
        "zh": "抱歉，处理你的消息时出了点问题，已记录。请稍后再试，或通过 /support 联系官方客服。",
        "en": (
            "Sorry, something went wrong while handling your message; it has been logged. "
            "Please try again later, or contact official support via /support."
        ),
    },
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
    "complaint.private_button": {"zh": "提交投诉", "en": "File a complaint"},
    "complaint.go_private": {
        "zh": "投诉涉及订单等个人信息，请点击下方按钮在私聊中提交，我会一步步引导你。",
        "en": "Complaints involve your order details, so let's do this in private: tap the button below.",
    },
    "complaint.already_running": {
        "zh": "你有一个正在填写的投诉，我们接着来（发送 /cancel 可取消）：",
        "en": "You already have a complaint in progress; let's continue (/cancel to stop):",
    },
    "complaint.ask_category": {
        "zh": "请选择你遇到的问题类型（点按钮，或回复序号 1-6）：",
        "en": "What kind of problem is it? (tap a button, or reply 1-6)",
    },
    "complaint.bad_category": {
        "zh": "没能识别问题类型。请点下面的按钮，或回复序号 1-6，例如回复 1 表示“卡密无效”。",
        "en": "I could not tell the problem type. Tap a button below, or reply with 1-6.",
    },
    "complaint.ask_order": {
        "zh": "请发送订单号（在订单详情页可复制，例如 DD2026112000001）。",
        "en": "Please send the order number (copy it from the order page, e.g. DD2026112000001).",
    },
    "complaint.order_required": {
        "zh": "这类问题需要订单号才能查询处理，请发送订单号（例如 DD2026112000001）。",
        "en": "This kind of problem needs the order number; please send it (e.g. DD2026112000001).",
    },
    "complaint.bad_order_format": {
        "zh": "这看起来不像订单号。订单号一般是字母加数字，例如 DD2026112000001，可在订单详情页复制后发给我。",
        "en": "That does not look like an order number. It is letters and digits, e.g. DD2026112000001; copy it from the order page.",
    },
    "complaint.order_not_found": {
        "zh": "没有查到订单{order_no}。请核对后重新发送（注意字母 O 和数字 0）。",
        "en": "I could not find order {order_no}. Please check it and send it again (O versus 0).",
    },
    "complaint.shop_unavailable": {
        "zh": "商城系统暂时查询不到订单{order_no}，我先记下，客服会人工核对。我们继续。",
        "en": "The shop cannot be reached right now; I noted order {order_no} and staff will check it. Let's go on.",
    },
    "complaint.order_not_checked": {
        "zh": "你最近查询订单的次数已达上限，这次没有向商城核对订单{order_no}。我先记下，客服会人工核对。我们继续。",
        "en": "You reached the lookup limit, so order {order_no} was not checked with the shop; I noted it and staff will check it. Let's go on.",
    },
    "complaint.order_found": {
        "zh": "已查到你的订单：\n{order}\n这些信息不用再填写。",
        "en": "Found your order:\n{order}\nNo need to type any of that.",
    },
    "complaint.ask_when": {
        "zh": "问题是什么时候发生的？例如：刚才、昨天下午3点、10月15日14点、2026-11-20 14:00。",
        "en": "When did it happen? e.g. just now, yesterday 3pm, 2026-11-20 14:00.",
    },
    "complaint.bad_when": {
        "zh": "没看懂这个时间。可以这样写：刚才 / 半小时前 / 昨天下午3点 / 10月15日14点 / 2026-11-20 14:00。",
        "en": "I could not read that time. Try: just now / 30 minutes ago / yesterday 3pm / 2026-11-20 14:00.",
    },
    "complaint.when_future": {
        "zh": "这个时间还没到哦，问题发生的时间不能晚于现在，请重新发送。",
        "en": "That time is in the future; please send when it actually happened.",
    },
    "complaint.when_before_order": {
        "zh": "你说的时间（{when}）早于这笔订单的下单时间（{bought}），问题只会发生在下单之后。请重新发送，例如“刚才”“半小时前”或下单之后的具体时间。",
        "en": "That time ({when}) is before the order was placed ({bought}), and the problem can only have happened after that. Send it again, e.g. 'just now', '30 minutes ago' or a time after the order.",
    },
    "complaint.ask_error": {
        "zh": "屏幕上提示了什么？请尽量照原文输入，例如“卡密已过期”“充值失败，请联系客服”。",
        "en": "What did the screen say? Please copy the message, e.g. 'card key expired'.",
    },
    "complaint.bad_error": {
        "zh": "描述太短了，请写下屏幕上的提示原文，或简单描述发生了什么。",
        "en": "That is too short; please copy the message on screen or describe what happened.",
    },
    "complaint.error_needed": {
        "zh": "屏幕上没有提示也没关系，请用一句话描述发生了什么，例如“兑换后余额没有变化”。",
        "en": "No message on screen is fine; describe in a sentence what happened, e.g. 'the balance did not change after redeeming'.",
    },
    "complaint.ask_screenshot": {
        "zh": "有截图的话请发送截图（可选），没有请点“跳过”。",
        "en": "Send a screenshot if you have one (optional), or tap Skip.",
    },
    "complaint.bad_screenshot": {
        "zh": "请直接发送截图图片，或点“跳过”。",
        "en": "Please send the screenshot as an image, or tap Skip.",
    },
    "complaint.screenshot_text_kept": {
        "zh": "这段说明已补充到投诉描述里。有截图的话请发送截图，没有请点“跳过”。",
        "en": "I added that to your description. Send a screenshot if you have one, or tap Skip.",
    },
    "complaint.skip": {"zh": "跳过", "en": "Skip"},
    "complaint.cancel": {"zh": "取消投诉", "en": "Cancel"},
    "complaint.confirm": {"zh": "✅ 确认提交", "en": "✅ Submit"},
    "complaint.edit_order": {"zh": "修改订单号", "en": "Edit order"},
    "complaint.edit_when": {"zh": "修改时间", "en": "Edit time"},
    "complaint.edit_error": {"zh": "修改描述", "en": "Edit message"},
    "complaint.changed_title": {"zh": "已按新订单更新：", "en": "Updated for the new order:"},
    "complaint.changed_order": {"zh": "· 订单：{old} → {new}", "en": "· Order: {old} → {new}"},
    "complaint.changed_when": {
        "zh": "· 发生时间：{old} → {new}（从下单时间{bought}算起）",
        "en": "· When: {old} → {new} (counted from the order time, {bought})",
    },
    "complaint.changed_when_refused": {
        "zh": "· 发生时间：原来填写的{when}早于新订单的下单时间（{bought}），需要重新填写",
        "en": "· When: {when} is before the new order was placed ({bought}); please give it again",
    },
    "complaint.changed_error": {
        "zh": "· 屏幕提示：改为新订单的失败原因“{new}”",
        "en": "· Screen said: now the new order's failure reason, '{new}'",
    },
    "complaint.changed_error_cleared": {
        "zh": "· 屏幕提示：原来的失败原因属于旧订单，已清除，需要重新填写",
        "en": "· Screen said: the old order's failure reason was removed; please give it again",
    },
    "complaint.summary_title": {
        "zh": "请确认投诉内容（时间线 + 异常）：",
        "en": "Please confirm your complaint (timeline + anomaly):",
    },
    "complaint.field_category": {"zh": "问题类型：{value}", "en": "Problem: {value}"},
    "complaint.field_order": {"zh": "订单：{value}", "en": "Order: {value}"},
    "complaint.field_when": {"zh": "发生时间：{value}", "en": "When: {value}"},
    "complaint.field_error": {"zh": "屏幕提示：{value}", "en": "Screen said: {value}"},
    "complaint.field_notes": {"zh": "补充说明：{value}", "en": "Your notes: {value}"},
    "complaint.field_screenshot": {"zh": "截图：{value}", "en": "Screenshot: {value}"},
    "complaint.screenshot_yes": {"zh": "已上传", "en": "attached"},
    "complaint.screenshot_no": {"zh": "无", "en": "none"},
    "complaint.too_many_open": {
        "zh": "你已有{limit}个未处理完的工单，请等待客服处理，或发送 /ticket 查看进度。",
        "en": "You already have {limit} open tickets; please wait for them, or send /ticket to follow them.",
    },
    "complaint.promise_simple": {
        "zh": "我们承诺{hours}小时内首次回复",
        "en": "we promise a first response within {hours} h",
    },
    "complaint.promise_complex": {
        "zh": "该问题需要核查，我们承诺{hours}小时内给出处理方案",
        "en": "this needs investigation; we promise a plan within {hours} h",
    },
    "complaint.created": {
        "zh": "✅ 已提交工单{ticket_no}。{promise}（预计{due}前）。处理有进展会第一时间私信通知你；也可随时发送 /ticket {ticket_no}查看进度。",
        "en": "✅ Ticket {ticket_no} created; {promise} (by {due}). You will hear from me as soon as it moves; send /ticket {ticket_no} any time to check.",
    },
    "ticket.none": {
        "zh": "你还没有工单。遇到问题可以发送 /complain 提交投诉。",
        "en": "You have no tickets. Send /complain to file one.",
    },
    "ticket.list_title": {"zh": "你的工单：", "en": "Your tickets:"},
    "ticket.not_found": {
        "zh": "没有找到工单{ticket_no}（只能查看自己的工单）。",
        "en": "No ticket {ticket_no} (you can only see your own tickets).",
    },
    "ticket.status.open": {"zh": "已受理，等待客服", "en": "open, waiting for staff"},
    "ticket.status.waiting_staff": {"zh": "等待客服回复", "en": "waiting for staff"},
    "ticket.status.waiting_user": {"zh": "等待你的回复", "en": "waiting for you"},
    "ticket.status.resolved": {"zh": "已解决", "en": "resolved"},
    "ticket.status.closed": {"zh": "已关闭", "en": "closed"},
    "ticket.detail": {
        "zh": "工单{ticket_no}\n状态：{status}\n类型：{category}\n提交时间：{created}\n承诺时限：{due}前\n摘要：{summary}",
        "en": "Ticket {ticket_no}\nStatus: {status}\nType: {category}\nCreated: {created}\nDue by: {due}\nSummary: {summary}",
    },
    "lookup.complain_button": {"zh": "提交投诉", "en": "File a complaint"},
    "lookup.reissue_button": {"zh": "⚡ 极速补发", "en": "⚡ Express reissue"},
    "lookup.reissue_offer": {
        "zh": "这笔订单可以极速补发：点下方按钮，无需排队等客服。",
        "en": "This order qualifies for an express reissue: tap the button, no need to wait for staff.",
    },
    "lookup.answered_in_private": {
        "zh": "查询结果涉及个人信息，已私信发给你（如未收到，请先私聊我发送 /start）。",
        "en": "The answer is personal, so I sent it to you in private (if nothing arrived, message me /start first).",
    },
    "reissue.not_the_buyer": {
        "zh": "商城记录显示订单{order_no}不是用你这个账号购买的，不能在这里申请补发。请用下单时登记的账号操作，或发送 /complain 联系客服核实。",
        "en": "The shop's records say order {order_no} was not bought with this account, so it cannot be reissued here. Use the account you ordered with, or send /complain to have staff check it.",
    },
    "button.not_yours": {
        "zh": "这个按钮不是发给你的，或者已经失效。请先用 /order 加订单号查询你自己的订单，再用查询结果下面的按钮。",
        "en": "This button was not issued to you, or it has expired. Look up your own order with /order <number> first, then use the buttons under the answer.",
    },
    "lookup.rate_limited": {
        "zh": "查询太频繁了，请{minutes}分钟后再试。如有急事请发送 /complain 或联系官方客服。",
        "en": "Too many lookups; please try again in {minutes} minutes, or send /complain.",
    },
    "lookup.shop_down": {
        "zh": "商城系统暂时无法查询，请稍后再试；着急的话可以直接提交投诉，客服会人工核对。",
        "en": "The shop cannot be reached right now; try again later, or file a complaint and staff will check.",
    },
    "lookup.order_usage": {
        "zh": "用法：/order 订单号，例如 /order DD2026112000001",
        "en": "Usage: /order <order number>, e.g. /order DD2026112000001",
    },
    "lookup.card_usage": {
        "zh": "用法：/card 卡密（请在私聊中发送，不要发到群里）。",
        "en": "Usage: /card <card key> (in private, never in a group).",
    },
    "lookup.recharge_usage": {
        "zh": "用法：/recharge 订单号，例如 /recharge DD2026112000015",
        "en": "Usage: /recharge <order number>, e.g. /recharge DD2026112000015",
    },
    "lookup.order_not_found": {
        "zh": "没有查到订单{order_no}，请核对后再试（注意字母 O 和数字 0）。",
        "en": "No order {order_no}; please check it (O versus 0).",
    },
    "lookup.card_not_found": {
        "zh": "商城里没有卡密{card}的记录，请核对是否输错；确认无误可以提交投诉。",
        "en": "The shop has no record of card key {card}; check it, or file a complaint.",
    },
    "lookup.recharge_not_found": {
        "zh": "订单{order_no}不是充值订单，或没有查到充值记录。可以用 /order {order_no}查看订单。",
        "en": "Order {order_no} is not a top-up, or has no top-up record; try /order {order_no}.",
    },
    "lookup.order_head": {
        "zh": "订单{order_no}：{product}，¥{amount}，{created}下单。",
        "en": "Order {order_no}: {product}, ¥{amount}, placed {created}.",
    },
    "lookup.order.paid": {
        "zh": "状态：已付款，正在安排发货，通常几分钟内完成。",
        "en": "Status: paid, delivery is being arranged (usually a few minutes).",
    },
    "lookup.order.pending": {
        "zh": "状态：待付款。付款完成后会自动发货；如已付款但显示未付，请提交投诉并附付款截图。",
        "en": "Status: awaiting payment. If you already paid, file a complaint with the payment screenshot.",
    },
    "lookup.order.processing": {
        "zh": "状态：处理中，请稍候；超过预计时间未完成可以提交投诉。",
        "en": "Status: processing; if it takes longer than expected, file a complaint.",
    },
    "lookup.order.delivered": {
        "zh": "状态：已发货（{delivered}），卡密{card}。卡密有问题可以用 /card 查询状态，或点下方按钮投诉。",
        "en": "Status: delivered ({delivered}), card key {card}. Problems? Check it with /card or complain below.",
    },
    "lookup.order.delivered_bulk": {
        "zh": "状态：已发货（{delivered}），共{quantity}张卡密，已一次性发放到商城的订单详情页，请在那里查看或导出。",
        "en": "Status: delivered ({delivered}): {quantity} card keys, all on the order page in the shop; view or export them there.",
    },
    "lookup.order.delivered_topup": {
        "zh": "状态：已完成，{delivered}充值到账。游戏内未到账请重新登录后查看，仍有问题可以点下方按钮投诉。",
        "en": "Status: done, topped up at {delivered}. Re-login to the game if you do not see it; still wrong? Complain below.",
    },
    "lookup.order.failed": {
        "zh": "状态：发货失败。",
        "en": "Status: delivery failed.",
    },
    "lookup.order.abnormal": {
        "zh": "状态：异常，订单正在人工审核，请勿重复付款。需要加急请点下方按钮提交投诉。",
        "en": "Status: held for review. Do not pay again; tap below to file a complaint if it is urgent.",
    },
    "lookup.order.expired": {
        "zh": "状态：已过期关闭（未付款）。如需购买请重新下单。",
        "en": "Status: closed unpaid. Place a new order to buy.",
    },
    "lookup.order.refunded": {
        "zh": "状态：已退款，款项原路退回，一般 1-3 个工作日到账。",
        "en": "Status: refunded to the original payment method, usually within 1-3 working days.",
    },
    "lookup.card.unused": {
        "zh": "卡密{card}（{product}）：未使用，可以正常兑换。兑换方法见商品页说明。",
        "en": "Card key {card} ({product}): unused, ready to redeem.",
    },
    "lookup.card.used": {
        "zh": "卡密{card}（{product}）：已于{used}被使用。如果不是你本人使用，请立即点下方按钮投诉。",
        "en": "Card key {card} ({product}): used at {used}. If that was not you, complain right away.",
    },
    "lookup.card.expired": {
        "zh": "卡密{card}（{product}）：已于{expires}过期。可以点下方按钮申请处理。",
        "en": "Card key {card} ({product}): expired at {expires}. Tap below to ask for help.",
    },
    "lookup.card.invalid": {
        "zh": "卡密{card}（{product}）：无效（已作废）。请点下方按钮投诉，客服会核实补发。",
        "en": "Card key {card} ({product}): invalid (voided). Tap below; staff will check and replace it.",
    },
    "lookup.recharge.pending": {
        "zh": "充值订单{order_no}（{product}，账号{account}）：排队中，{submitted}提交，已等待{elapsed}分钟，通常{usual}分钟内到账。",
        "en": "Top-up {order_no} ({product}, account {account}): queued since {submitted} ({elapsed} min); usually done within {usual} min.",
    },
    "lookup.recharge.processing": {
        "zh": "充值订单{order_no}（{product}，账号{account}）：充值中，{submitted}提交，已进行{elapsed}分钟，该商品通常{usual}分钟内到账。",
        "en": "Top-up {order_no} ({product}, account {account}): in progress since {submitted} ({elapsed} min); usually done within {usual} min.",
    },
    "lookup.recharge.succeeded": {
        "zh": "充值订单{order_no}（{product}，账号{account}）：已于{completed}充值成功。游戏内未到账请重新登录后查看。",
        "en": "Top-up {order_no} ({product}, account {account}): completed at {completed}. Re-login to the game if you do not see it.",
    },
    "lookup.recharge.failed": {
        "zh": "充值订单{order_no}（{product}，账号{account}）：充值失败，原因：{reason}。",
        "en": "Top-up {order_no} ({product}, account {account}): failed, reason: {reason}.",
    },
    "lookup.recharge.by_order": {
        "zh": "充值订单{order_no}（{product}，账号{account}）：{order_status}",
        "en": "Top-up {order_no} ({product}, account {account}): {order_status}",
    },
    "lookup.recharge_overdue": {
        "zh": "已超过通常到账时间，可以点下方按钮提交投诉，客服会优先跟进。",
        "en": "This is taking longer than usual; tap below to file a complaint.",
    },
    "reissue.accepted": {
        "zh": "⚡ 订单{order_no}已提交极速补发（补发单号{reference}），稍后用 /order {order_no}查看结果。",
        "en": "⚡ Express reissue requested for {order_no} (reference {reference}); check with /order {order_no} shortly.",
    },
    "reissue.declined": {
        "zh": "订单{order_no}暂时无法极速补发：{message}。我们转为人工处理，请补充以下信息：",
        "en": "Order {order_no} cannot be reissued automatically: {message}. Let's file it for staff:",
    },
    "reissue.already_accepted": {
        "zh": "订单{order_no}已经提交过极速补发（补发单号{reference}），不会重复补发。请用 /order {order_no}查看进度。",
        "en": "Order {order_no} already has an express reissue (reference {reference}); it will not be done twice.",
    },
    "reissue.already_declined": {
        "zh": "订单{order_no}之前申请的补发未通过，请发送 /complain 由客服人工处理。",
        "en": "The earlier reissue request for {order_no} was declined; send /complain for staff to handle it.",
    },
    "reissue.not_eligible": {
        "zh": "订单{order_no}不符合极速补发条件，转为人工处理，订单号已帮你填好：",
        "en": "Order {order_no} does not qualify for an express reissue; let's file it for staff (order already filled in):",
    },
    "reissue.shop_down": {
        "zh": "商城系统暂时无法处理补发，请稍后再点一次按钮，不会重复补发。",
        "en": "The shop cannot process the reissue right now; tap again later, it will never be done twice.",
    },
    "enterprise.contact": {
        "zh": "🏢 企业客户专属通道：{consultant}，联系方式{contact}。",
        "en": "🏢 Enterprise desk: {consultant}, contact {contact}.",
    },
    "enterprise.no_contact": {
        "zh": "🏢 企业批量采购问题请通过 /support 中的官方渠道联系，注明“企业客户”。",
        "en": "🏢 For bulk purchases, use the official channels in /support and mention 'enterprise'.",
    },
    "enterprise.staff_alert": {
        "zh": "【企业工单{ticket_no}】客户{user}\n{summary}",
        "en": "[Enterprise ticket {ticket_no}] customer {user}\n{summary}",
    },
    "privacy.card_key_removed": {
        "zh": "为保护你的卡密安全，已删除你在群里发的卡密。查询或售后请私聊我。",
        "en": "To keep your card key safe, I removed it from the group. Talk to me in private for help.",
    },
    "faq.resolved": {"zh": "👍 解决了", "en": "👍 Solved"},
    "faq.unresolved": {"zh": "👎 没解决", "en": "👎 Not solved"},
    "faq.human": {"zh": "转人工客服", "en": "Talk to a human"},
    "faq.complain": {"zh": "提交投诉", "en": "File a complaint"},
    "faq.support": {"zh": "官方售后入口", "en": "Official channels"},
    "faq.unsure": {
        "zh": "抱歉，我没能确定你的问题是哪一类。可以转人工客服（会附上你刚才的问题，不用重复），或者直接提交投诉。",
        "en": "Sorry, I am not sure what you need. I can pass your question to a person (no need to repeat it), or you can file a complaint.",
    },
    "faq.thanks": {
        "zh": "很高兴帮到你！还有问题随时找我。",
        "en": "Glad it helped! Ask me any time.",
    },
    "faq.sorry": {
        "zh": "抱歉没能解决。转人工客服时会附上你的问题，不用重复描述：",
        "en": "Sorry about that. A person will get your question with it, no need to repeat:",
    },
    "faq.human_private": {
        "zh": "转人工需要在私聊中进行，请点下方按钮。",
        "en": "Talking to a person happens in private: tap the button below.",
    },
    "faq.handoff_summary": {
        "zh": "用户咨询（{topic}，机器人未能解决）：{question}",
        "en": "Question the bot could not solve ({topic}): {question}",
    },
    "faq.handoff_no_answer": {
        "zh": "（机器人没能识别这个问题，未给出答案）",
        "en": "(the bot could not place this question and gave no answer)",
    },
    "faq.handed_off": {
        "zh": "已转人工：工单{ticket_no}，你的问题已附上，客服会在{hours}小时内回复你。发送 /ticket {ticket_no}可查看进度。",
        "en": "Passed to a person: ticket {ticket_no} with your question attached; staff reply within {hours} h. Send /ticket {ticket_no} to follow it.",
    },
    "faq.handed_off_enterprise": {
        "zh": "已转给{consultant}：工单{ticket_no}，你的问题已附上，{hours}小时内会给你处理方案。发送 /ticket {ticket_no}可查看进度。",
        "en": "Passed to {consultant}: ticket {ticket_no} with your question attached; you will have a plan within {hours} h. Send /ticket {ticket_no} to follow it.",
    },
    "faq.handoff_exists": {
        "zh": "这个问题已经转人工了（工单{ticket_no}），客服正在处理，不用重复提交。发送 /ticket {ticket_no}可查看进度。",
        "en": "This question is already with a person (ticket {ticket_no}); no need to send it again. Send /ticket {ticket_no} to follow it.",
    },
    "faq.handoff_unknown": {
        "zh": "没有找到要转人工的问题。请直接发消息描述你遇到的问题，或点下方按钮提交投诉。",
        "en": "I could not find the question to pass on. Describe your problem in a message, or file a complaint below.",
    },
    "group.verify_hint": {
        "zh": "核实客服身份请发送 /verify @用户名（或手机号、QQ、链接）。官方账号：{accounts}。官方不会主动私聊。",
        "en": "To check an account send /verify @username (or phone, QQ, link). Official accounts: {accounts}. Staff never DM first.",
    },
    "group.go_private": {
        "zh": "订单、卡密、充值问题涉及个人信息，请点下方按钮私聊我处理，不要在群里发卡密。",
        "en": "Orders, card keys and top-ups are personal: tap below to talk in private, and never post card keys in the group.",
    },
    "group.complaint": {
        "zh": "收到你的投诉。为保护隐私，请点下方按钮私聊我提交，我会帮你建工单并告诉你处理时限。",
        "en": "Your complaint is noted. To keep your details private, tap below: I will open a ticket with you in private and tell you the time limit.",
    },
    "group.refund": {
        "zh": "退款需要核对订单，请点下方按钮私聊我申请，不要在群里发订单号或卡密。",
        "en": "A refund needs your order details: tap below to request it in private, and do not post order numbers or card keys here.",
    },
    "group.escalate": {
        "zh": "抱歉让你久等了。请点下方按钮私聊我：已有工单的，超时后我帮你升级给主管；还没有工单的，可以马上提交。",
        "en": "Sorry for the wait. Tap below to talk in private: a ticket past its due time goes up to a supervisor, and without one you can file one right away.",
    },
    "group.ticket": {
        "zh": "工单进度请点下方按钮私聊我查看。",
        "en": "Tap below to see your tickets' progress in private.",
    },
    "group.private_help": {
        "zh": "这个问题需要核对你的信息，请点下方按钮私聊我处理。",
        "en": "This needs your details: tap below to continue in private.",
    },
    "group.hours": {
        "zh": "{brand}客服在线时间：{hours}。简单问题{simple_hours}小时内首次响应，复杂问题{complex_hours}小时内给出方案。",
        "en": "{brand} support is online {hours}. Simple issues get a first response within {simple_hours} h, complex ones a plan within {complex_hours} h.",
    },
    "group.fallback": {
        "zh": "我是{brand}的售后助手，没太明白你的意思。有售后问题请直接说，或点下方按钮私聊我。",
        "en": "I am the {brand} after-sales assistant and did not quite get that. Tell me your after-sales question, or tap below to talk in private.",
    },
    "lookup.ask_order": {
        "zh": "请发送订单号（例如 DD2026112000001）：",
        "en": "Send the order number (e.g. DD2026112000001):",
    },
    "lookup.ask_card": {
        "zh": "请发送卡密（仅在私聊中发送，我只显示打码后的卡密）：",
        "en": "Send the card key (in private only; I only ever show it masked):",
    },
    "lookup.ask_recharge": {"zh": "请发送充值订单号：", "en": "Send the top-up order number:"},
    "escalate.no_ticket": {
        "zh": "你目前没有处理中的工单。遇到问题可以先提交投诉，我们按承诺时限处理。",
        "en": "You have no open ticket. File a complaint and we will keep to the promised times.",
    },
    "staff.btn_claim": {"zh": "接单", "en": "Claim"},
    "staff.btn_reply": {"zh": "回复", "en": "Reply"},
    "staff.btn_escalate": {"zh": "升级", "en": "Escalate"},
    "staff.btn_close": {"zh": "关闭", "en": "Close"},
    "staff.card_title": {
        "zh": "【新工单{ticket_no}】{enterprise}",
        "en": "[New ticket {ticket_no}] {enterprise}",
    },
    "staff.card_simple": {
        "zh": "简单问题 · 首次回复截止{due}",
        "en": "simple · first response due {due}",
    },
    "staff.card_complex": {"zh": "复杂问题 · 处理方案截止{due}", "en": "complex · plan due {due}"},
    "staff.card_user": {"zh": "用户：{user}", "en": "User: {user}"},
    "staff.card_category": {"zh": "类型：{category}", "en": "Type: {category}"},
    "staff.card_order": {"zh": "订单：{order}", "en": "Order: {order}"},
    "staff.card_unverified": {
        "zh": "（商城当时无法查询，未核实）",
        "en": " (shop unreachable, not verified)",
    },
    "staff.card_when": {"zh": "发生时间：{when}", "en": "When: {when}"},
    "staff.card_error": {"zh": "屏幕提示：{error}", "en": "Screen said: {error}"},
    "staff.card_question": {"zh": "用户问题：{question}", "en": "Question: {question}"},
    "staff.card_screenshot": {"zh": "截图：{ref}", "en": "Screenshot: {ref}"},
    "staff.card_summary": {"zh": "摘要：{summary}", "en": "Summary: {summary}"},
    "staff.card_transcript": {
        "zh": "用户与机器人的对话（最近{count}条）：",
        "en": "Chat with the bot (last {count} messages):",
    },
    "staff.refused": {
        "zh": "抱歉，/{command}仅限客服人员在客服群中使用。",
        "en": "Sorry, /{command} is for support staff in the staff chat only.",
    },
    "staff.no_such_ticket": {
        "zh": "没有找到工单{ticket_no}。用法：/claim T-240001",
        "en": "No ticket {ticket_no}. Usage: /claim T-240001",
    },
    "staff.already_closed": {
        "zh": "工单{ticket_no}已经关闭。",
        "en": "Ticket {ticket_no} is already closed.",
    },
    "staff.claimed": {
        "zh": "工单{ticket_no}已由{agent}接单。",
        "en": "Ticket {ticket_no} claimed by {agent}.",
    },
    "staff.user_claimed": {
        "zh": "你的工单{ticket_no}已有客服接手，正在处理。",
        "en": "Your ticket {ticket_no} has been picked up by our staff.",
    },
    "staff.reply_usage": {
        "zh": "回复用户请发送：/reply {ticket_no}回复内容",
        "en": "To reply, send: /reply {ticket_no} your message",
    },
    "staff.close_usage": {
        "zh": "关闭工单请写明原因：/close {ticket_no}处理结果",
        "en": "To close, give the outcome: /close {ticket_no} outcome",
    },
    "staff.signature": {"zh": "{brand}客服", "en": "{brand} support"},
    "staff.signature_named": {"zh": "{brand}客服{name}", "en": "{brand} support ({name})"},
    "staff.user_reply": {
        "zh": "【{agent}】关于工单{ticket_no}：\n{text}\n（直接回复这条消息即可继续沟通）",
        "en": "[{agent}] about ticket {ticket_no}:\n{text}\n(just reply here to answer)",
    },
    "staff.attachment_not_passed": {
        "zh": "（客服发送了{count}个附件，跨平台无法直接转发，如需要请向客服索取）",
        "en": "({count} attachment(s) from staff could not be passed across platforms; ask staff if you need them)",
    },
    "staff.reply_sent": {
        "zh": "已发送给工单{ticket_no}的用户。",
        "en": "Sent to the user of {ticket_no}.",
    },
    "staff.user_answered": {
        "zh": "【{ticket_no}用户回复】{user}：\n{text}",
        "en": "[{ticket_no} user reply] {user}:\n{text}",
    },
    "staff.relayed": {
        "zh": "已转给处理工单{ticket_no}的客服。",
        "en": "Passed on to the staff handling {ticket_no}.",
    },
    "staff.flow_paused_complaint": {
        "zh": "（你还没填完的投诉先暂停了：发送 /complain 接着填写，发送 /cancel 放弃。）",
        "en": "(Your unfinished complaint is on hold: send /complain to go on with it, or /cancel to drop it.)",
    },
    "staff.flow_paused": {
        "zh": "（你之前未完成的操作先暂停了：想继续，请点它的按钮或重新发送命令；发送 /cancel 放弃。）",
        "en": "(Your unfinished request is on hold: tap its button or send its command again to go on, or /cancel to drop it.)",
    },
    "staff.user_closed": {
        "zh": "你的工单{ticket_no}已处理完成：{reason}\n请为本次服务打分（1-5 星）：",
        "en": "Your ticket {ticket_no} is resolved: {reason}\nPlease rate our help (1-5 stars):",
    },
    "staff.closed": {
        "zh": "工单{ticket_no}已关闭，已请用户评分。",
        "en": "Ticket {ticket_no} closed; the user was asked to rate it.",
    },
    "staff.top_level": {
        "zh": "工单{ticket_no}已在最高级别。",
        "en": "Ticket {ticket_no} is already at the top level.",
    },
    "staff.user_not_due": {
        "zh": "工单{ticket_no}还在承诺时限内（预计{due}前回复），超时未处理你可以再次发送 /escalate 升级。",
        "en": "Ticket {ticket_no} is within its promised time (by {due}); if it passes, send /escalate again.",
    },
    "staff.user_top_level": {
        "zh": "工单{ticket_no}已升级到最高级别，负责人正在跟进。",
        "en": "Ticket {ticket_no} is already with the most senior level.",
    },
    "sla.staff_alert": {
        "zh": "【升级至{level}】工单{ticket_no}（{reason}）\n{summary}",
        "en": "[Escalated to {level}] ticket {ticket_no} ({reason})\n{summary}",
    },
    "sla.reason_sla": {"zh": "超过承诺时限未处理", "en": "past its promised time"},
    "sla.reason_staff": {"zh": "客服手动升级", "en": "escalated by staff"},
    "sla.reason_user": {"zh": "用户要求升级", "en": "escalation asked by the user"},
    "sla.user_notice": {
        "zh": "你的工单{ticket_no}已升级至{level}跟进，我们会尽快给你答复。",
        "en": "Your ticket {ticket_no} has been escalated to {level}; you will hear from us soon.",
    },
    "rating.thanks": {
        "zh": "感谢你的{score}星评分！还可以写一句评价（可选），或点“跳过”。",
        "en": "Thanks for the {score}-star rating! Add a comment if you like, or tap Skip.",
    },
    "rating.already": {
        "zh": "这个工单已经评过分了，谢谢！",
        "en": "You already rated this ticket, thanks!",
    },
    "rating.invalid": {
        "zh": "这个评分按钮无效：只能给你自己的工单评分，请使用工单关闭时收到的评分按钮。",
        "en": "That rating button is not valid: you can only rate your own ticket, with the buttons sent when it closed.",
    },
    "rating.not_closed": {
        "zh": "工单{ticket_no}还在处理中，暂时不能评分；关闭后我会请你评分。",
        "en": "Ticket {ticket_no} is still being handled, so it cannot be rated yet; I will ask you once it is closed.",
    },
    "rating.comment_saved": {"zh": "评价已收到，谢谢你的反馈！", "en": "Comment saved, thank you!"},
    "rating.done": {"zh": "好的，谢谢！", "en": "OK, thank you!"},
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
    "support.accounts_note": {
        "zh": "核实身份以用户名或 ID 为准，名字谁都可以改；可发送 /verify 加对方的用户名或 ID 核实。",
        "en": "Identity is the username or id, not the name (anyone can copy a name); send /verify with their username or id to check.",
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
    "welcome.no_name": {"zh": "", "en": "there"},
    "support.channel_line": {"zh": "{n}. {label}：{value}", "en": "{n}. {label}: {value}"},
    "support.channel_inline": {"zh": "{label}{value}", "en": "{label} {value}"},
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
    "transcript.image": {"zh": "（图片）", "en": "(image)"},
    "transcript.file": {"zh": "（文件）", "en": "(file)"},
    "staff.who.user": {"zh": "用户", "en": "User"},
    "staff.who.bot": {"zh": "机器人", "en": "Bot"},
    "staff.who.staff": {"zh": "客服", "en": "Staff"},
    "staff.transcript_line": {"zh": "  {who}：{text}", "en": "  {who}: {text}"},
    "staff.transcript_summary": {
        "zh": "（给用户看了上面的摘要，请其确认）",
        "en": "(showed the user the summary above to confirm)",
    },
    "staff.screenshot_attached": {"zh": "已上传，见附件", "en": "sent, attached below"},
    "staff.screenshot_elsewhere": {
        "zh": "已在{platform}上传，无法跨平台转发，需要时请向用户索取",
        "en": "sent on {platform}; it cannot be passed across platforms, ask the user if needed",
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
        template = entry[locale] if locale in entry else entry[self.default_locale]
        return fill(template, values) if values else template


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_START = re.compile(r"[A-Za-z0-9@#]")
_LATIN_END = re.compile(r"[A-Za-z0-9%]")
_FORMATTER = string.Formatter()


def _needs_space(before: str, after: str) -> bool:
    """Chinese next to Latin letters or digits gets a space (``订单 DD2026…``, ``你好 Alice``);
    Chinese next to Chinese or to full-width punctuation gets none (``你好阿狸，``)."""
    if not before or not after:
        return False
    left, right = before[-1], after[0]
    return bool(
        (_HAN.match(left) and _LATIN_START.match(right))
        or (_LATIN_END.match(left) and _HAN.match(right))
    )


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template.format(**values)``, spacing each inserted value from its neighbours by
    script: templates never put spaces around a field, so a name reads "你好阿狸" and
    "你好 Alice" alike. Values are inserted once and never re-parsed."""
    out = ""
    for literal, field, spec, conversion in _FORMATTER.parse(template):
        if literal:
            out += " " + literal if _needs_space(out, literal) else literal
        if field is None:
            continue
        value, _ = _FORMATTER.get_field(field, (), values)
        value = _FORMATTER.convert_field(value, conversion)
        shown = _FORMATTER.format_field(value, spec or "")
        out += " " + shown if _needs_space(out, shown) else shown
    return out
