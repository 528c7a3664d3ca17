"""The quiz's simcord tests answer with the A-D buttons, so the bot's bank here holds the single-answer
questions only. Multiple-response questions (answered in a multi-select) have their own tests in
test_multi_response.py, which gives the bot the whole bank."""

from __future__ import annotations

import pytest

from bot.features.quiz.bank import QuestionBank


@pytest.fixture
def bank(bank: QuestionBank) -> QuestionBank:
    return bank.single_answer()
