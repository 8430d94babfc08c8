"""The impostor guard's vocabulary: the word lists that `core.guard.claims` segments names into.

Each list is one category (see `core.guard.claims` for how they are scored). Words are written
as people type them; they are normalised (simplified, case-folded) when the analyser is built.
Configured role words (``[guard] role_words``) add to `BUILTIN_ROLE_WORDS`; a configured word
that is listed in `WEAK_ROLE_WORDS` stays weak (``help`` or ``cs`` alone are not claims).
"""

from __future__ import annotations

__all__ = [
    "BENIGN_WORDS",
    "BUILTIN_ROLE_WORDS",
    "DISCLAIMER_WORDS",
    "GENERIC_SHOP_WORDS",
    "NEUTRAL_WORDS",
    "ROLE_ABBREVIATIONS",
    "STAFF_WORDS",
    "WEAK_ROLE_WORDS",
]

#: Staff-role synonyms that always count, besides the configured role words.
BUILTIN_ROLE_WORDS: tuple[str, ...] = (
    "官方", "客服", "售后", "管理员", "人工客服", "在线客服", "客服专员", "售后专员", "退款专员",
    "售后服务", "客服经理", "客服主管", "售后主管", "工作人员", "官方人员", "技术支持", "站长",
    "店长", "群主", "版主",
    "admin", "administrator", "support", "service", "services", "helpdesk", "staff",
    "official", "moderator", "customerservice", "customersupport", "aftersales", "aftersale",
    "customercare", "servicedesk", "helpcenter", "helpteam",
    "kefu", "guanfang", "shouhou", "guanliyuan",
)  # fmt: skip

#: Role-ish words too common to count alone: a Han one counts in a name with the brand (or an
#: agent's name) in it; a Latin one only right next to the brand or a counted role word
#: (``xinghe_help``, ``GF星河``; not ``help me``, ``cs student``, ``my gf``). A Latin one of
#: two or three letters (``cs``, ``gf``) counts only when nothing else is left in the name.
WEAK_ROLE_WORDS: tuple[str, ...] = (
    "管理", "退款", "运营", "财务", "官号", "充值", "代充", "补发", "理赔", "客诉", "人工",
    "专员", "顾问", "专属顾问", "客户经理", "经理", "专属", "客户代表", "对接人",
    "kf", "mod", "refund", "cs", "gf", "help", "care", "team", "crew", "desk",
)  # fmt: skip

#: Ordinary words that contain a weak role word and mean something else: they hide it, and
#: count as the leftover of the name (``星河卡盟人工智能`` is no 人工 claim, nor ``CS:GO``).
NEUTRAL_WORDS: tuple[str, ...] = (
    "人工智能", "人工湖", "财务自由", "经理人", "职业经理人", "csgo", "cs2", "gfriend",
)  # fmt: skip

#: Weak Latin abbreviations that are a claim when they stand as a word of their own ("kf小王").
ROLE_ABBREVIATIONS: frozenset[str] = frozenset({"kf"})

#: Words that complete a staff name without being a claim by themselves.
STAFF_WORDS: tuple[str, ...] = (
    "主管", "组长", "团队", "小组", "中心", "部", "组", "号", "值班", "热线",
    "专线", "服务", "服务中心", "在线", "小助手", "助手", "助理", "勿私聊", "不私聊",
    "不会私聊", "不会主动私聊", "不主动私聊", "绝不私聊", "从不私聊", "私聊", "谨防诈骗",
    "谨防受骗", "防骗", "认准", "唯一", "正牌", "24小时", "全天", "我是", "我就是", "本人是",
    "center", "centre", "bot", "online", "office", "agent",
)  # fmt: skip

#: Warnings in the voice of the account itself ("(假冒必究)", "谨防他人冒充"). After a role or
#: brand word they are decoration and do not lower the verdict; before any (``谨防假冒客服``)
#: they talk about staff and count as benign context.
DISCLAIMER_WORDS: tuple[str, ...] = (
    "假冒必究", "冒充必究", "仿冒必究", "盗用必究", "违者必究", "必究", "谨防冒充", "谨防假冒",
    "谨防仿冒", "谨防他人冒充", "谨防他人假冒", "严防冒充", "谨防被骗", "谨防骗子", "小心骗子",
    "小心冒充", "当心冒充", "谨防上当", "认准本人", "认准本号", "其他都是骗子", "其他都是假的",
    "冒充死全家", "勿信冒充", "勿信他人", "他人冒充", "防冒充",
)  # fmt: skip

#: Words naming the kind of shop: part of a brand claim, never a claim alone.
GENERIC_SHOP_WORDS: tuple[str, ...] = (
    "卡盟", "商城", "平台", "发卡", "发卡网", "卡网", "网店", "小店", "商店", "店铺", "官网",
    "shop", "store", "mall", "kameng",
)  # fmt: skip

#: Context showing that a name talks *about* staff or the brand instead of claiming to be it.
BENIGN_WORDS: tuple[str, ...] = (
    "骗子", "骗", "假", "冒充", "举报", "投诉", "曝光", "避雷", "维权", "吐槽", "被骗", "受害",
    "受害者", "吗", "嘛", "么", "呢", "吧", "啊", "呀", "是", "不", "没", "别", "找", "求", "问",
    "哪", "哪里", "谁", "怎么", "什么", "为什么", "玩家", "用户", "粉丝", "粉", "会员", "买家",
    "顾客", "路人", "学生", "爱好者", "忠实", "老铁", "铁粉", "萌新", "新人", "我", "你", "他",
    "她", "支持者", "学", "课", "考试", "专业", "等", "回复", "多少", "联系", "一下", "了",
    "朋友", "老公", "老婆", "女朋友", "男朋友", "家属", "同学", "前任",
    "fan", "fans", "player", "gamer", "user", "lover", "supporter", "supporters", "scam",
    "scammer", "fake", "not", "victim", "hater", "student", "customer", "buyer", "me", "my",
    "us", "plz", "please", "need", "needed", "wanted",
)  # fmt: skip
