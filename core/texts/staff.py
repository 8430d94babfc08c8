"""The staff desk: ticket cards, staff commands, relays, the SLA clock and transcripts."""

from __future__ import annotations

from core.texts.catalog import Catalog

TEXTS: Catalog = {
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
