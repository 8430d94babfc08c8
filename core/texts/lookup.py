"""Self-service lookups (orders, card keys, top-ups), express reissue and the enterprise route."""

from __future__ import annotations

from core.texts.catalog import Catalog

TEXTS: Catalog = {
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
    "lookup.ask_order": {
        "zh": "请发送订单号（例如 DD2026112000001）：",
        "en": "Send the order number (e.g. DD2026112000001):",
    },
    "lookup.ask_card": {
        "zh": "请发送卡密（仅在私聊中发送，我只显示打码后的卡密）：",
        "en": "Send the card key (in private only; I only ever show it masked):",
    },
    "lookup.ask_recharge": {"zh": "请发送充值订单号：", "en": "Send the top-up order number:"},
}
