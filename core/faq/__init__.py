"""FAQ answers for the common after-sales intents, loaded from TOML knowledge-base files."""

from core.faq.knowledge import (
    ACTIONS,
    DEFAULT_KB_PATH,
    FaqButton,
    FaqEntry,
    KnowledgeBase,
    KnowledgeBaseError,
)

__all__ = [
    "ACTIONS",
    "DEFAULT_KB_PATH",
    "FaqButton",
    "FaqEntry",
    "KnowledgeBase",
    "KnowledgeBaseError",
]
