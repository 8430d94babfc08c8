"""What buyers read outside the complaint flow: the support answer, help, small talk, FAQ hand-offs, group lines and the generic replies."""

from __future__ import annotations

from core.texts.catalog import Catalog

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
    "button.not_yours": {
        "zh": "这个按钮不是发给你的，或者已经失效。请先用 /order 加订单号查询你自己的订单，再用查询结果下面的按钮。",
        "en": "This button was not issued to you, or it has expired. Look up your own order with /order <number> first, then use the buttons under the answer.",
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
    "support.accounts_note": {
        "zh": "核实身份以用户名或 ID 为准，名字谁都可以改；可发送 /verify 加对方的用户名或 ID 核实。",
        "en": "Identity is the username or id, not the name (anyone can copy a name); send /verify with their username or id to check.",
    },
    "welcome.no_name": {"zh": "", "en": "there"},
    "support.channel_line": {"zh": "{n}. {label}：{value}", "en": "{n}. {label}: {value}"},
    "support.channel_inline": {"zh": "{label}{value}", "en": "{label} {value}"},
}
