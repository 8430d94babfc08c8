"""FAQ knowledge base: per-intent canned answers (Chinese and English) with optional buttons.

The default answers live in ``default_kb.toml`` next to this module. Operators add or replace
entries with their own TOML files (listed in the bot's config)::

    [[faq]]
    intent = "refund"                  # an intent id from core.nlu.intents (not "other")
    answer_zh = "……{brand}……"
    answer_en = "... {brand} ..."
    buttons = [                        # optional
      { label_zh = "申请售后", label_en = "Request a refund", action = "complain" },
    ]

Answers may contain the placeholders ``{brand}``, ``{simple_hours}``, ``{complex_hours}``,
``{channels}`` and ``{support_hours}``; the engine fills them through :meth:`FaqEntry.answer`
(``{support_hours}`` comes from the config when the knowledge base is loaded, see
``KnowledgeBase.load(values=...)`` and :mod:`core.faq.hours`). Placeholders without a
value are left as they are, values are inserted verbatim (braces in a value are never parsed
again), and ``{{`` / ``}}`` write literal braces. Templates are checked when a file is loaded,
so a broken file fails at start-up with a :class:`KnowledgeBaseError` naming the file, the
entry index and the key, never later in the middle of a conversation.
"""

from __future__ import annotations

import dataclasses
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from core.nlu.intents import ALL_INTENTS, OTHER

__all__ = [
    "ACTIONS",
    "DEFAULT_KB_PATH",
    "PLACEHOLDERS",
    "FaqButton",
    "FaqEntry",
    "KnowledgeBase",
    "KnowledgeBaseError",
]

DEFAULT_KB_PATH: Final = Path(__file__).resolve().parent / "default_kb.toml"

#: What a button may do; the engine maps each action to a flow or command.
ACTIONS: Final = frozenset(
    {"complain", "support", "human", "lookup_order", "lookup_card", "lookup_recharge", "verify"}
)

#: Placeholders the engine fills. Others are allowed but stay as written unless given.
PLACEHOLDERS: Final = ("brand", "simple_hours", "complex_hours", "channels", "support_hours")

#: Values known when the knowledge base is loaded, per language ("zh", "en"), e.g.
#: ``{"zh": {"support_hours": "全天 24 小时"}, "en": {"support_hours": "around the clock"}}``.
PresetValues = Mapping[str, Mapping[str, str]]

_ENTRY_KEYS: Final = frozenset({"intent", "answer_zh", "answer_en", "buttons"})
_BUTTON_KEYS: Final = frozenset({"label_zh", "label_en", "action"})


class KnowledgeBaseError(Exception):
    """A knowledge-base file is missing, malformed or has an invalid entry."""


class _KeepMissingFormatter(string.Formatter):
    """``str.format`` that leaves ``{name}`` in place when ``name`` has no value."""

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key in kwargs:
            return kwargs[key]
        return "{" + str(key) + "}"


_FORMATTER: Final = _KeepMissingFormatter()


def _template_problem(template: str) -> str | None:
    """Why ``template`` is not a valid answer template, or None if it is."""
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as exc:
        return f"{exc} (write {{{{ and }}}} for literal braces)"
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier():
            return f"placeholder {{{field}}} must be a plain name like {{brand}}"
        if spec or conversion:
            return f"placeholder {{{field}}} must not have a format spec or conversion"
    return None


@dataclass(frozen=True)
class FaqButton:
    """A button shown under an answer."""

    label_zh: str
    label_en: str
    action: str  # one of ACTIONS

    def label(self, locale: str) -> str:
        """The label in the user's language."""
        return self.label_zh if _is_chinese(locale) else self.label_en


@dataclass(frozen=True)
class FaqEntry:
    """The canned answer for one intent."""

    intent: str
    answer_zh: str
    answer_en: str
    buttons: tuple[FaqButton, ...] = ()
    # Placeholder values fixed at load time, per language; values given to answer() win.
    preset: PresetValues = dataclasses.field(default_factory=dict, compare=False, hash=False)

    def template(self, locale: str) -> str:
        """The raw answer template for ``locale`` (``zh*`` → Chinese, otherwise English)."""
        return self.answer_zh if _is_chinese(locale) else self.answer_en

    def answer(self, locale: str, **context: str) -> str:
        """The answer for ``locale`` with placeholders filled from ``context``.

        Unknown placeholders are left as written; values are inserted verbatim. A template
        that is not valid format syntax (only possible for entries built by hand, loading
        rejects them) is returned unchanged rather than raising.
        """
        template = self.template(locale)
        if _template_problem(template) is not None:
            return template
        preset = self.preset.get("zh" if _is_chinese(locale) else "en", {})
        return _FORMATTER.vformat(template, (), {**preset, **context})


def _is_chinese(locale: str) -> bool:
    norm = locale.strip().lower().replace("_", "-")
    return norm == "" or norm.startswith("zh")


class KnowledgeBase:
    """Answers by intent, merged from the default file and any extra files."""

    __slots__ = ("_entries", "_sources")

    def __init__(
        self,
        entries: Mapping[str, FaqEntry],
        sources: Sequence[Path] = (),
        values: PresetValues | None = None,
    ) -> None:
        self._entries = (
            {intent: dataclasses.replace(entry, preset=values) for intent, entry in entries.items()}
            if values
            else dict(entries)
        )
        self._sources = tuple(sources)

    @classmethod
    def load(
        cls,
        extra_paths: Sequence[Path | str] = (),
        replace: bool = False,
        values: PresetValues | None = None,
    ) -> KnowledgeBase:
        """The default knowledge base plus ``extra_paths``, in order.

        A later file's entry for an intent overrides an earlier one (so an operator's file
        overrides the defaults). With ``replace=True`` the default file is not read and only
        the extra files count. ``values`` fills placeholders known at load time (per
        language) in every answer.
        """
        paths = [Path(p) for p in extra_paths]
        if not replace:
            paths.insert(0, DEFAULT_KB_PATH)
        entries: dict[str, FaqEntry] = {}
        for path in paths:
            for entry in cls.read_file(path):
                entries[entry.intent] = entry
        return cls(entries, paths, values)

    @staticmethod
    def read_file(path: Path) -> list[FaqEntry]:
        """Parse and validate one knowledge-base file."""
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError:
            raise KnowledgeBaseError(f"{path}: knowledge-base file not found") from None
        except OSError as exc:
            raise KnowledgeBaseError(f"{path}: cannot read file: {exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise KnowledgeBaseError(f"{path}: invalid TOML: {exc}") from exc
        unknown = sorted(set(data) - {"faq"})
        if unknown:
            raise KnowledgeBaseError(
                f"{path}: unknown top-level key {unknown[0]!r}; entries go in [[faq]] tables"
            )
        raw_entries = data.get("faq", [])
        if not isinstance(raw_entries, list):
            raise KnowledgeBaseError(f"{path}: 'faq' must be an array of tables ([[faq]])")
        entries: list[FaqEntry] = []
        seen: dict[str, int] = {}
        for index, raw in enumerate(raw_entries):
            entry = _parse_entry(path, index, raw)
            if entry.intent in seen:
                raise KnowledgeBaseError(
                    f"{path}: entry {index}: key 'intent': {entry.intent!r} already defined "
                    f"by entry {seen[entry.intent]}"
                )
            seen[entry.intent] = index
            entries.append(entry)
        return entries

    def entry_for(self, intent: str) -> FaqEntry | None:
        """The entry for ``intent``, or None when there is no FAQ answer for it."""
        return self._entries.get(intent)

    @property
    def intents(self) -> tuple[str, ...]:
        """Intents that have an answer, in taxonomy order."""
        return tuple(i for i in ALL_INTENTS if i in self._entries)

    @property
    def sources(self) -> tuple[Path, ...]:
        """The files this knowledge base was read from, in order."""
        return self._sources

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, intent: object) -> bool:
        return intent in self._entries


def _parse_entry(path: Path, index: int, raw: object) -> FaqEntry:
    where = f"{path}: entry {index}"
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{where}: must be a table")
    unknown = sorted(set(raw) - _ENTRY_KEYS)
    if unknown:
        raise KnowledgeBaseError(
            f"{where}: key {unknown[0]!r}: unknown key (allowed: {', '.join(sorted(_ENTRY_KEYS))})"
        )
    intent = _required_str(where, raw, "intent")
    if intent not in ALL_INTENTS:
        raise KnowledgeBaseError(f"{where}: key 'intent': unknown intent {intent!r}")
    if intent == OTHER:
        raise KnowledgeBaseError(f"{where}: key 'intent': 'other' never gets an FAQ answer")
    answers: dict[str, str] = {}
    for key in ("answer_zh", "answer_en"):
        text = _required_str(where, raw, key)
        problem = _template_problem(text)
        if problem:
            raise KnowledgeBaseError(f"{where}: key {key!r}: {problem}")
        answers[key] = text
    buttons_raw = raw.get("buttons", [])
    if not isinstance(buttons_raw, list):
        raise KnowledgeBaseError(f"{where}: key 'buttons': must be an array of tables")
    buttons = tuple(
        _parse_button(f"{where}: key 'buttons' item {i}", b) for i, b in enumerate(buttons_raw)
    )
    return FaqEntry(intent, answers["answer_zh"], answers["answer_en"], buttons)


def _parse_button(where: str, raw: object) -> FaqButton:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{where}: must be a table with label_zh, label_en, action")
    unknown = sorted(set(raw) - _BUTTON_KEYS)
    if unknown:
        raise KnowledgeBaseError(
            f"{where}: key {unknown[0]!r}: unknown key (allowed: {', '.join(sorted(_BUTTON_KEYS))})"
        )
    label_zh = _required_str(where, raw, "label_zh")
    label_en = _required_str(where, raw, "label_en")
    action = _required_str(where, raw, "action")
    if action not in ACTIONS:
        raise KnowledgeBaseError(
            f"{where}: key 'action': {action!r} is not one of {', '.join(sorted(ACTIONS))}"
        )
    return FaqButton(label_zh, label_en, action)


def _required_str(where: str, raw: Mapping[str, object], key: str) -> str:
    if key not in raw:
        raise KnowledgeBaseError(f"{where}: key {key!r}: missing")
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"{where}: key {key!r}: must be a non-empty string")
    return value
