"""/quiz now is answered here with the A-D buttons, so the bot's bank holds the single-answer questions
(as in tests/features/quiz/conftest.py); multiple-response answers make no card (a test says so)."""

from __future__ import annotations

import pytest

from bot.features.quiz.bank import QuestionBank


@pytest.fixture
def bank(bank: QuestionBank) -> QuestionBank:
    return bank.single_answer()
