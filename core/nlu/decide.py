"""The final intent for a message: the model's, corrected by a few sharp rules.

Used by the engine and by ``python -m bots classify`` alike, so both always agree; the
result is always one of the 15 intent ids of ``eval/intents.md``. The rules, in order:

1. A message that only asks whether somebody is there ("有人在吗", "在吗", "人呢",
   "转人工") asks for a human: ``find_support``.
2. A message that is only a greeting or a thank-you is ``other`` (the engine answers it
   politely, see :func:`core.nlu.smalltalk.small_talk`).
3. The "售后在哪"-style keyword rule (:mod:`core.handlers.support_rule`) recognises a support
   question the model is unsure about.
4. Chatter is ``other`` whatever the model says: a solved past problem or praise
   ("我上次找客服五分钟就解决了", "你们客服态度真好"), and "是真的" about something that is
   not an account, person, number or link ("这个皮肤是真的丑" is not ``verify_official``).
"""

from __future__ import annotations

from core.handlers.support_rule import asks_for_support
from core.nlu.classifier import Classification, IntentClassifier
from core.nlu.intents import FIND_SUPPORT, OTHER, VERIFY_OFFICIAL
from core.nlu.smalltalk import asks_for_someone, is_chatter, names_something_to_verify, small_talk

SURE = 0.8
RULE = 0.9  # the confidence reported for a message a rule recognised outright


def decide(classifier: IntentClassifier, text: str) -> Classification:
    if asks_for_someone(text):
        return Classification(intent=FIND_SUPPORT, score=RULE)
    if small_talk(text) is not None:
        return Classification(intent=OTHER, score=RULE)
    result = classifier.classify(text)
    if is_chatter(text):
        return result if result.intent == OTHER else Classification(intent=OTHER, score=SURE)
    if result.intent == VERIFY_OFFICIAL and not names_something_to_verify(text):
        return Classification(intent=OTHER, score=SURE)
    if result.intent != FIND_SUPPORT and result.score < SURE and asks_for_support(text):
        return Classification(intent=FIND_SUPPORT, score=SURE)
    return result
