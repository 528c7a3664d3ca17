"""The policy file: every rule has a value and a source; the code's numbers come from it."""

from __future__ import annotations

import pytest

from bot.policy import DEFAULT_POLICY_PATH, Policy, PolicyError, parse_policy


def test_shipped_policy_holds_the_domain_numbers(policy: Policy) -> None:
    assert (policy.scale_min, policy.scale_max, policy.passing_score) == (100, 1500, 950)
    assert (policy.wait_days, policy.attempts_before_refresher) == (15, 3)
    assert (policy.results_business_days, policy.course_years) == (2, 2)
    assert (policy.att_days, policy.result_valid_months) == (90, 24)
    assert policy.course_reminder_days_before == (60, 14)
    assert policy.reminder_local_hour == 9
    assert policy.stats_min_answers_per_domain >= 1


def test_every_rule_names_its_source(policy: Policy) -> None:
    assert policy.rules
    for key, rule in policy.rules.items():
        assert len(rule.source) > 10, key
        assert rule.confidence, key


def test_heuristics_are_labelled_as_the_bots_own(policy: Policy) -> None:
    for key in (
        "scoring.near_miss_within",
        "scoring.some_way_off_within",
        "quiz.pacing_seconds",
        "quiz.stats_min_answers_per_domain",
    ):
        assert policy.rules[key].confidence == "heuristic"
        assert "EMR Study Bot" in policy.rules[key].source


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace("[attempts.wait_days]\nvalue = 15\n", "[attempts.wait_days]\n"),
            "needs a value",
        ),
        (lambda t: t.replace("value = 15\n", 'value = "fifteen"\n'), "whole number"),
        (lambda t: t.replace("value = 950", "value = 1600"), "inside the scale"),
        (lambda t: t + "\n[broken\n", "not valid TOML"),
    ],
)
def test_broken_policy_files_are_refused_with_the_rule_named(edit: object, message: str) -> None:
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
    with pytest.raises(PolicyError, match=message):
        parse_policy(edit(text))  # type: ignore[operator]


def test_plausibility_dates_are_read_as_dates(policy: Policy) -> None:
    import datetime as dt

    assert policy.scaled_scores_since == dt.date(2023, 6, 1)
    assert policy.earliest_record == dt.date(1970, 1, 1)
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
    with pytest.raises(PolicyError, match=r"plausibility\.scaled_scores_since must be a date"):
        parse_policy(text.replace("value = 2023-06-01", 'value = "2023-06-01"'))
