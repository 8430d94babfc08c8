"""Intent classifier: a message → one of the 15 intents, with a confidence score.

Method, and why
===============

*Features* (see ``core.nlu.features``): normalisation (NFKC, invisible characters, OpenCC
t2s, casefold), typo/variant folds, English keywords mapped to Chinese, then binary
character 1–3-grams plus pinyin-syllable bigrams (pinyin read from Han characters and from
Latin input alike), plus leftover English words.

* Character n-grams need no word segmenter (jieba takes ~1 s to load and stumbles on typos
  and slang); 2–3-grams cover most Chinese keywords, and one wrong character still leaves the
  other n-grams intact.
* Pinyin bigrams make "shouhou zai na", "售后在哪" and the homophone slip "收后在哪" look
  alike, which is how buyers actually type.
* Traditional characters are handled by normalisation, not by the model, so 「帳號被凍結」 and
  「账号被冻结」 produce the same features by construction.

*Model*: multinomial logistic regression over those features (``core.nlu.model``), trained
offline in pure Python (``python -m core.nlu.train``) and shipped as JSON. Compared with the
alternatives:

* Keyword rules alone are brittle: "退款多久到账" is a refund question, "充值多久到账" a
  recharge one, "退群" is not a refund at all. Weighing every n-gram against every intent is
  what a linear model does, and it learns the weights from examples instead of from us.
* Naive Bayes trains at load time, but its probabilities are badly over-confident, and the
  engine relies on the score (< 0.5 → offer a human).
* kNN/BM25 over the examples tends to copy the label of the nearest paraphrase, i.e. to
  memorise; it is also slower per message as the data grows.
* Logistic regression is discriminative (narrative words that appear in every intent get
  weights near zero, which keeps long stories on track), fast to score (one vector addition
  per feature: tens of microseconds), and with a cross-validated softmax temperature its top
  probability is a usable confidence.

*Rules on top*: none that override the model on keywords. Empty or symbol-only messages are
``other`` by definition (score 1.0), and so is a message with no feature the model has ever
seen (it cannot be an after-sales request the model knows of), but with a middling score
(0.6) because it may still be a request in a language or wording the model has not learnt.

*Memo*: ``classify`` remembers its answers for the last few thousand distinct short texts.
The same words arrive over and over (a launch or an outage brings hundreds of "售后在哪"), the
answer depends on the text alone, and a repeat then costs a dictionary lookup instead of
~35 µs of feature extraction and scoring. ``rank`` always computes.

The model file records a fingerprint of the training data, pinyin table, lexicon and the
feature-code version number; if it does not match (someone edited ``train.jsonl`` without
retraining) the classifier retrains in-process at first use and warns, so results never
silently come from stale weights.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from core.nlu.features import FeatureExtractor, default_extractor
from core.nlu.intents import ALL_INTENTS, OTHER
from core.nlu.model import LinearModel, ModelFormatError

__all__ = ["Classification", "IntentClassifier"]

# Longer messages are cut to their first and last _MAX_CHARS / 2 characters (bounded latency).
_MAX_CHARS = 1200
# Score of `other` for text with words but no feature the model knows.
_UNKNOWN_SCORE = 0.6
_WORD_RE = regex.compile(r"[\p{L}\p{N}]")
# The memo of `classify`: distinct texts remembered, and the longest text worth remembering
# (long stories rarely repeat word for word, and would make the memo's memory unbounded).
_MEMO_SIZE = 4096
_MEMO_MAX_CHARS = 200


@dataclass(frozen=True, slots=True)
class Classification:
    """The classifier's decision for one message.

    ``score`` is the calibrated probability of ``intent`` (0..1); below about 0.5 the
    classifier is unsure and the engine should offer a human.
    """

    intent: str  # one of ALL_INTENTS
    score: float  # 0..1 confidence


class IntentClassifier:
    """Classifies buyer messages into the intents of ``core.nlu.intents``."""

    __slots__ = ("_extractor", "_labels", "_memo", "_model")

    _default: IntentClassifier | None = None
    _default_lock = threading.Lock()

    def __init__(self, model: LinearModel, extractor: FeatureExtractor) -> None:
        if set(model.labels) != set(ALL_INTENTS):
            raise ValueError("model labels do not match the intent taxonomy")
        self._model = model
        self._extractor = extractor
        self._labels = model.labels
        # functools' LRU cache: bounded, thread-safe, and implemented in C.
        self._memo: Callable[[str], Classification] = lru_cache(maxsize=_MEMO_SIZE)(self._classify)

    # -- construction --------------------------------------------------------------------

    @classmethod
    def default(cls) -> IntentClassifier:
        """The classifier built from the shipped model (loaded once per process)."""
        clf = cls._default
        if clf is None:
            with cls._default_lock:
                if cls._default is None:
                    cls._default = cls._load_shipped()
                clf = cls._default
        assert clf is not None
        return clf

    @classmethod
    def _load_shipped(cls) -> IntentClassifier:
        from core.nlu import train  # light module; pypinyin is only imported to rebuild tables

        extractor = default_extractor()
        try:
            model: LinearModel | None = LinearModel.load(train.MODEL_PATH)
        except ModelFormatError as exc:
            warnings.warn(f"{exc}; training the intent model in-process", stacklevel=3)
            model = None
        current = train.fingerprint()
        if model is None or model.meta.get("fingerprint") != current:
            if model is not None:
                warnings.warn(
                    "core/nlu/data/model.json is stale (training data or features changed); "
                    "training in-process. Run `python -m core.nlu.train` to ship a fresh model.",
                    stacklevel=3,
                )
            model = train.train_model(
                train.load_examples(train.TRAIN_PATH), extractor, train_fingerprint=current
            )
        clf = cls(model, extractor)
        clf.classify("预热")  # warm the OpenCC converter and regex caches
        return clf

    @classmethod
    def from_model_file(cls, path: Path) -> IntentClassifier:
        """A classifier from a model file written by ``python -m core.nlu.train``."""
        return cls(LinearModel.load(path), default_extractor())

    # -- classification ------------------------------------------------------------------

    def classify(self, text: str) -> Classification:
        """The most likely intent of ``text`` and its probability (remembered for short texts)."""
        if len(text) <= _MEMO_MAX_CHARS:
            return self._memo(text)
        return self._classify(text)

    def _classify(self, text: str) -> Classification:
        return self.rank(text, 1)[0]

    def rank(self, text: str, k: int = 3) -> list[Classification]:
        """The ``k`` most likely intents, best first."""
        if len(text) > _MAX_CHARS:
            # Pasted logs or essays: keep the opening and the end, where the ask usually is.
            half = _MAX_CHARS // 2
            text = text[:half] + "\n" + text[-half:]
        features = self._extractor.features(text)
        if any(f in self._model.weights for f in features):
            probs = self._model.probabilities(features)
        else:
            # Nothing the model has seen. Empty, punctuation- or emoji-only text is surely
            # not a request; unknown words (another script, unseen vocabulary) might be one.
            top = _UNKNOWN_SCORE if features or _WORD_RE.search(text) else 1.0
            rest = (1.0 - top) / (len(self._labels) - 1)
            probs = [top if label == OTHER else rest for label in self._labels]
        order = sorted(range(len(probs)), key=probs.__getitem__, reverse=True)
        return [Classification(self._labels[i], probs[i]) for i in order[: max(k, 1)]]

    def classify_many(self, texts: Sequence[str]) -> list[Classification]:
        """``classify`` for each of ``texts``."""
        return [self.classify(t) for t in texts]

    @property
    def model(self) -> LinearModel:
        """The underlying linear model."""
        return self._model
