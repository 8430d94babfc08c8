"""Sharp rules for the small talk around after-sales: greetings, thanks, "有人在吗", chatter.

The intent model sorts messages into the 15 after-sales intents; these rules sit on top of it
(see :mod:`core.nlu.decide`) for what a model trained on requests handles poorly:

* :func:`small_talk` recognises a message that is *only* a greeting or a thank-you ("你好",
  "谢谢客服", "hello!"). A message with anything more ("你好，我的卡密用不了") is not small
  talk, so the rule never swallows a real request.
* :func:`asks_for_someone` recognises a message that only asks whether somebody is there
  ("有人在吗", "在吗", "人呢", "客服在不在"): the buyer wants a human, i.e. ``find_support``.
* :func:`is_chatter` recognises a statement that is not a request: a past problem that was
  solved, or praise ("我上次找客服五分钟就解决了", "你们客服态度真好").
* :func:`names_something_to_verify` says whether a message names something whose
  officialness can be checked (an account, a person, a number, a link); "这个皮肤是真的丑"
  does not, whatever the model makes of "是真的".
* :func:`states_a_problem` says whether a message names an after-sales problem or request
  outright (投诉, 退款, 没到账, 没人回…): a long angry story the model is only fairly sure
  about is still a clear request when it does.

Every rule works on :func:`core.nlu.normalize.normalize_text` output, so traditional
characters, full-width forms and letter case need no separate patterns. All patterns are
anchored or bounded: linear time on any input.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from core.nlu.normalize import normalize_text

SmallTalk = Literal["greeting", "thanks"]

GREETING: Final = "greeting"
THANKS: Final = "thanks"

# Longer than this and a message is a story, not small talk.
_MAX_SMALL_TALK = 40

# Mentions, punctuation, symbols and emoji between the words of a short message.
_NOISE = re.compile(r"@\w+|[^\w]+|_+")

# Words that address someone; they may come before or after a greeting or thanks.
_ADDRESSEE = (
    r"客服|小姐姐|小哥哥|小哥|姐姐|哥哥|机器人|bot|大家|各位|老板|亲|亲亲|管理|管理员|群主|"
    r"你们|你|您|售后|官方|朋友们|家人们|everyone|all|guys|team|you"
)
_PARTICLE = r"呀|啊|哈|呢|啦|哦|喔|嘛|哇|吖|鸭|a|ya|~"
_GREETING_WORDS = (
    r"你好|您好|你们好|大家好|hi|hello|hey|hiya|嗨|哈喽|哈啰|哈罗|早上好|早安|早|上午好|"
    r"中午好|下午好|晚上好|good\s?(?:morning|afternoon|evening)|nihao|ninhao"
)
_THANKS_WORDS = (
    r"谢谢|多谢|感谢|谢了|谢啦|谢谢啦|3q|thx|thanks|thank\s?you|thank\s?u|ty|xiexie|"
    r"辛苦了|辛苦|麻烦了|好的|好滴|好嘞|ok|okay|嗯嗯|嗯|收到"
)
# Acknowledgements alone ("好的", "收到") are not thanks; with a thank-you they are.
_ACK_ONLY = re.compile(r"(?:好的|好滴|好嘞|ok|okay|嗯嗯|嗯|收到)+")
_TOKEN = re.compile(
    rf"(?P<greeting>{_GREETING_WORDS})|(?P<thanks>{_THANKS_WORDS})|(?:{_ADDRESSEE})|(?:{_PARTICLE})"
)

# "Is anybody there?": the whole message (besides greetings and addressees) is one of these.
_SOMEONE = re.compile(
    r"(?:请问)?(?:"
    r"(?:有|有没有)(?:人|真人|客服|售后|人工)(?:在|在线)?(?:吗|么|嘛|没|不)?|"
    r"(?:客服|售后|人工|管理|管理员|你们)?(?:在|在线)(?:吗|么|嘛|不在|没)|"
    r"(?:人|客服|售后|管理员?)(?:呢|去哪了|都去哪了|哪去了)|"
    r"(?:转|找|要)?(?:人工|真人)(?:客服|服务)?|"
    r"anyone\s?(?:here|there|around)|anybody\s?(?:here|there|around)|is\s?anyone\s?(?:here|there)"
    rf")(?:{_PARTICLE})*"
)

# Chatter: a past problem that got solved, or praise, with nothing still open.
_PAST = re.compile(r"上次|之前|以前|那次|上回|上一次|去年|上个月|上周|前几天|前两天|刚才")
_SOLVED_OR_PRAISE = re.compile(
    r"解决了|搞定了|处理好了|弄好了|好了|到账了|到了|退了|退回来了|收到了|就解决|很快|挺快|"
    r"超快|真快|好快|态度(?:真|很|挺|超|特别)?好|服务(?:真|很|挺|超|特别)?好|真好|给力|"
    r"好评|点赞|靠谱|专业|满意|耐心|贴心|不错|nice|great"
)
_STILL_OPEN = re.compile(
    r"还没|还是|没有|没到|没解决|没人|没收到|没发|没回|不(?!错)|差|烂|坑|无效|失败|"
    r"怎么|为什么|为啥|咋|吗|么|\?|这次|这回|现在|今天|但是|但|可是|结果|又|再|投诉|退款吗|"
    r"能不能|可以吗|帮我|请|要|想|如何|哪"
)

# What an officialness question is about: an account, a person, a number, a link.
_VERIFIABLE = re.compile(
    r"客服|官方|官网|售后|管理|群主|号|人|私聊|私信|加我|加了我|联系我|网址|网站|网页|链接|"
    r"连接|微信|vx|wx|qq|电话|手机|店|平台|你们|冒充|假冒|骗|专员|工作人员|员工|二维码|"
    r"support|official|staff|admin|account|link|site|url|number|phone|guanfang|kefu|shouhou|"
    r"@|http|www"
)


def _compact(text: str) -> str:
    """The normalised text without mentions, punctuation, emoji or spaces."""
    return _NOISE.sub("", normalize_text(text))


def small_talk(text: str) -> SmallTalk | None:
    """``"greeting"`` or ``"thanks"`` when the message is only that, else None.

    A message that also asks something ("你好，我的卡密用不了", "谢谢，但还是没到账") is not
    small talk; neither is an acknowledgement alone ("好的", "收到").
    """
    compact = _compact(text)
    if not compact or len(compact) > _MAX_SMALL_TALK or _ACK_ONLY.fullmatch(compact):
        return None
    kind: SmallTalk | None = None
    position = 0
    while position < len(compact):
        token = _TOKEN.match(compact, position)
        if token is None or token.end() == position:
            return None
        if token.group("thanks"):
            kind = THANKS
        elif token.group("greeting") and kind is None:
            kind = GREETING
        position = token.end()
    return kind


_THANKS_ANYWHERE = re.compile(r"谢谢|多谢|感谢|谢了|谢啦|3q|thx|thanks|thank\s?you|xiexie")


def thanks_in(text: str) -> bool:
    """True when the message says thank you somewhere ("卡密收到了，谢谢")."""
    return bool(_THANKS_ANYWHERE.search(normalize_text(text)))


def asks_for_someone(text: str) -> bool:
    """True when the message only asks whether a person is there ("有人在吗", "在吗")."""
    compact = _compact(text)
    if not compact or len(compact) > _MAX_SMALL_TALK:
        return False
    # Leading greetings and addressees ("你好，有人在吗", "客服，在吗") are fine.
    position = 0
    while position < len(compact):
        if _SOMEONE.fullmatch(compact, position):
            return True
        token = _TOKEN.match(compact, position)
        if token is None or token.end() == position or token.group("thanks"):
            return False
        position = token.end()
    return False


def is_chatter(text: str) -> bool:
    """True for a statement about a past, solved problem or praise, with nothing still open."""
    folded = normalize_text(text)
    if _STILL_OPEN.search(folded) or not _SOLVED_OR_PRAISE.search(folded):
        return False
    # Praise needs no past tense ("客服态度真好"); "到账了" alone might be news, so it does.
    return bool(_PAST.search(folded)) or _is_praise(folded)


_PRAISE = re.compile(
    r"态度(?:真|很|挺|超|特别)?好|服务(?:真|很|挺|超|特别)?好|给力|好评|点赞|靠谱|专业|满意|"
    r"耐心|贴心|(?:真|很|挺|超|特别)(?:快|好|棒)"
)


def _is_praise(folded: str) -> bool:
    return bool(_PRAISE.search(folded))


def names_something_to_verify(text: str) -> bool:
    """True when the message names an account, person, number or link to check."""
    return bool(_VERIFIABLE.search(normalize_text(text)))


_PROBLEM = re.compile(
    r"投诉|举报|退款|退钱|主管|经理|领导|没人回|没人理|没人管|不回|不理|人工|售后|客服|工单|"
    r"没到账|未到账|不到账|没发货|未发货|不发货|没收到|没给|用不了|无效|已被?使用|过期|冻结|"
    r"封号|登录不了|登不上|被盗|骗子|骗钱|充值失败|失败了"
)


def states_a_problem(text: str) -> bool:
    """True when the message names an after-sales problem or request outright."""
    return bool(_PROBLEM.search(normalize_text(text)))
