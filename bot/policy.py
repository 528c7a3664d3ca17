"""Loads ``bot/data/policy.toml``: every number the bot applies, each with its source.

Code reads these values through :class:`Policy`; no rule's number is written anywhere else.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

#: Shipped as package data, so a wheel or a container image finds it too.
DATA_DIR = Path(str(resources.files("bot").joinpath("data")))
DEFAULT_POLICY_PATH = DATA_DIR / "policy.toml"


class PolicyError(ValueError):
    """The policy file is missing a rule, or a rule has the wrong shape."""


@dataclass(frozen=True, slots=True)
class Rule:
    value: Any
    source: str
    confidence: str


@dataclass(frozen=True, slots=True)
class CheckinPolicy:
    """The check-in's and the item statistics' numbers; their meanings are beside them in the file."""

    min_items: int
    max_items: int
    readiness_standard: float  # logits on the bank's Rasch scale
    interval_z: float
    ability_prior_sd: float
    difficulty_logits: tuple[float, ...]  # author's level 1-5 -> prior difficulty
    min_responses: int
    recalibrate_after_answers: int
    recalibrate_hours: int
    same_within: float
    domain_shortfall: float
    items_min_answers: int
    flag_discrimination: float
    flag_reports: int

    def prior_difficulty(self, level: int) -> float:
        return self.difficulty_logits[min(max(level, 1), len(self.difficulty_logits)) - 1]


@dataclass(frozen=True, slots=True)
class Policy:
    scale_min: int
    scale_max: int
    passing_score: int
    near_miss_within: int
    some_way_off_within: int
    wait_days: int
    attempts_before_refresher: int
    results_business_days: int
    course_years: int
    course_warn_days: int
    att_days: int
    result_valid_months: int
    state_licensed_pathway_hours: int
    #: Plausibility bounds on dates members type (see ``[plausibility.*]`` in the policy file).
    scaled_scores_since: dt.date
    earliest_record: dt.date
    course_margin_years: int
    result_margin_years: int
    reminder_local_hour: int
    course_reminder_days_before: tuple[int, ...]
    pacing_seconds: int
    stats_min_answers_per_domain: int
    second_bucket_min_share: int
    late_after_minutes: int
    max_send_attempts: int
    backoff_seconds: int
    backoff_cap_seconds: int
    lease_seconds: int
    discord_global_rate: int
    outbox_pace_percent: int
    exam_minutes: int
    exam_max_items: int
    #: Spaced review (``[review.*]``): the bot's heuristics, retention in whole percent.
    review_retention_far: int
    review_retention_month: int
    review_retention_week: int
    review_month_days: int
    review_final_days: int
    review_max_interval_days: int
    review_learning_steps_minutes: tuple[int, ...]
    review_relearning_steps_minutes: tuple[int, ...]
    review_session_size: int
    review_seconds_per_card: int
    review_goal_max_days: int
    review_exam_hour: int
    review_strong_from: int
    review_at_risk_below: int
    #: The organizer's view (``[group.*]``): counts under this are "fewer than N"; the retest window and
    #: the daily question's participation windows, in days.
    group_small_number: int
    group_retest_window_days: int
    group_short_window_days: int
    group_long_window_days: int
    #: exam domain -> (low, high) share of the exam in whole percent, from ``[exam.<domain>_weight]``.
    domain_weights: dict[str, tuple[int, int]]
    #: The adaptive check-in and /quiz items (``[checkin.*]``, ``[items.*]``): the bot's heuristics.
    checkin: CheckinPolicy
    rules: dict[str, Rule]


_FIELDS: dict[str, str] = {
    "scale_min": "scoring.scale_min",
    "scale_max": "scoring.scale_max",
    "passing_score": "scoring.passing_score",
    "near_miss_within": "scoring.near_miss_within",
    "some_way_off_within": "scoring.some_way_off_within",
    "wait_days": "attempts.wait_days",
    "attempts_before_refresher": "attempts.before_refresher",
    "results_business_days": "results.business_days",
    "course_years": "windows.course_years",
    "course_warn_days": "windows.course_warn_days",
    "att_days": "windows.att_days",
    "result_valid_months": "windows.result_valid_months",
    "state_licensed_pathway_hours": "windows.state_licensed_pathway_hours",
    "course_margin_years": "plausibility.course_margin_years",
    "result_margin_years": "plausibility.result_margin_years",
    "reminder_local_hour": "reminders.local_hour",
    "course_reminder_days_before": "reminders.course_window_days_before",
    "pacing_seconds": "quiz.pacing_seconds",
    "stats_min_answers_per_domain": "quiz.stats_min_answers_per_domain",
    "second_bucket_min_share": "plan.second_bucket_min_share",
    "late_after_minutes": "reminders.late_after_minutes",
    "max_send_attempts": "outbox.max_send_attempts",
    "backoff_seconds": "outbox.backoff_seconds",
    "backoff_cap_seconds": "outbox.backoff_cap_seconds",
    "lease_seconds": "outbox.lease_seconds",
    "discord_global_rate": "discord.global_requests_per_second",
    "outbox_pace_percent": "outbox.pace_percent",
    "exam_minutes": "practice.exam_minutes",
    "exam_max_items": "practice.exam_max_items",
    **{
        f"review_{name}": f"review.{name}"
        for name in (
            "retention_far",
            "retention_month",
            "retention_week",
            "month_days",
            "final_days",
            "max_interval_days",
            "learning_steps_minutes",
            "relearning_steps_minutes",
            "session_size",
            "seconds_per_card",
            "goal_max_days",
            "exam_hour",
            "strong_from",
            "at_risk_below",
        )
    },
    "group_small_number": "group.small_number",
    "group_retest_window_days": "group.retest_window_days",
    "group_short_window_days": "group.short_window_days",
    "group_long_window_days": "group.long_window_days",
}


_DATE_FIELDS: dict[str, str] = {
    "scaled_scores_since": "plausibility.scaled_scores_since",
    "earliest_record": "plausibility.earliest_record",
}


def _rules(raw: dict[str, Any]) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for section, entries in raw.items():
        if not isinstance(entries, dict):
            raise PolicyError(f"[{section}] must be a table of rules")
        for name, entry in entries.items():
            key = f"{section}.{name}"
            if not isinstance(entry, dict) or "value" not in entry or not entry.get("source"):
                raise PolicyError(f"{key} needs a value and a source")
            rules[key] = Rule(entry["value"], str(entry["source"]), str(entry.get("confidence", "")))
    return rules


def _check_int(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PolicyError(f"{key} must be a whole number of at least 0, not {value!r}")
    return value


def parse_policy(text: str) -> Policy:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"policy file is not valid TOML: {error}") from error
    rules = _rules(raw)
    values: dict[str, Any] = {}
    for field, key in _FIELDS.items():
        if key not in rules:
            raise PolicyError(f"policy file has no rule {key}")
        value = rules[key].value
        if isinstance(value, list):
            values[field] = tuple(_check_int(key, item) for item in value)
        else:
            values[field] = _check_int(key, value)
    for field, key in _DATE_FIELDS.items():
        if key not in rules:
            raise PolicyError(f"policy file has no rule {key}")
        value = rules[key].value
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise PolicyError(f"{key} must be a date (YYYY-MM-DD, unquoted), not {value!r}")
        values[field] = value
    weights: dict[str, tuple[int, int]] = {}
    for key, rule in rules.items():
        if key.startswith("exam.") and key.endswith("_weight"):
            low, high = (_check_int(key, v) for v in rule.value) if isinstance(rule.value, list) else (-1, -1)
            if not 0 <= low <= high <= 100:
                raise PolicyError(f"{key} must be [low, high] whole percents")
            weights[key.removeprefix("exam.").removesuffix("_weight")] = (low, high)
    if not weights:
        raise PolicyError("policy file has no [exam.<domain>_weight] rules")
    policy = Policy(**values, domain_weights=weights, checkin=checkin_policy(rules), rules=rules)
    if not policy.scale_min < policy.passing_score <= policy.scale_max:
        raise PolicyError("scoring.passing_score must lie inside the scale")
    if not 0 < policy.near_miss_within < policy.some_way_off_within:
        raise PolicyError("scoring.near_miss_within must be above 0 and below scoring.some_way_off_within")
    if not 0 < policy.review_at_risk_below <= policy.review_strong_from < 100:
        raise PolicyError("review.at_risk_below and review.strong_from must be percents, at-risk the lower")
    for retention in (
        policy.review_retention_far,
        policy.review_retention_month,
        policy.review_retention_week,
    ):
        if not 70 <= retention < 100:
            raise PolicyError("review.retention_* must be whole percents from 70 to 99")
    if not 0 <= policy.reminder_local_hour <= 23:
        raise PolicyError("reminders.local_hour must be an hour of the day (0-23)")
    if policy.group_small_number < 1:
        raise PolicyError("group.small_number must be at least 1")
    if not 0 < policy.group_short_window_days < policy.group_long_window_days:
        raise PolicyError("group.short_window_days must be above 0 and below group.long_window_days")
    return policy


def load_policy(path: Path = DEFAULT_POLICY_PATH) -> Policy:
    return parse_policy(path.read_text(encoding="utf-8"))


def _number(rules: dict[str, Rule], key: str) -> float:
    value = rules[key].value if key in rules else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PolicyError(f"policy file needs {key} as a number, not {value!r}")
    return float(value)


def checkin_policy(rules: dict[str, Rule]) -> CheckinPolicy:
    """The ``[checkin.*]`` and ``[items.*]`` rules, checked."""
    whole = {
        name: _check_int(key, rules[key].value if key in rules else None)
        for name, key in (
            ("min_items", "checkin.min_items"),
            ("max_items", "checkin.max_items"),
            ("min_responses", "checkin.min_responses"),
            ("recalibrate_after_answers", "checkin.recalibrate_after_answers"),
            ("recalibrate_hours", "checkin.recalibrate_hours"),
            ("items_min_answers", "items.min_answers"),
            ("flag_reports", "items.flag_reports"),
        )
    }
    found = rules["checkin.difficulty_logits"].value if "checkin.difficulty_logits" in rules else None
    levels: list[Any] = found if isinstance(found, list) else []
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in levels)
    if not numbers or len(levels) != 5 or levels != sorted(levels):
        raise PolicyError("checkin.difficulty_logits must be five numbers in rising order (levels 1-5)")
    result = CheckinPolicy(
        **whole,
        readiness_standard=_number(rules, "checkin.readiness_standard"),
        interval_z=_number(rules, "checkin.interval_z"),
        ability_prior_sd=_number(rules, "checkin.ability_prior_sd"),
        difficulty_logits=tuple(float(v) for v in levels),
        same_within=_number(rules, "checkin.same_within"),
        domain_shortfall=_number(rules, "checkin.domain_shortfall"),
        flag_discrimination=_number(rules, "items.flag_discrimination"),
    )
    if not 0 < result.min_items <= result.max_items:
        raise PolicyError("checkin.min_items must be above 0 and at most checkin.max_items")
    if result.interval_z <= 0 or result.ability_prior_sd <= 0:
        raise PolicyError("checkin.interval_z and checkin.ability_prior_sd must be above 0")
    return result
