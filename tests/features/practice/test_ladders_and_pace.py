"""Ladder scoring (exact and partial) and exam pace: table-driven, with hypothesis properties."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.features.practice.ladders import Ladder, score_ladder, shuffled
from bot.features.practice.pace import pace_summary, target_seconds


def ladder(steps: int = 5) -> Ladder:
    return Ladder(
        "lad-test-001", "scene_safety", "t", "p", tuple(f"step {i}" for i in range(steps)), "w", False, 3, "b"
    )


@pytest.mark.parametrize(
    ("order", "exact", "in_place"),
    [
        ((0, 1, 2, 3, 4), True, 5),
        ((1, 0, 2, 3, 4), False, 3),  # the tempting swap of the first two
        ((4, 3, 2, 1, 0), False, 1),  # reversed: only the middle stays
        ((1, 2, 3, 4, 0), False, 0),  # everything one place off
    ],
)
def test_exact_and_partial_scores(order: tuple[int, ...], exact: bool, in_place: int) -> None:
    score = score_ladder(ladder(), order)
    assert (score.exact, score.in_place, score.partial) == (exact, in_place, f"{in_place} of 5")


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (0, 1, 2, 3, 3), (0, 1, 2, 3, 5)])
def test_an_order_must_use_every_step_once(order: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="every step exactly once"):
        score_ladder(ladder(), order)


@pytest.mark.parametrize("steps", [3, 7])
def test_a_ladder_has_four_to_six_steps(steps: int) -> None:
    with pytest.raises(ValueError, match="4-6 steps"):
        ladder(steps)


@given(st.permutations(range(6)))
def test_partial_never_exceeds_total_and_exact_means_all_in_place(order: list[int]) -> None:
    score = score_ladder(ladder(6), order)
    assert 0 <= score.in_place <= score.total == 6
    assert score.exact == (score.in_place == 6) == (order == list(range(6)))
    assert score.in_place != 5  # one step out of place always displaces another


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=4, max_value=6))
def test_a_shuffle_is_a_permutation_never_already_solved(seed: int, steps: int) -> None:
    shown = shuffled(ladder(steps), random.Random(seed))
    assert sorted(shown) == list(range(steps)) and list(shown) != list(range(steps))


@pytest.mark.parametrize(("minutes", "items", "target"), [(105, 110, 57.27), (105, 90, 70.0), (60, 60, 60.0)])
def test_target_seconds_per_item(minutes: int, items: int, target: float) -> None:
    assert target_seconds(minutes, items) == pytest.approx(target, abs=0.01)


def test_pace_summary_finds_the_slow_items() -> None:
    summary = pace_summary([40, 90, 55, 120, 30], target=57.0, slowest=2)
    assert summary.answered == 5 and summary.total_seconds == 335
    assert summary.mean_seconds == 67 and not summary.on_pace
    assert summary.over_target == 2 and summary.slowest == (3, 1)
    assert pace_summary([], target=57.0).answered == 0


def test_the_shipped_practice_content_is_valid_and_matches_the_bank() -> None:
    from bot.features.practice.content import PRACTICE_DIR, check_content
    from bot.features.quiz.bank import load_bank

    bank = load_bank()
    content, problems = check_content(PRACTICE_DIR, {q.id: q.stem for q in bank.questions})
    assert problems == []
    assert len(content.cards) >= 15 and len(content.keywords) >= 40
    assert all(
        "national model" in c.question.casefold() or "scope of practice" in c.question.casefold()
        for c in content.cards
    )


def test_questions_check_also_checks_the_practice_content(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from bot.__main__ import main
    from bot.features.practice.content import PRACTICE_DIR, check_main

    assert main(["questions", "check"]) == 0
    assert "Practice content" in capsys.readouterr().out
    broken = tmp_path / "practice"
    shutil.copytree(PRACTICE_DIR, broken)
    (broken / "keywords.yaml").write_text(
        "keywords:\n  pa-air-001:\n    words: [zebra]\n    why: " + "x" * 40 + "\n"
    )
    assert check_main({"pa-air-001": "An unresponsive adult"}, broken) == 1
    assert "key words not in its stem: ['zebra']" in capsys.readouterr().out
