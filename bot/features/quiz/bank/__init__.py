"""The question bank: model, loader, checks, near-duplicates and the ``questions check`` command.

This package's public names, re-exported from the modules that define them.
"""

from bot.features.quiz.bank.checks import check_questions, difficulty_warnings, mix_warnings, normalize
from bot.features.quiz.bank.loader import bank_files, check_bank, load_bank
from bot.features.quiz.bank.model import (
    DEFAULT_BANK_DIR,
    DIFFICULTIES,
    DOMAIN_LABEL,
    EXAM_DOMAINS,
    LETTERS,
    OPTION_LETTERS,
    SCHEMA_PATH,
    BankError,
    BankMix,
    Domain,
    Kind,
    Problem,
    Question,
    QuestionBank,
    bank_mix,
)

__all__ = [
    "DEFAULT_BANK_DIR",
    "DIFFICULTIES",
    "DOMAIN_LABEL",
    "EXAM_DOMAINS",
    "LETTERS",
    "OPTION_LETTERS",
    "SCHEMA_PATH",
    "BankError",
    "BankMix",
    "Domain",
    "Kind",
    "Problem",
    "Question",
    "QuestionBank",
    "bank_files",
    "bank_mix",
    "check_bank",
    "check_questions",
    "difficulty_warnings",
    "load_bank",
    "mix_warnings",
    "normalize",
]
