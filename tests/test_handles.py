"""Tests of ``/verify`` handle parsing and matching against the official channels and accounts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.guard.handles import (
    Handle,
    find_lookalike,
    fold_digits,
    match_official,
    normalize_phone,
    parse_handle,
    registrable_domain,
)


@dataclass(frozen=True)
class Channel:
    kind: str
    label: str
    value: str


@dataclass(frozen=True)
class Account:
    platform: str
    user_id: str
    username: str = ""
    display_name: str = ""
    role: str = "客服"


CHANNELS = (
    Channel("live_chat", "在线客服", "https://www.xinghe-kameng.example/support"),
    Channel("phone", "客服电话", "400-800-1234"),
    Channel("email", "客服邮箱", "support@xinghe-kameng.example"),
    Channel("other", "官方QQ群", "QQ群: 123456789"),
    Channel("other", "官方微信", "微信: xinghe_kf"),
    Channel("phone", "投诉专线", "+86 10 8888 6666"),
)
ACCOUNTS = (
    Account("telegram", "100001", "xinghe_support", "星河卡盟官方客服"),
    Account("telegram", "100002", "xinghe_aftersales", "星河售后-小雅", "售后"),
    Account("discord", "712345678901234567", "xinghe.support", "XingHe Support"),
)


def _match(text: str) -> tuple[Handle, str | None, str | None]:
    handle = parse_handle(text)
    found = match_official(handle, CHANNELS, ACCOUNTS)
    return handle, (found.label if found else None), (found.matched_by if found else None)


# --- usernames and user ids ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("@xinghe_support", "星河卡盟官方客服"),
        ("@XINGHE_SUPPORT", "星河卡盟官方客服"),
        ("  @xinghe_aftersales ", "星河售后-小雅"),
        ("t.me/xinghe_support", "星河卡盟官方客服"),
        ("https://t.me/xinghe_aftersales", "星河售后-小雅"),
        ("@xinghe.support", "XingHe Support"),
    ],
)
def test_username_matches(text: str, label: str) -> None:
    handle, found, by = _match(text)
    assert handle.kind == "username"
    assert (found, by) == (label, "username")


@pytest.mark.parametrize("text", ["@xinghe_supp0rt", "@xinghe_support_", "@xlnghe_support"])
def test_lookalike_usernames_do_not_match(text: str) -> None:
    handle, found, _ = _match(text)
    assert handle.kind == "username" and found is None
    lookalike = find_lookalike(handle, CHANNELS, ACCOUNTS)
    assert lookalike is not None and lookalike.official == "@xinghe_support"


def test_discord_mention_and_user_id() -> None:
    for text in ("<@712345678901234567>", "<@!712345678901234567>", "712345678901234567"):
        handle, found, by = _match(text)
        assert handle.kind == "user_id" and handle.normalized == "712345678901234567"
        assert (found, by) == ("XingHe Support", "user_id")
    handle, found, _ = _match("<@799999999999999999>")
    assert handle.kind == "user_id" and found is None


# --- phones ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "400-800-1234",
        "4008001234",
        "400 800 1234",
        "４００－８００－１２３４",  # full-width
        "四零零八零零一二三四",  # CJK digits
        "④⓪⓪-⑧⓪⓪-①②③④",  # circled digits
        "+86 400 800 1234",
        "0086-400-800-1234",
        "电话：400.800.1234",
    ],
)
def test_phone_variants_match(text: str) -> None:
    handle, found, by = _match(text)
    assert handle.kind == "phone" and handle.normalized == "4008001234"
    assert (found, by) == ("客服电话", "phone")


def test_landline_with_and_without_country_code() -> None:
    for text in ("010-8888-6666", "+86 10 8888 6666", "0086 10 88886666"):
        handle, found, _ = _match(text)
        assert handle.kind == "phone" and handle.normalized == "01088886666", text
        assert found == "投诉专线"


def test_other_phones_do_not_match() -> None:
    for text in ("400-800-1235", "+86 138 1234 5678", "13812345678"):
        handle, found, _ = _match(text)
        assert handle.kind == "phone" and found is None, text
    assert parse_handle("+86 138-1234-5678").normalized == "13812345678"
    assert parse_handle("8613812345678").normalized == "13812345678"


def test_fold_digits_and_normalize_phone() -> None:
    assert fold_digits("①②③ ４５６-七八九〇") == "1234567890"
    assert normalize_phone("+1 415 555 0100") == "+14155550100"
    assert normalize_phone("12345") is None
    assert normalize_phone("hello") is None


# --- QQ and WeChat ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "QQ 123456789",
        "qq:123456789",
        "扣扣：一二三四五六七八九",
        "企鹅号 123456789",
        "QQ群 123456789",
    ],
)
def test_qq_variants_match(text: str) -> None:
    handle, found, by = _match(text)
    assert handle.kind == "qq" and handle.normalized == "123456789"
    assert (found, by) == ("官方QQ群", "qq")


def test_qq_non_match_and_bare_number() -> None:
    handle, found, _ = _match("QQ 987654321")
    assert handle.kind == "qq" and found is None
    handle, found, _ = _match("123456789")  # a bare number is read as QQ and still matches
    assert handle.kind == "qq" and found == "官方QQ群"
    handle, found, _ = _match("100001")  # a bare number may be an account's user id
    assert found == "星河卡盟官方客服"


@pytest.mark.parametrize(
    "text", ["微信 xinghe_kf", "vx: Xinghe_KF", "wx xinghe_kf", "v: xinghe_kf", "WeChat：xinghe_kf"]
)
def test_wechat_variants_match(text: str) -> None:
    handle, found, by = _match(text)
    assert handle.kind == "wechat" and handle.normalized == "xinghe_kf"
    assert (found, by) == ("官方微信", "wechat")


def test_wechat_non_match() -> None:
    handle, found, _ = _match("微信: xinghe_kf2")
    assert handle.kind == "wechat" and found is None
    assert parse_handle("victor").kind == "name"  # "v" needs a separator to be a label


# --- URLs and e-mail -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "https://www.xinghe-kameng.example/support",
        "https://xinghe-kameng.example/support/ticket?id=1",  # a subpath
        "http://XINGHE-KAMENG.EXAMPLE./a",
        "xinghe-kameng.example",
        "www.xinghe-kameng.example/help",
        "https://help.xinghe-kameng.example/",  # a subdomain belongs to the same owner
    ],
)
def test_official_urls_match(text: str) -> None:
    handle, found, by = _match(text)
    assert handle.kind == "url" and handle.normalized == "xinghe-kameng.example"
    assert (found, by) == ("在线客服", "domain")


@pytest.mark.parametrize(
    "text",
    [
        "https://xinghe-kameng.example.com.evil.cn/support",
        "xlnghe-kameng.example",
        "https://www.xinghe-kameng.example@evil.cn/",
        "http://xіnghe-kameng.example/",  # Cyrillic і: a different IDN
        "https://xinghe-kameng-example.top/",
    ],
)
def test_lookalike_domains_do_not_match(text: str) -> None:
    handle, found, _ = _match(text)
    assert handle.kind == "url" and found is None
    lookalike = find_lookalike(handle, CHANNELS, ACCOUNTS)
    assert lookalike is not None and lookalike.official == "xinghe-kameng.example"


def test_unrelated_url_is_not_a_lookalike() -> None:
    handle, found, _ = _match("https://example.org/xinghe")
    assert handle.kind == "url" and found is None
    assert find_lookalike(handle, CHANNELS, ACCOUNTS) is None


def test_registrable_domain() -> None:
    assert registrable_domain("www.xinghe-kameng.example") == "xinghe-kameng.example"
    assert registrable_domain("a.b.evil.com.cn") == "evil.com.cn"
    assert registrable_domain("星河卡盟.中国") == "xn--hlrz94bmyewwl.xn--fiqs8s"
    assert registrable_domain("user.github.io") == "user.github.io"  # private PSL section
    assert registrable_domain("127.0.0.1") == "127.0.0.1"


def test_email() -> None:
    handle, found, by = _match("SUPPORT@Xinghe-Kameng.Example")
    assert handle.kind == "email" and handle.normalized == "support@xinghe-kameng.example"
    assert (found, by) == ("客服邮箱", "email")
    handle, found, _ = _match("refund@xinghe-kameng.example")
    assert handle.kind == "email" and found is None


# --- plain names -----------------------------------------------------------------------------
def test_names_match_only_as_names() -> None:
    handle, found, by = _match("星河卡盟官方客服")
    assert handle.kind == "name" and (found, by) == ("星河卡盟官方客服", "display_name")
    result = match_official(handle, CHANNELS, ACCOUNTS)
    assert result is not None and result.name_only
    handle, found, by = _match("xinghe_support")
    assert handle.kind == "name" and by == "username"
    for text in ("Kevin", "一只猫", "Tom.Lee", "星河卡盟客服"):
        handle, found, _ = _match(text)
        assert handle.kind == "name" and found is None, text


def test_empty_input() -> None:
    handle = parse_handle("   ")
    assert handle == Handle("name", "", "")
    assert match_official(handle, CHANNELS, ACCOUNTS) is None


# --- platform ids (issue 20, finding 7) ------------------------------------------------------
FEISHU = Account("feishu", "ou_7d8a6e6df7621556ce0d21922b676706", "", "星河卡盟售后", "售后")


@pytest.mark.parametrize(
    "text",
    [
        "ou_7d8a6e6df7621556ce0d21922b676706",
        "ID ou_7d8a6e6df7621556ce0d21922b676706",
        "open_id: ou_7d8a6e6df7621556ce0d21922b676706",
        "飞书：ou_7d8a6e6df7621556ce0d21922b676706",
        "feishu:OU_7D8A6E6DF7621556CE0D21922B676706",
    ],
)
def test_feishu_open_ids_match_by_id(text: str) -> None:
    found = match_official(parse_handle(text), CHANNELS, (*ACCOUNTS, FEISHU))
    assert found is not None and found.account is FEISHU and found.matched_by == "user_id"
    assert found.value == "feishu:ou_7d8a6e6df7621556ce0d21922b676706"  # never the name


def test_a_platform_prefix_limits_the_match_to_that_platform() -> None:
    accounts = (*ACCOUNTS, FEISHU)
    assert match_official(parse_handle("telegram:100001"), CHANNELS, accounts) is not None
    assert match_official(parse_handle("discord:100001"), CHANNELS, accounts) is None
    assert match_official(parse_handle("tg:712345678901234567"), CHANNELS, accounts) is None
    # A prefix names an account, so a channel's phone number behind it is not that account.
    assert match_official(parse_handle("telegram:4008001234"), CHANNELS, accounts) is None


def test_the_display_name_value_is_the_checkable_handle() -> None:
    found = match_official(parse_handle("星河卡盟售后"), CHANNELS, (*ACCOUNTS, FEISHU))
    assert found is not None and found.name_only
    assert found.value == "feishu:ou_7d8a6e6df7621556ce0d21922b676706"


@pytest.mark.parametrize(
    "text", ["x[y.com", "http://[::1", "https://a]b.com/x", "[x].example", "a.com:99999999"]
)
def test_malformed_urls_parse_without_raising(text: str) -> None:
    handle = parse_handle(text)
    assert handle.kind in ("url", "name")
    find_lookalike(handle, CHANNELS, ACCOUNTS)
