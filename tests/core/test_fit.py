"""Fitting text to Discord's limits: at a word boundary, with an ellipsis, never over the limit."""

from __future__ import annotations

import discord
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.fit import (
    DESCRIPTION,
    EMBED_TOTAL,
    FIELD_VALUE,
    FIELDS,
    fit,
    fit_embed,
    fit_embeds,
    fit_lines,
    size,
)
from tests.limits import assert_fits, limit_problems

NOTE = "I rushed the scene size-up and forgot to check for hazards before I knelt by the patient"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short enough", 20, "short enough"),
        ("exactly ten", 11, "exactly ten"),
        ("the quick brown fox jumps", 16, "the quick brown…"),
        ("the quick brown fox jumps", 12, "the quick…"),
        ("cut at a comma, not after it", 16, "cut at a comma…"),
        ("word\nby line", 9, "word\nby…"),
        ("Supercalifragilistic", 10, "Supercali…"),  # no boundary in sight: cut inside the one word
        ("**bold text** here", 9, "…"),  # never leaves a dangling ** open
        ("see `code here` now", 12, "see…"),  # nor an open backtick
        ("anything", 0, ""),
    ],
)
def test_fit_cuts_at_a_word_boundary_with_an_ellipsis(text: str, limit: int, expected: str) -> None:
    assert fit(text, limit) == expected


def test_five_long_notes_never_end_mid_word() -> None:
    notes = "\n".join(f"Mon 2026-11-2{i} · knowledge: " + (NOTE + " ") * 2 + "x" * 22 for i in range(5))
    fitted = fit(notes, FIELD_VALUE)
    assert size(fitted) <= FIELD_VALUE
    assert fitted.endswith("…")
    assert fitted[:-1] == notes[: len(fitted) - 1]
    assert notes[len(fitted) - 1].isspace()  # the cut fell on a word boundary


def test_emoji_count_as_two_units() -> None:
    text = "🚩" * 10
    assert size(text) == 20
    assert size(fit(text, 9)) <= 9


@given(st.text(), st.integers(min_value=0, max_value=300))
def test_fit_never_exceeds_the_limit(text: str, limit: int) -> None:
    fitted = fit(text, limit)
    assert size(fitted) <= limit
    if size(text) <= limit:
        assert fitted == text


@given(st.lists(st.text(min_size=1, max_size=80), max_size=30), st.integers(min_value=20, max_value=400))
def test_fit_lines_never_exceeds_the_limit(lines: list[str], limit: int) -> None:
    assert size(fit_lines(lines, limit)) <= limit


def test_fit_lines_keeps_whole_lines_and_says_how_many_are_left_out() -> None:
    lines = [f"line {i}: " + "word " * 10 for i in range(10)]
    fitted = fit_lines(lines, 200)
    kept = fitted.split("\n")
    assert kept[-1].startswith("… and ") and kept[-1].endswith(" more")
    assert kept[:-1] == lines[: len(kept) - 1]
    assert int(kept[-1].split()[2]) == 10 - (len(kept) - 1)


def test_fit_embed_holds_every_limit() -> None:
    embed = discord.Embed(title="t " * 300, description="word " * 2000)
    for i in range(30):
        embed.add_field(name=f"field {i}", value="value " * 300, inline=False)
    embed.set_footer(text="footer " * 400)
    assert limit_problems(embeds=[embed])  # the checker sees the problems

    fit_embed(embed)

    assert_fits(embeds=[embed])
    assert len(embed.fields) <= FIELDS
    assert embed.description is not None and embed.description.endswith("…")


def test_fit_embeds_holds_the_total_across_a_messages_embeds() -> None:
    first = discord.Embed(description="a " * 3000)
    second = discord.Embed(description="b " * 3000)
    second.add_field(name="more", value="c " * 600)
    fit_embeds(first, second)
    assert_fits(embeds=[first, second])
    assert sum(len(e) for e in (first, second)) <= EMBED_TOTAL


def test_fit_embed_leaves_a_fitting_embed_alone() -> None:
    embed = discord.Embed(title="Your error log", description="d" * DESCRIPTION)
    embed.add_field(name="n", value="v", inline=True)
    before = embed.to_dict()
    assert fit_embed(embed).to_dict() == before
