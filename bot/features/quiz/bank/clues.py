"""Answer clues in single-answer questions: a keyed option much longer than the rest, a stem echoing the key.

A test-wise candidate picks the longest option, or the option that repeats the stem's words, without
knowing the answer. Both checks are heuristics (see the constants in ``model.py``): they warn, they do
not reject. Multiple-response questions have several keys, so neither check applies to them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from bot.features.quiz.bank.model import (
    ECHO_MAX_SHARE,
    ECHO_MIN_LETTERS,
    ECHO_WORDS,
    LONGEST_OPTION_FACTOR,
    Question,
)

_WORD = re.compile(rf"[a-z]{{{ECHO_MIN_LETTERS},}}")


def words(text: str) -> set[str]:
    """The long words of ``text`` (``ECHO_MIN_LETTERS`` letters or more), lower case."""
    return set(_WORD.findall(text.casefold()))


def common_words(questions: Iterable[Question]) -> frozenset[str]:
    """Long words too common in the bank to be a clue: in the stem or options of more than
    ``ECHO_MAX_SHARE`` of the questions (and of more than two)."""
    counts: Counter[str] = Counter()
    total = 0
    for question in questions:
        total += 1
        counts.update(words(" ".join((question.stem, *question.options))))
    limit = max(2, ECHO_MAX_SHARE * total)
    return frozenset(word for word, count in counts.items() if count > limit)


def key_is_longest_by_far(question: Question) -> bool:
    """The keyed option is more than ``LONGEST_OPTION_FACTOR`` times as long as every other option."""
    if question.multiple:
        return False
    key = len(question.options[question.answer])
    return all(
        key > LONGEST_OPTION_FACTOR * len(o) for i, o in enumerate(question.options) if i != question.answer
    )


def stem_echo(question: Question, common: frozenset[str]) -> list[str]:
    """The key's distinctive words that the stem repeats, if there are ``ECHO_WORDS`` or more (else [])."""
    if question.multiple:
        return []
    others = set().union(*(words(o) for i, o in enumerate(question.options) if i != question.answer))
    distinctive = words(question.options[question.answer]) - others - common
    echoed = sorted(distinctive & words(question.stem))
    return echoed if len(echoed) >= ECHO_WORDS else []
