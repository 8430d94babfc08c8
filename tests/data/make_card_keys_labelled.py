"""Writes ``card_keys_labelled.jsonl``: card keys in every spelling, and look-alikes that are not.

Usage: ``python tests/data/make_card_keys_labelled.py`` (deterministic; rewrites the file).

Each line is ``{"text", "is_key", "note"}``; key lines also list ``keys``, the canonical
forms the detector must return. Keys are the demo shop's four plus random keys of the demo
format (four groups of four upper-case letters/digits), from the full alphabet and from the
reissue alphabet without 0/O/1/I.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).with_name("card_keys_labelled.jsonl")
DEMO_KEYS = [
    "XH7K-9P2M-4Q8R-1T6W",
    "K3VD-8WQ2-M7PX-5J9C",
    "R2NF-6HTB-9YKE-4ZA8",
    "P8LC-3UMG-7WDS-2QV5",
]
FULL = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
REISSUE = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}

SPELLINGS = {
    "dashes": lambda g: "-".join(g),
    "spaces": lambda g: " ".join(g),
    "underscores": lambda g: "_".join(g),
    "none": lambda g: "".join(g),
    "lower case": lambda g: "-".join(g).lower(),
    "lower case, spaces": lambda g: " ".join(g).lower(),
    "mixed case": lambda g: "-".join(x[:2].lower() + x[2:] for x in g),
    "full width": lambda g: "－".join(g).translate(str.maketrans(FULL_WIDTH)),
    "full width, no dashes": lambda g: "".join(g).translate(str.maketrans(FULL_WIDTH)),
    "full-width letters, ascii dashes": lambda g: "-".join(
        x.translate(str.maketrans(FULL_WIDTH)) for x in g
    ),
    "em dashes": lambda g: "—".join(g),
    "middle dots": lambda g: "·".join(g),
    "dots": lambda g: ".".join(g),
    "spaced dashes": lambda g: " - ".join(g),
    "two halves": lambda g: g[0] + g[1] + " " + g[2] + g[3],
    "double spaces": lambda g: "  ".join(g),
    "ideographic spaces": lambda g: "\u3000".join(g),
}

KEY_CONTEXTS = [
    "{k}",
    "我的卡密是{k}，用不了",
    "卡密 {k} 提示已被使用",
    "刚买的卡密：{k} 兑换失败怎么办",
    "/card {k}",
    "key {k} is invalid",
    "code {k} thanks",
    "帮我查一下这个卡密{k}谢谢",
    "兑换码【{k}】无效",
    "卡密是 {k}。",
    "please check {k}, it says already redeemed",
    "充值卡 {k} 显示过期了？",
]

NON_KEYS = [
    ("uid", "我的游戏ID是1234567890123"),
    ("uid", "UID 812345678 原神国服"),
    ("uid", "角色ID：5201314520"),
    ("uid", "王者荣耀 QQ区 账号 2876543210"),
    ("uid", "玩家编号 100200300400500"),
    ("uid", "steam好友代码 123456789"),
    ("uid", "game id 9876543210987 server 3"),
    ("qq", "加我QQ 1234567890"),
    ("qq", "QQ群号：987654321"),
    ("qq", "qq 2026112000 有事找我"),
    ("qq", "我的QQ号是 3141592653，微信同号"),
    ("phone", "电话 13812345678"),
    ("phone", "手机 +86 138-1234-5678 回电"),
    ("phone", "联系方式 139 1234 5678"),
    ("phone", "客服电话 400-800-1234"),
    ("phone", "0086 15912345678"),
    ("phone", "座机 010-62345678"),
    ("order", "订单号 DD2026112000001"),
    ("order", "我的订单DD2026112000002还没发货"),
    ("order", "/order DD2026112000003"),
    ("order", "订单 DD20261120000012 没到账"),
    ("order", "order no. KM2026112012345678"),
    ("order", "单号：2026112012345678"),
    ("order", "订单号 dd-2026-1120-0001"),
    ("order", "DD2026112000004 和 DD2026112000005 都没到"),
    ("order", "支付宝交易号 2026112022001412345678901234"),
    ("order", "微信支付单号 4200001234202611201234567890"),
    ("order", "淘宝订单 3456789012345678901"),
    ("link", "https://www.bilibili.com/video/BV1GJ411x7h7"),
    (
        "link",
        "看这个 https://www.bilibili.com/video/BV1GJ411x7h7"
        "?spm_id_from=333.1007.tianma.1-1-1.click 很详细",
    ),
    (
        "link",
        "https://www.bilibili.com/video/BV1xK4y1M7Ab/?vd_source=2f3e1a9b8c7d6e5f4a3b2c1d0e9f8a7b",
    ),
    ("link", "b站教程 b23.tv/Ab3CdE9 看一下"),
    ("link", "BV1GJ411x7h7 这个视频讲了怎么兑换"),
    ("link", "av170001 老视频"),
    ("link", "https://v.douyin.com/iRNBho6u/ 复制打开抖音"),
    ("link", "链接：https://pan.baidu.com/s/1a2B3c4D5e6F7g8H9i0JkLm 提取码：ab12"),
    ("link", "https://github.com/org/repo/commit/3f2a9c1b7d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a"),
    ("link", "https://steamcommunity.com/tradeoffer/new/?partner=123456789&token=AbCdEfGh"),
    ("link", "https://www.xinghe-kameng.example/order/DD2026112000001"),
    ("link", "官网 www.xinghe-kameng.example/help/faq-2026-11 有说明"),
    ("link", "https://item.taobao.com/item.htm?id=712345678901&skuId=5123456789012"),
    ("link", "https://x.example/s/AB12CD34EF56GH78"),
    ("link", "https://youtu.be/dQw4w9WgXcQ"),
    ("link", "下载地址 https://cdn.example.com/a8f7e6d5c4b3a291/installer_v2.3.1.exe"),
    ("product", "商品编号 GC-2024-AB12-XY"),
    ("product", "SKU-A1B2-C3D4 库存不足"),
    ("product", "买的是 王者荣耀 648点券 卡"),
    ("product", "steam钱包充值卡 100元"),
    ("product", "型号 RTX4090 显卡"),
    ("product", "iPhone 15 Pro Max 256G"),
    ("product", "Xbox Game Pass Ultimate 3个月"),
    ("product", "SN: 4C1A-2B3D"),
    ("product", "版本 v2.10.3-beta"),
    ("product", "设备 MAC 00:1A:2B:3C:4D:5E"),
    ("product", "IMEI 861234567890123"),
    ("date", "2026-11-20 14:30:00"),
    ("date", "昨天 2026.11.19 晚上 8 点买的"),
    ("date", "11月20日下午3点"),
    ("date", "2026/11/20"),
    ("date", "time 2026-11-20T14:30:00+08:00"),
    ("price", "¥648.00"),
    ("price", "花了 68 元"),
    ("price", "价格 1999.99 元，优惠 200"),
    ("price", "USD 9.99 / 月"),
    ("chat", "卡密用不了怎么办"),
    ("chat", "什么时候到账？"),
    ("chat", "售后在哪"),
    ("chat", "我要投诉，充值了三个小时还没到"),
    ("chat", "哈哈哈哈哈哈"),
    ("chat", "HAHAHAHAHAHAHAHA"),
    ("chat", "hope 2026 will have more games"),
    ("chat", "game 2026 best deal"),
    ("chat", "I paid 1999 for this card last week"),
    ("chat", "this 2026 plan sucks"),
    ("chat", "wo de ka mi yong bu liao"),
    ("chat", "THIS GAME ROCKS 2026"),
    ("chat", "ABCD EFGH IJKL MNOP"),
    ("chat", "abcd efgh ijkl mnop qrst"),
    ("chat", "客服你好，我的账号被盗了"),
    ("chat", "已经等了 30 分钟了"),
    ("chat", "第 1234 期 5678 号"),
    ("chat", "Discord: player#1234"),
    ("chat", "邮箱 player2026abc@qq.com"),
    ("chat", "IP 192.168.1.100 登录异常"),
    ("chat", "错误代码 ERR_CODE_4001"),
    ("chat", "提示 error 0x80070005"),
    ("chat", "银行卡 6222 0212 3456 7890"),
    ("chat", "银行卡号 6222021234567890123"),
    ("chat", "身份证后四位 123X"),
    ("chat", "验证码 482913"),
    ("chat", "AAAA-AAAA-AAAA-AAAA"),
    ("chat", "1111-2222-3333-4444"),
    ("uuid", "trace id 550e8400-e29b-41d4-a716-446655440000"),
    ("chat", "WELL-DONE-GOOD-GAME"),
    ("chat", "good game well played 2026"),
    ("chat", "ok"),
    ("chat", "？？？"),
    ("chat", "👍👍👍"),
]


def random_key(rng: random.Random, alphabet: str) -> list[str]:
    chars = "".join(rng.choice(alphabet) for _ in range(16))
    return [chars[i : i + 4] for i in range(0, 16, 4)]


def looks_like_key(groups: list[str]) -> bool:
    """Skip the rare random key that is all digits (it could not be told from an id)."""
    return not "".join(groups).isdigit()


def main() -> None:
    rng = random.Random(20261120)
    keys = [k.split("-") for k in DEMO_KEYS]
    while len(keys) < 64:
        groups = random_key(rng, FULL if len(keys) % 2 else REISSUE)
        if looks_like_key(groups):
            keys.append(groups)
    rows = []
    spellings = list(SPELLINGS.items())
    for index, groups in enumerate(keys):
        # Every key in two spellings, every spelling in several contexts.
        for turn in range(2):
            name, spell = spellings[(index * 2 + turn) % len(spellings)]
            context = KEY_CONTEXTS[(index + turn * 5) % len(KEY_CONTEXTS)]
            rows.append(
                {
                    "text": context.format(k=spell(groups)),
                    "is_key": True,
                    "note": name,
                    "keys": ["-".join(groups)],
                }
            )
    for first, second in zip(keys[::8], keys[4::8], strict=False):
        rows.append(
            {
                "text": f"两张卡密 {'-'.join(first)} 和 {' '.join(second).lower()} 都用不了",
                "is_key": True,
                "note": "two keys in one line",
                "keys": ["-".join(first), "-".join(second)],
            }
        )
    rows.append(
        {
            "text": f"订单 DD2026112000001 的卡密 {'_'.join(keys[5])}，电话 13812345678",
            "is_key": True,
            "note": "key with an order number and a phone",
            "keys": ["-".join(keys[5])],
        }
    )
    rows.append(
        {
            "text": f"兑换链接 https://shop.example/redeem?code={'-'.join(keys[6])}",
            "is_key": True,
            "note": "key inside a link, with dashes",
            "keys": ["-".join(keys[6])],
        }
    )
    rows.append(
        {
            "text": "卡密\n" + "\n".join(keys[7]),
            "is_key": True,
            "note": "one group per line",
            "keys": ["-".join(keys[7])],
        }
    )
    rows += [{"text": text, "is_key": False, "note": note} for note, text in NON_KEYS]
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} lines, {sum(r['is_key'] for r in rows)} with keys -> {OUT}")


if __name__ == "__main__":
    main()
