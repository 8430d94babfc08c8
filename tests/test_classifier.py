"""Tests of core.nlu: normalisation, features, and the intent classifier's behaviour/accuracy."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.nlu import ALL_INTENTS, Classification, Intent, IntentClassifier, normalize_text
from core.nlu import train as nlu_train
from core.nlu.features import default_extractor
from core.nlu.model import LinearModel

DEV_PATH = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "intents_dev.jsonl"
HOLDOUT_PATH = Path(__file__).resolve().parent / "data" / "intents_holdout.jsonl"

DEV_THRESHOLD = 0.95
# Measured 0.979 (137/140) when the holdout was written; the set was never trained on.
HOLDOUT_THRESHOLD = 0.95


def _load(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            rows.append((obj["text"], obj["intent"]))
    return rows


def _accuracy(clf: IntentClassifier, rows: list[tuple[str, str]]) -> tuple[float, list[str]]:
    errors = []
    for text, gold in rows:
        got = clf.classify(text)
        if got.intent != gold:
            errors.append(f"{text!r}: expected {gold}, got {got.intent} ({got.score:.2f})")
    return 1 - len(errors) / len(rows), errors


@pytest.fixture(scope="module")
def clf() -> IntentClassifier:
    return IntentClassifier.default()


# -- intents ---------------------------------------------------------------------------


def test_taxonomy_has_the_15_documented_ids() -> None:
    assert len(ALL_INTENTS) == 15
    assert ALL_INTENTS[-1] == "other"
    assert {"find_support", "verify_official", "service_hours"} <= set(ALL_INTENTS)
    assert Intent.REFUND == "refund"


# -- normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＫＥＦＵ　在哪", "kefu 在哪"),  # full-width letters and ideographic space
        ("卡\u200b密\u200d无\ufeff效", "卡密无效"),  # zero-width characters
        ("售後在哪裡", "售后在哪里"),  # traditional → simplified
        ("帳號被凍結", "帐号被冻结"),
        ("  Refund\n\n please  ", "refund please"),  # casefold and whitespace
        ("\u3164\u2800官方客服", "官方客服"),  # blank fillers used to pad impostor names
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_features_of_pinyin_match_features_of_hanzi() -> None:
    ext = default_extractor()
    hanzi = {f for f in ext.features("售后在哪") if f.startswith("p:")}
    latin = ext.features("shouhou zai na")
    assert hanzi and hanzi <= latin


def test_typo_and_variant_folds_reach_the_canonical_text() -> None:
    ext = default_extractor()
    assert "卡密" in ext.canonical("卡秘用不了")
    assert "充值" in ext.canonical("冲值失败")
    assert "退款" in ext.canonical("退欵")
    assert "登录" in ext.canonical("登陆不了")


def test_english_is_mapped_but_pinyin_is_left_alone() -> None:
    ext = default_extractor()
    assert "退款" in ext.canonical("can I get a refund")
    # "me" is a pinyin syllable here (怎么), not the English pronoun.
    assert "我" not in ext.canonical("kefu zen me lianxi")


# -- accuracy --------------------------------------------------------------------------


def test_dev_set_accuracy(clf: IntentClassifier) -> None:
    if not DEV_PATH.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"dev set missing in CI: {DEV_PATH}")
        pytest.skip(f"shared dev set not found at {DEV_PATH} (outside the project checkout)")
    rows = _load(DEV_PATH)
    accuracy, errors = _accuracy(clf, rows)
    assert accuracy >= DEV_THRESHOLD, "\n".join(errors)


def test_holdout_accuracy(clf: IntentClassifier) -> None:
    rows = _load(HOLDOUT_PATH)
    assert len(rows) >= 60
    assert {intent for _, intent in rows} == set(ALL_INTENTS)
    accuracy, errors = _accuracy(clf, rows)
    assert accuracy >= HOLDOUT_THRESHOLD, "\n".join(errors)


def test_evaluation_sets_are_not_in_the_training_data() -> None:
    training = {normalize_text(ex.text) for ex in nlu_train.load_examples(nlu_train.TRAIN_PATH)}
    held_out = [HOLDOUT_PATH] + ([DEV_PATH] if DEV_PATH.exists() else [])
    leaked = [
        text for path in held_out for text, _ in _load(path) if normalize_text(text) in training
    ]
    assert leaked == []


def test_training_data_is_rich_enough() -> None:
    examples = nlu_train.load_examples(nlu_train.TRAIN_PATH)
    per_intent = {i: sum(1 for ex in examples if ex.intent == i) for i in ALL_INTENTS}
    assert min(per_intent.values()) >= 40, per_intent
    assert len(examples) >= 600


def test_shipped_model_matches_training_data() -> None:
    model = LinearModel.load(nlu_train.MODEL_PATH)
    assert model.meta.get("fingerprint") == nlu_train.fingerprint(), (
        "core/nlu/data/model.json is stale: run `python -m core.nlu.train`"
    )
    assert model.labels == ALL_INTENTS


# -- specific behaviour ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "早上好",
        "大家周末快乐",
        "哈哈哈哈哈哈",
        "明天会下雨吗",
        "有没有人一起开黑",
        "谢谢啦",
        "good night everyone",
        "推荐一部好看的电影",
        "我电脑好卡啊",  # 卡 as in "laggy", not a card
        "怎么退出这个群",  # 退 as in leaving the group, not a refund
        "🤣🤣🤣",
        "",
        "   ",
        "。。。",
    ],
)
def test_out_of_scope_is_other(clf: IntentClassifier, text: str) -> None:
    assert clf.classify(text).intent == "other"


@pytest.mark.parametrize(
    ("traditional", "simplified", "intent"),
    [
        ("卡密顯示已被使用", "卡密显示已被使用", "card_invalid"),
        ("帳號被凍結了怎麼辦", "账号被冻结了怎么办", "account_issue"),
        ("售後客服在哪裡", "售后客服在哪里", "find_support"),
        ("儲值一直沒到帳", "充值一直没到账", "recharge_failed"),
        ("我要投訴你們", "我要投诉你们", "complaint"),
        ("這個連結是官方的嗎", "这个链接是官方的吗", "verify_official"),
    ],
)
def test_traditional_gives_the_same_intent_as_simplified(
    clf: IntentClassifier, traditional: str, simplified: str, intent: str
) -> None:
    trad, simp = clf.classify(traditional), clf.classify(simplified)
    assert trad.intent == simp.intent == intent
    assert trad.score == pytest.approx(simp.score)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("shouhou zai na", "find_support"),
        ("kefu lianxi fangshi", "find_support"),
        ("tuikuan", "refund"),
        ("wo yao tousu", "complaint"),
        ("refund please", "refund"),
        ("my top up didn't arrive", "recharge_failed"),
        ("card key invalid", "card_invalid"),
        ("where is my order", "delivery_delay"),
        ("卡秘提示已经被使用", "card_invalid"),
        ("卡蜜在哪里兑换", "card_usage"),
        ("冲值失败了", "recharge_failed"),
        ("退欵怎么申请", "refund"),
        ("登陆不上去了", "account_issue"),
        ("卡\u200b密\u200b无\u200b效", "card_invalid"),
        ("客服不回消息😡😡😡", "escalate"),
        ("support在哪", "find_support"),
        ("我的order付款了还没发货", "delivery_delay"),
    ],
)
def test_pinyin_english_typos_and_emoji(clf: IntentClassifier, text: str, intent: str) -> None:
    assert clf.classify(text).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        (
            "我上周六在你们店里买了两张100块的游戏点卡，本来打算给弟弟过生日用的，结果昨天晚上"
            "他去充值的时候，第一张没问题，第二张一直提示卡密已被使用，我们谁都没用过，这是怎么回事？",
            "card_invalid",
        ),
        (
            "我是你们的老用户了，一直觉得挺靠谱的。今天中午下单买了三张视频会员月卡，支付宝已经"
            "扣款成功，可是到现在两个多小时了订单还是待发货，卡密一张都没收到。",
            "delivery_delay",
        ),
        (
            "刚才我在群里问了个问题，马上就有个头像跟你们一样的人加我，说是官方售后，要我先交"
            "200块保证金才能退款，还发了个链接让我填银行卡，这个人是你们的吗？",
            "verify_official",
        ),
        (
            "上周提交的工单说24小时内回复，结果一个星期过去了，发消息没人回，电话也没人接，"
            "我要求你们的主管出来处理。",
            "escalate",
        ),
    ],
)
def test_long_stories_classify_on_the_actual_ask(
    clf: IntentClassifier, text: str, intent: str
) -> None:
    assert clf.classify(text).intent == intent


def test_scores_are_probabilities_and_ranked(clf: IntentClassifier) -> None:
    ranked = clf.rank("卡密无效能退款吗", k=len(ALL_INTENTS))
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert sum(scores) == pytest.approx(1.0)
    assert {r.intent for r in ranked} == set(ALL_INTENTS)


def test_clear_requests_are_confident_and_ambiguous_ones_are_not(clf: IntentClassifier) -> None:
    assert clf.classify("我的账号被冻结了").score >= 0.8
    assert clf.classify("卡密提示已被使用").score >= 0.8
    # A lone keyword shared by several intents must not look certain.
    assert clf.classify("充值").score < 0.9


def test_unseen_script_is_other_without_certainty(clf: IntentClassifier) -> None:
    result = clf.classify("Как дела")
    assert result == Classification("other", result.score)
    assert result.score < 0.9


def test_default_is_cached(clf: IntentClassifier) -> None:
    assert IntentClassifier.default() is clf


def test_classify_remembers_short_texts_and_agrees_with_rank() -> None:
    clf = IntentClassifier(IntentClassifier.default().model, default_extractor())
    first = clf.classify("售后在哪")
    assert clf.classify("售后在哪") is first  # the second answer came from the memo
    assert first == clf.rank("售后在哪", 1)[0]
    story = "我上周在你们店买了一张点卡，" * 20 + "卡密无效怎么办"
    assert len(story) > 200
    # A long story is computed every time (not remembered), with the same answer.
    assert clf.classify(story) is not clf.classify(story)
    assert clf.classify(story) == clf.rank(story, 1)[0]


def test_classify_memo_is_bounded() -> None:
    from core.nlu import classifier as module

    clf = IntentClassifier(IntentClassifier.default().model, default_extractor())
    for n in range(module._MEMO_SIZE + 50):
        clf.classify(f"订单{n}没到账")
    info = clf._memo.cache_info()  # type: ignore[attr-defined]
    assert info.currsize == module._MEMO_SIZE


# -- training ----------------------------------------------------------------------------


@pytest.fixture()
def tiny_training_file(tmp_path: Path) -> Iterator[Path]:
    samples = {
        "find_support": ["客服在哪", "怎么联系客服", "人工客服"],
        "card_invalid": ["卡密无效", "卡密已被使用", "卡密过期"],
        "card_usage": ["卡密怎么用", "在哪兑换", "兑换教程"],
        "recharge_failed": ["充值失败", "充值没到账", "充了没到"],
        "recharge_progress": ["充值进度", "充值多久到账", "充值状态"],
        "delivery_delay": ["没发货", "没收到卡密", "付款了不发货"],
        "account_issue": ["账号冻结", "登录不了", "账号被盗"],
        "refund": ["退款", "我要退钱", "能退吗"],
        "complaint": ["投诉", "提交工单", "我要申诉"],
        "ticket_status": ["工单进度", "投诉结果", "工单状态"],
        "verify_official": ["是官方吗", "客服是真的吗", "有人冒充"],
        "bulk_purchase": ["批量采购", "企业客户", "大客户"],
        "escalate": ["找主管", "没人回复", "找经理"],
        "service_hours": ["几点上班", "工作时间", "多久处理"],
        "other": ["你好", "天气不错", "哈哈"],
    }
    path = tmp_path / "train.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for intent, texts in samples.items():
            for text in texts:
                fh.write(json.dumps({"text": text, "intent": intent}, ensure_ascii=False) + "\n")
    yield path


def test_training_learns_a_small_dataset(tiny_training_file: Path) -> None:
    examples = nlu_train.load_examples(tiny_training_file)
    config = nlu_train.TrainConfig(epochs=20)
    model = nlu_train.train_model(examples, default_extractor(), config)
    clf = IntentClassifier(model, default_extractor())
    accuracy, errors = _accuracy(clf, [(ex.text, ex.intent) for ex in examples])
    assert accuracy >= 0.9, errors


def test_stale_model_is_retrained_with_a_warning(
    tiny_training_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nlu_train, "TRAIN_PATH", tiny_training_file)
    with pytest.warns(UserWarning, match="stale"):
        clf = IntentClassifier._load_shipped()
    assert clf.model.meta["fingerprint"] == nlu_train.fingerprint()
    assert clf.classify("卡密无效").intent == "card_invalid"


def test_bad_training_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "你好", "intent": "greeting"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:1: unknown intent 'greeting'"):
        nlu_train.load_examples(path)
