"""The check-in's and /quiz items' policy numbers: read from the policy file, labelled as the bot's own
heuristics with their meaning, and refused when malformed."""

from __future__ import annotations

import pytest

from bot.policy import DEFAULT_POLICY_PATH, Policy, PolicyError, parse_policy

KEYS = (
    "checkin.min_items",
    "checkin.max_items",
    "checkin.readiness_standard",
    "checkin.ability_prior_sd",
    "checkin.difficulty_logits",
    "checkin.min_responses",
    "checkin.recalibrate_after_answers",
    "checkin.recalibrate_hours",
    "checkin.same_within",
    "checkin.domain_shortfall",
    "items.min_answers",
    "items.flag_discrimination",
    "items.flag_reports",
)


def test_the_shipped_numbers(policy: Policy) -> None:
    checkin = policy.checkin
    assert (checkin.min_items, checkin.max_items) == (20, 40)
    assert checkin.interval_z == pytest.approx(1.96)
    assert [checkin.prior_difficulty(level) for level in range(1, 6)] == list(checkin.difficulty_logits)
    assert checkin.prior_difficulty(9) == checkin.difficulty_logits[-1]


@pytest.mark.parametrize("key", KEYS)
def test_every_number_is_the_bots_heuristic_with_its_meaning(policy: Policy, key: str) -> None:
    rule = policy.rules[key]
    assert rule.confidence == "heuristic"
    assert "EMR Study Bot" in rule.source
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
    section = text.split(f"[{key}]\n", 1)[1]
    assert section.startswith("# "), f"{key} needs its meaning written beside it"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '[checkin.max_items]\n# ... and always stops at this many, with "too close to call" if the interval still straddles the standard.\nvalue = 40',
            "[checkin.max_items]\nvalue = 10",
            "at most checkin.max_items",
        ),
        ("value = [-2.0, -1.0, 0.0, 1.0, 2.0]", "value = [2.0, 1.0, 0.0, -1.0, -2.0]", "rising order"),
        ("value = [-2.0, -1.0, 0.0, 1.0, 2.0]", 'value = ["easy", "b", "c", "d", "e"]', "five numbers"),
        ("value = 1.96", 'value = "1.96"', "checkin.interval_z as a number"),
        ("value = 1.96", "value = 0", "above 0"),
    ],
)
def test_malformed_checkin_numbers_are_refused(old: str, new: str, message: str) -> None:
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(PolicyError, match=message):
        parse_policy(text.replace(old, new))
