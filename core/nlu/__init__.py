"""Natural-language understanding for buyer messages: normalisation and intent classification.

Typical use::

    from core.nlu import IntentClassifier

    result = IntentClassifier.default().classify("卡密提示已被使用")
    result.intent, result.score   # ("card_invalid", 0.9...)
"""

from core.nlu.classifier import Classification, IntentClassifier
from core.nlu.intents import ALL_INTENTS, Intent, is_intent
from core.nlu.normalize import normalize_text

__all__ = [
    "ALL_INTENTS",
    "Classification",
    "Intent",
    "IntentClassifier",
    "is_intent",
    "normalize_text",
]
