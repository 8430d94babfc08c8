"""The final intent for a message: the model's, unless the sharp support keyword rule
recognises a "售后在哪"-style question the model is unsure about. Used by the engine and by
``python -m bots classify`` alike, so both always agree."""

from __future__ import annotations

from core.handlers.support_rule import asks_for_support
from core.nlu.classifier import Classification, IntentClassifier
from core.nlu.intents import FIND_SUPPORT

SURE = 0.8


def decide(classifier: IntentClassifier, text: str) -> Classification:
    result = classifier.classify(text)
    if result.intent != FIND_SUPPORT and result.score < SURE and asks_for_support(text):
        return Classification(intent=FIND_SUPPORT, score=SURE)
    return result
