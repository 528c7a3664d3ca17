"""The quiz's words: feedback keeps the question, no internal id or reference reaches a member."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import discord
import pytest

from bot.features.errorlog.model import Bucket
from bot.features.quiz import text as render
from bot.features.quiz.bank import Domain, Question, QuestionBank
from bot.features.quiz.daily import Reveal
from bot.features.quiz.stats import AnswerRecord, quiz_stats
from bot.policy import Policy

QID = re.compile(r"\b[a-z]+-[a-z]+-[0-9]{3}\b")
TODAY = dt.date(2026, 11, 24)
QUESTION = Question(
    id="pw-path-099",
    domain=Domain.PATHWAY,
    stem="After a failed attempt, how long must a candidate wait before the next attempt?",
    options=("7 days", "15 days", "30 days", "90 days"),
    correct=frozenset({1}),
    explanation="The National Registry requires a wait of 15 days after an attempt before the next one.",
    bucket=Bucket.KNOWLEDGE,
    pediatric=False,
    basis="Seed text 12.4",
    difficulty=3,
    source="pathway.yaml:1",
)


def visible(embed: discord.Embed) -> list[str]:
    """Every text of an embed a member reads."""
    parts = [embed.title or "", embed.description or "", embed.footer.text or "", embed.author.name or ""]
    for field in embed.fields:
        parts += [field.name or "", field.value or ""]
    return parts


def every_embed(question: Question) -> list[discord.Embed]:
    return [
        render.question_embed(question, title="Practice question"),
        render.daily_embed(question, TODAY),
        *(render.feedback_embed(question, c, seconds=90.0, pacing_seconds=75) for c in range(4)),
        render.feedback_embed(question, question.answer, seconds=None, pacing_seconds=75),
    ]


def test_no_title_or_footer_shows_an_internal_id(bank: QuestionBank) -> None:
    for question in bank.questions:
        for embed in every_embed(question):
            for text in (embed.title or "", embed.footer.text or ""):
                assert question.id not in text
                assert not QID.search(text), text
        assert question.id not in render.reveal_text(Reveal(question, 3, 2))


def test_feedback_keeps_the_question_as_its_title(bank: QuestionBank) -> None:
    for question in bank.questions:
        for choice in range(4):
            embed = render.feedback_embed(question, choice, seconds=None, pacing_seconds=75)
            assert embed.title == render.question_title(question)
            first_words = " ".join(question.stem.split()[:6])
            assert embed.title.startswith(first_words)


def test_question_title_is_the_first_line_fitted_to_a_title() -> None:
    question = dataclasses.replace(QUESTION, stem="A long scene. " * 30 + "\nSecond line")
    title = render.question_title(question)
    assert len(title) <= 256 and title.endswith("…") and "Second line" not in title
    assert render.question_title(QUESTION) == QUESTION.stem


@pytest.mark.parametrize(
    ("basis", "shown", "hidden"),
    [
        ("Seed text 12.4", "National Registry", "Seed"),
        ("NREMT cognitive exam policies; Seed text 12.4", "NREMT cognitive exam policies", "Seed"),
        ("Seed text 12.4; NREMT candidate handbook (EMR)", "NREMT candidate handbook (EMR)", "Seed"),
        ("Seed text 12.4 (three attempts: NREMT cognitive exam policies)", "National Registry", "Seed"),
        ("seed text 12.4", "National Registry", "seed"),
        ("NREMT news: scaled score reporting", "NREMT news: scaled score reporting", "Seed"),
    ],
)
def test_the_source_is_one_a_member_can_look_up(basis: str, shown: str, hidden: str) -> None:
    question = dataclasses.replace(QUESTION, basis=basis)
    embed = render.feedback_embed(question, 1, seconds=None, pacing_seconds=75)
    footer = embed.footer.text or ""
    assert shown in footer
    assert hidden not in " ".join(visible(embed))


def test_an_exam_item_with_only_an_internal_reference_shows_no_source() -> None:
    question = dataclasses.replace(QUESTION, domain=Domain.OPERATIONS, basis="Seed text 12.4")
    embed = render.feedback_embed(question, 1, seconds=None, pacing_seconds=75)
    assert "Seed" not in " ".join(visible(embed))


def test_no_rendered_question_mentions_the_seed_text(bank: QuestionBank) -> None:
    for question in bank.questions:
        for embed in every_embed(question):
            assert not re.search(r"\bseed\b", " ".join(visible(embed)), re.IGNORECASE), question.id


def test_the_reveal_names_yesterdays_question_and_its_answer() -> None:
    text = render.reveal_text(Reveal(QUESTION, 3, 2))
    lines = text.splitlines()
    assert "Yesterday" in lines[0] and QUESTION.stem in lines[0]
    assert "**B.** 15 days" in text
    assert "2 of 3 members who answered got it right." in text


def test_the_daily_embed_holds_only_todays_question() -> None:
    embed = render.daily_embed(QUESTION, TODAY)
    assert not any("Yesterday" in text for text in visible(embed))
    assert embed.title == "Daily question · Tue 2026-11-24"


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        (dt.date(2026, 11, 23), "📖 **Yesterday's question:**"),
        (dt.date(2026, 11, 20), "📖 **The last question (Fri 2026-11-20):**"),  # after a pause or downtime
        (None, "📖 **Yesterday's question:**"),
    ],
)
def test_the_reveal_says_when_the_last_question_was_not_yesterdays(
    posted: dt.date | None, expected: str
) -> None:
    assert render.reveal_text(Reveal(QUESTION, 0, 0, posted), TODAY).startswith(expected)


def stats_for(policy: Policy, per_domain: int, minimum: int = 10) -> discord.Embed:
    answers = [
        AnswerRecord(f"{domain}-{i}", domain, i % 3 != 0, TODAY, "knowledge")
        for domain in policy.domain_weights
        for i in range(per_domain)
    ]
    return render.stats_embed(quiz_stats(answers, TODAY, policy.domain_weights, min_per_domain=minimum))


def test_stats_hold_the_weighted_figure_back_and_say_until_when(policy: Policy) -> None:
    embed = stats_for(policy, per_domain=3)
    text = embed.description or ""
    assert text.startswith("10 of 15 right")
    assert "%" not in text.splitlines()[0]  # no weighted figure yet
    assert "10 answers in each exam domain" in text
    assert "Operations 7 more" in text
    assert len(text.splitlines()) == 2  # the count, and one line on the weighting


def test_stats_explain_the_weighting_in_one_line_and_never_as_a_scaled_score(policy: Policy) -> None:
    embed = stats_for(policy, per_domain=12)
    first, explanation = (embed.description or "").splitlines()
    assert first.startswith("40 of 60 right; weighted like the exam's domains: **")
    assert first.endswith("%**")
    assert "share of the exam" in explanation
    assert "not a National Registry score" in explanation
    assert "scaled" in explanation and "950" not in (embed.description or "")
