"""``/verify`` helpers: classify what a user pasted and look it up in the official list.

`parse_handle` turns free text into a `Handle` of one kind:

* ``username``: ``@xinghe_support``, ``t.me/xinghe_support`` (lower-cased, no ``@``);
* ``user_id``: a Discord mention ``<@123…>`` or a bare 17-20 digit snowflake, a Feishu
  ``open_id`` / ``union_id`` (``ou_…`` / ``on_…``), or anything written as an id
  (``ID 100001``, ``user_id: …``);
* ``phone``: digits only, with full-width, CJK (``四零零``), circled (``①``) digits folded,
  separators removed, ``+86``/``0086`` dropped (a landline then gets its trunk ``0`` back);
* ``qq``: ``QQ 12345678``, ``扣扣:…``, ``企鹅号…``, or a bare 5-11 digit number that is not a
  phone number;
* ``wechat``: ``微信 / vx / wx / v: xxx`` (lower-cased id);
* ``email``: lower-cased, IDNA domain;
* ``url``: compared by registrable domain (IDNA, lower case, ``www.`` and subdomains and path
  ignored), from the Public Suffix List bundled with the ``publicsuffixlist`` package (no
  network: the list ships inside the package and is refreshed by upgrading it);
* ``name``: anything else, normalised with `core.guard.normalize.comparison_key`.

A platform prefix (``telegram:100001``, ``飞书:ou_…``, ``discord: 123…``) or a platform's own
form (a ``t.me`` link, a Discord mention, a Feishu ``ou_`` id) sets `Handle.platform`, and
then only that platform's accounts can match. Malformed input (``x[y.com``) is a name, never
an exception.

`match_official` says which official channel or account a handle is, or ``None``;
`find_lookalike` says which official domain or username a non-matching handle imitates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol
from urllib.parse import urlsplit

import idna
from publicsuffixlist import PublicSuffixList

from core.guard.matcher import OfficialAccountLike, bounded_levenshtein
from core.guard.normalize import comparison_key, strip_invisible, visual_key

__all__ = [
    "Handle",
    "Lookalike",
    "OfficialChannelLike",
    "OfficialMatch",
    "account_key",
    "find_lookalike",
    "fold_digits",
    "match_official",
    "normalize_phone",
    "parse_handle",
    "registrable_domain",
]


class OfficialChannelLike(Protocol):
    """An official entry point (``core.config.OfficialChannel`` satisfies it)."""

    @property
    def kind(self) -> str: ...  # live_chat | ticket | phone | email | website | other
    @property
    def label(self) -> str: ...
    @property
    def value(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Handle:
    """A classified contact handle: ``kind``, the text as given, and its comparison form."""

    kind: str
    value: str
    normalized: str
    platform: str = ""  # telegram | discord | feishu | console when the text says which
    token: str = ""  # the text itself, folded and lower-cased: compared with ids as configured


@dataclass(frozen=True, slots=True)
class OfficialMatch:
    """Which official channel or account a handle is.

    ``matched_by`` is what was compared: ``domain``, ``phone``, ``email``, ``qq``, ``wechat``,
    ``username``, ``user_id`` or ``display_name``. A display name can be copied by anyone,
    so a match by name alone (`name_only`) proves nothing about who is behind an account.
    """

    source: str  # "channel" | "account"
    label: str
    value: str
    matched_by: str
    channel: OfficialChannelLike | None = None
    account: OfficialAccountLike | None = None

    @property
    def name_only(self) -> bool:
        """True when only a display name matched (names are not proof of identity)."""
        return self.matched_by == "display_name"


@dataclass(frozen=True, slots=True)
class Lookalike:
    """An official domain or username that a non-official handle imitates, and how."""

    official: str
    reason: str  # in Chinese, for logs and tools
    # How, for a reply in the reader's language: "embedded", "contains", "domain", "username".
    kind: str = ""
    subject: str = ""  # the imitating domain or username


# --- digits and phones ----------------------------------------------------------------------
_CJK_DIGITS = str.maketrans(
    {"〇": "0", "零": "0", "○": "0", "一": "1", "壹": "1", "幺": "1", "二": "2", "贰": "2",
     "貳": "2", "两": "2", "兩": "2", "三": "3", "叁": "3", "參": "3", "四": "4", "肆": "4",
     "五": "5", "伍": "5", "六": "6", "陆": "6", "陸": "6", "七": "7", "柒": "7", "八": "8",
     "捌": "8", "九": "9", "玖": "9", "O": "0", "o": "0"}
)  # fmt: skip
_DIGIT_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_.·•,，、/\\()（）\[\]【】~～]+")


def fold_digits(text: str) -> str:
    """Fold full-width, circled and Chinese digits to ASCII and drop separators.

    ``"④⓪⓪-８００-一二三四"`` -> ``"4008001234"``. Letters ``O``/``o`` count as zero. Only
    meaningful for text that is a number; other characters are kept.
    """
    text = unicodedata.normalize("NFKC", strip_invisible(text))
    out = []
    for ch in _DIGIT_SEPARATORS.sub("", text).translate(_CJK_DIGITS):
        if ch.isdigit() and not ch.isascii():
            out.append(str(unicodedata.digit(ch, 0)))
        else:
            out.append(ch)
    return "".join(out)


_MOBILE = re.compile(r"1[3-9]\d{9}")
_SERVICE = re.compile(r"[48]00\d{7}")
_LANDLINE = re.compile(r"0[1-9]\d{8,10}")


def normalize_phone(text: str) -> str | None:
    """A Chinese phone number as national digits, or ``None`` if it is not one.

    ``+86 138-1234-5678`` -> ``13812345678``; ``0086 400 800 1234`` -> ``4008001234``;
    ``+86 10 1234 5678`` -> ``01012345678``. A foreign number keeps its ``+`` prefix.
    """
    folded = fold_digits(text)
    if not re.fullmatch(r"\+?\d{5,16}", folded):
        return None
    country = False
    if folded.startswith("+86"):
        digits, country = folded[3:], True
    elif folded.startswith("0086"):
        digits, country = folded[4:], True
    elif folded.startswith("+"):
        return folded if len(folded) >= 8 else None
    elif folded.startswith("86") and len(folded) == 13 and _MOBILE.fullmatch(folded[2:]):
        digits, country = folded[2:], True
    else:
        digits = folded
    if _MOBILE.fullmatch(digits) or _SERVICE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return digits
    if country and 9 <= len(digits) <= 11 and (digits[0] in "23456789" or digits[:2] == "10"):
        return "0" + digits  # +86 drops the trunk zero of a landline's area code (010, 021…)
    return None


# --- domains --------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    # Parses the bundled list once (about 30 ms).
    return PublicSuffixList()


# Reserved names (RFC 2606/6761) are not in the Public Suffix List but are real in tests.
_RESERVED_TLDS = frozenset({"example", "test", "localhost", "invalid", "local", "internal"})


def _idna_host(host: str) -> str | None:
    host = unicodedata.normalize("NFKC", strip_invisible(host)).strip().strip(".").lower()
    if not host:
        return None
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            return host if host.isascii() else None


def registrable_domain(host: str) -> str | None:
    """The registrable domain (eTLD+1) of a host name, IDNA-encoded and lower-case.

    ``www.xinghe-kameng.example`` -> ``xinghe-kameng.example``;
    ``xinghe-kameng.example.com.evil.cn`` -> ``evil.cn``. IP addresses come back as they are.
    """
    ascii_host = _idna_host(host)
    if ascii_host is None:
        return None
    if re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", ascii_host) and any(
        c.isdigit() for c in ascii_host
    ):
        return ascii_host
    found = _psl().privatesuffix(ascii_host)
    return str(found) if found else ascii_host


def _known_tld(host: str) -> bool:
    ascii_host = _idna_host(host)
    if ascii_host is None or "." not in ascii_host:
        return False
    if ascii_host.rsplit(".", 1)[1] in _RESERVED_TLDS:
        return True
    return _psl().publicsuffix(ascii_host, accept_unknown=False) is not None


# --- parsing --------------------------------------------------------------------------------
_DISCORD_MENTION = re.compile(r"<@!?(\d{5,25})>")
_TELEGRAM_LINK = re.compile(
    r"(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)/@?([A-Za-z0-9_]{4,32})/?",
    re.IGNORECASE,
)
_DISCORD_USER_LINK = re.compile(
    r"(?:https?://)?(?:www\.)?discord(?:app)?\.com/users/(\d{5,25})/?", re.IGNORECASE
)
_USERNAME = re.compile(r"@([A-Za-z0-9_.]{2,32})")
_FEISHU_ID = re.compile(r"o[nu]_[0-9a-z]{16,64}", re.IGNORECASE)
_PLATFORM_PREFIX = re.compile(
    r"(telegram|tg|电报|discord|dc|feishu|lark|飞书|console|控制台)\s*[:：]\s*(.+)", re.IGNORECASE
)
_PLATFORM_ALIASES = {"tg": "telegram", "电报": "telegram", "dc": "discord", "lark": "feishu",
                     "飞书": "feishu", "控制台": "console"}  # fmt: skip
_ID_LABEL = re.compile(
    r"(?:open[_ ]?id|union[_ ]?id|user[_ ]?id|用户\s*id|账号\s*id|id)(?:\s*[:：=]\s*|\s+)(\S+)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"([^@\s:/]+)@([^@\s/]+\.[^@\s/]+)")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_BARE_HOST = re.compile(r"[^\s/@:]+\.[^\s/@:.]{2,}(?::\d+)?(?:[/?#].*)?")
_LABEL_SEP = r"\s*(?:号码|号)?\s*[:：=]?\s*"
# "加" / "+" / "➕" in front: "加微信 xxx", "+v xxx". A bare "q" label is safe because a QQ
# value must be digits; a bare "v" / "vx" / "wx" needs a separator ("victor" is a name).
_ADD = r"(?:加|➕|\+)?\s*"
_QQ_LABEL = re.compile(
    rf"{_ADD}(?:qq群?|扣扣|抠抠|企鹅|q号|球球|秋秋|q){_LABEL_SEP}(.+)", re.IGNORECASE
)
_WECHAT_LABEL = re.compile(
    rf"{_ADD}(?:微信|威信|薇信|徽信|维信|v信|weixin|wechat){_LABEL_SEP}(.+)"
    rf"|{_ADD}(?:vx|wx|v|微)\s*(?:号)?\s*[:：=\s]\s*(.+)",
    re.IGNORECASE,
)
_WECHAT_DEFAULT_ID = re.compile(r"wxid_[a-z0-9_-]{4,30}", re.IGNORECASE)
_PHONE_LABEL = re.compile(
    rf"(?:客服电话|客服热线|电话|手机|热线|tel|phone|mobile|call){_LABEL_SEP}(.+)", re.IGNORECASE
)
_WECHAT_ID = re.compile(r"[a-z][-_a-z0-9]{4,30}")
_TRIM = "\"'“”‘’「」『』《》<>()（）[]【】 \t"


def _number_handle(value: str, digits: str) -> Handle | None:
    phone = normalize_phone(digits)
    if phone is not None:
        return Handle("phone", value, phone)
    plain = digits.lstrip("+")
    if not plain.isdigit():
        return None
    if 17 <= len(plain) <= 20:
        return Handle("user_id", value, plain)
    if 5 <= len(plain) <= 11 and plain[0] != "0":
        return Handle("qq", value, plain)
    return None


def _url_handle(value: str, text: str) -> Handle | None:
    candidate = text if _SCHEME.match(text) else "http://" + text
    try:
        parts = urlsplit(candidate)
        host = parts.hostname
    except ValueError:
        return None
    if not host:
        return None
    domain = registrable_domain(host)
    if domain is None:
        return None
    return Handle("url", value, domain)


def _host_of(text: str) -> str:
    """The host of a scheme-less URL, or "" when it does not parse (``x[y.com``)."""
    try:
        return urlsplit("http://" + text).hostname or ""
    except ValueError:
        return ""


def parse_handle(text: str) -> Handle:
    """Classify a user-supplied handle (see the module docstring for the kinds)."""
    value = text.strip()
    folded = unicodedata.normalize("NFKC", strip_invisible(value)).strip()
    platform = ""
    if m := _PLATFORM_PREFIX.fullmatch(folded):
        platform = _PLATFORM_ALIASES.get(m.group(1).lower(), m.group(1).lower())
        folded = m.group(2).strip()
    handle = _classify(value, folded)
    if platform and handle.kind not in ("user_id", "username"):
        # After "telegram:" the rest is an account: a number there is an id, not a QQ.
        digits = fold_digits(folded)
        handle = Handle("user_id", value, digits if digits.isdecimal() else folded.lower())
    hinted = handle.platform or platform
    if platform and handle.platform and handle.platform != platform:
        hinted = "?"  # "telegram:<@123…>" names two platforms: no account can match
    token = folded.strip(_TRIM).lstrip("@").lower()
    return Handle(handle.kind, value, handle.normalized, hinted, token)


def _classify(value: str, folded: str) -> Handle:
    if m := _DISCORD_MENTION.fullmatch(folded):
        return Handle("user_id", value, m.group(1), "discord")
    cleaned = folded.strip(_TRIM)
    if not cleaned:
        return Handle("name", value, "")
    if m := _ID_LABEL.fullmatch(cleaned):
        inner = _classify(value, m.group(1).strip(_TRIM))
        if inner.kind in ("user_id", "username"):
            return inner
        digits = fold_digits(m.group(1))
        return Handle("user_id", value, digits if digits.isdecimal() else m.group(1).lower())
    if _FEISHU_ID.fullmatch(cleaned):
        return Handle("user_id", value, cleaned.lower(), "feishu")
    if m := _TELEGRAM_LINK.fullmatch(cleaned):
        return Handle("username", value, m.group(1).lower(), "telegram")
    if m := _DISCORD_USER_LINK.fullmatch(cleaned):
        return Handle("user_id", value, m.group(1), "discord")
    if m := _USERNAME.fullmatch(cleaned):
        return Handle("username", value, m.group(1).lower())
    if (m := _EMAIL.fullmatch(cleaned)) and not _SCHEME.match(cleaned):
        domain = _idna_host(m.group(2))
        if domain is not None and "." in domain:
            return Handle("email", value, f"{m.group(1).lower()}@{domain}")
    if m := _QQ_LABEL.fullmatch(cleaned):
        digits = fold_digits(m.group(1))
        if digits.isdigit() and 5 <= len(digits) <= 12:
            return Handle("qq", value, digits)
    if m := _PHONE_LABEL.fullmatch(cleaned):
        phone = normalize_phone(m.group(1))
        if phone is not None:
            return Handle("phone", value, phone)
    if m := _WECHAT_LABEL.fullmatch(cleaned):
        wechat = (m.group(1) or m.group(2) or "").strip().strip(_TRIM)
        phone = normalize_phone(wechat)
        if phone is not None:
            return Handle("wechat", value, phone)
        if _WECHAT_ID.fullmatch(wechat.lower()):
            return Handle("wechat", value, wechat.lower())
    if _WECHAT_DEFAULT_ID.fullmatch(cleaned):
        return Handle("wechat", value, cleaned.lower())
    digits = fold_digits(cleaned)
    if re.fullmatch(r"\+?\d+", digits):
        number = _number_handle(value, digits)
        if number is not None:
            return number
    if _SCHEME.match(cleaned) or (_BARE_HOST.fullmatch(cleaned) and _known_tld(_host_of(cleaned))):
        url = _url_handle(value, cleaned)
        if url is not None:
            return url
    return Handle("name", value, comparison_key(cleaned))


# --- matching -------------------------------------------------------------------------------
_URL_KINDS = frozenset({"live_chat", "ticket", "website"})


@lru_cache(maxsize=1024)
def _channel_handle(kind: str, value: str) -> Handle:
    """Parse an official channel's value according to its declared kind."""
    if kind == "phone":
        phone = normalize_phone(value)
        if phone is not None:
            return Handle("phone", value, phone)
    elif kind == "email":
        parsed = parse_handle(value.removeprefix("mailto:"))
        if parsed.kind == "email":
            return parsed
    elif kind in _URL_KINDS:
        url = _url_handle(value, value.strip())
        if url is not None:
            return url
    return parse_handle(value)


def _bare_number(handle: Handle) -> str | None:
    digits = fold_digits(handle.value)
    return digits if digits.isdigit() else None


def match_official(
    handle: Handle,
    channels: Sequence[OfficialChannelLike],
    accounts: Sequence[OfficialAccountLike],
    *,
    prefer_platform: str = "",
) -> OfficialMatch | None:
    """The official channel or account that ``handle`` is, or ``None``.

    Accounts are matched by platform id or username (on the handle's platform when it names
    one); ``prefer_platform``'s accounts are tried first, so an id that exists on two
    platforms resolves to the asker's own.
    """
    if not handle.normalized:
        return None
    bare = _bare_number(handle)
    if not handle.platform:
        for channel in channels:
            official = _channel_handle(channel.kind, channel.value)
            same = official.kind == handle.kind and official.normalized == handle.normalized
            # A bare number may be a phone written without its area code or a QQ number.
            if not same and bare is not None and official.kind in ("phone", "qq"):
                same = bare == official.normalized
            if same:
                by = "domain" if official.kind == "url" else official.kind
                return OfficialMatch("channel", channel.label, channel.value, by, channel=channel)
    ordered = sorted(accounts, key=lambda a: a.platform != prefer_platform)
    for account in ordered:
        if handle.platform and account.platform != handle.platform:
            continue
        found = _account_match(handle, account, bare)
        if found is not None:
            return found
    return None


def account_key(account: OfficialAccountLike) -> str:
    """What identifies an official account: ``platform:@username``, else ``platform:id``."""
    username = account.username.strip().lstrip("@").lower()
    return f"{account.platform}:" + (f"@{username}" if username else account.user_id.strip())


def _account_match(
    handle: Handle, account: OfficialAccountLike, bare: str | None
) -> OfficialMatch | None:
    username = account.username.strip().lstrip("@").lower()
    user_id = str(account.user_id).strip().lower()
    label = account.display_name or account.username or account.user_id

    def found(by: str) -> OfficialMatch:
        return OfficialMatch("account", label, account_key(account), by, account=account)

    if handle.kind == "username" and username and handle.normalized == username:
        return found("username")
    numeric = handle.kind == "user_id" or bare is not None
    if numeric and (bare or handle.normalized) == user_id:
        return found("user_id")
    # Ids as configured (a Feishu user_id, a console id) and usernames that look like
    # something else (Discord's "xinghe.support" has a real top-level domain).
    if user_id and handle.token == user_id:
        return found("user_id")
    if username and handle.token == username and handle.kind in ("url", "name"):
        return found("username")
    if handle.kind == "name":
        if username and handle.normalized == comparison_key(username):
            return found("username")
        if account.display_name and handle.normalized == comparison_key(account.display_name):
            return found("display_name")
    return None


def _domain_label(domain: str) -> str:
    """The registrable label of a domain, decoded from IDNA: ``xn--…`` -> Unicode."""
    label = domain.split(".", 1)[0]
    try:
        return idna.decode(label) if label.startswith("xn--") else label
    except idna.IDNAError:
        return label


def find_lookalike(
    handle: Handle,
    channels: Sequence[OfficialChannelLike],
    accounts: Sequence[OfficialAccountLike],
) -> Lookalike | None:
    """For a non-official URL or username, the official one it imitates, if any.

    Catches an official domain used as a subdomain (``xinghe-kameng.example.evil.cn``),
    look-alike letters (``xlnghe-kameng``, Cyrillic ``і`` in an IDN) and 1-2 character edits.
    """
    if match_official(handle, channels, accounts) is not None:
        return None
    if handle.kind == "url":
        # The whole URL, host and user-info included: "https://official.example@evil.cn/".
        where = _idna_host(_as_url(handle.value).split("://", 1)[-1].split("/", 1)[0]) or ""
        for channel in channels:
            official = _channel_handle(channel.kind, channel.value)
            if official.kind != "url":
                continue
            domain = official.normalized
            if domain in where:
                return Lookalike(
                    domain,
                    f"把官方域名 {domain} 嵌在别的域名里（{handle.normalized}）",
                    "embedded",
                    handle.normalized,
                )
            mine = comparison_key(_domain_label(handle.normalized))
            theirs = comparison_key(_domain_label(domain))
            if len(theirs) >= 6 and (
                theirs in mine or comparison_key(domain) in comparison_key(where)
            ):
                return Lookalike(
                    domain,
                    f"域名 {handle.normalized} 含有官方域名 {domain} 的名字",
                    "contains",
                    handle.normalized,
                )
            if len(theirs) >= 4 and (
                visual_key(mine) == visual_key(theirs) or bounded_levenshtein(mine, theirs, 2) <= 2
            ):
                return Lookalike(
                    domain,
                    f"域名 {handle.normalized} 与官方域名 {domain} 形似",
                    "domain",
                    handle.normalized,
                )
    if handle.kind in ("username", "name"):
        mine = comparison_key(handle.normalized)
        for account in accounts:
            theirs = comparison_key(account.username)
            if len(theirs) >= 5 and (
                visual_key(mine) == visual_key(theirs) or bounded_levenshtein(mine, theirs, 2) <= 2
            ):
                return Lookalike(
                    f"@{account.username}",
                    f"与官方账号 @{account.username} 的用户名形似",
                    "username",
                    handle.normalized,
                )
    return None


def _as_url(text: str) -> str:
    cleaned = unicodedata.normalize("NFKC", strip_invisible(text)).strip().strip(_TRIM)
    return cleaned if _SCHEME.match(cleaned) else "http://" + cleaned
