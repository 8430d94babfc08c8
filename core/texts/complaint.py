"""The complaint flow, tickets as the buyer sees them, ratings and escalation requests."""

from __future__ import annotations

from core.texts.catalog import Catalog

TEXTS: Catalog = {
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
    "escalate.no_ticket": {
        "zh": "你目前没有处理中的工单。遇到问题可以先提交投诉，我们按承诺时限处理。",
        "en": "You have no open ticket. File a complaint and we will keep to the promised times.",
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
}
