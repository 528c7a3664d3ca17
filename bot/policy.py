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
    exam_minutes: int
    exam_max_items: int
    #: The organizer's view (``[group.*]``): counts under this are "fewer than N"; the retest window and
    #: the daily question's participation windows, in days.
    group_small_number: int
    group_retest_window_days: int
    group_short_window_days: int
    group_long_window_days: int
    #: exam domain -> (low, high) share of the exam in whole percent, from ``[exam.<domain>_weight]``.
    domain_weights: dict[str, tuple[int, int]]
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
    "exam_minutes": "practice.exam_minutes",
    "exam_max_items": "practice.exam_max_items",
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
    policy = Policy(**values, domain_weights=weights, rules=rules)
    if not policy.scale_min < policy.passing_score <= policy.scale_max:
        raise PolicyError("scoring.passing_score must lie inside the scale")
    if not 0 < policy.near_miss_within < policy.some_way_off_within:
        raise PolicyError("scoring.near_miss_within must be above 0 and below scoring.some_way_off_within")
    if not 0 <= policy.reminder_local_hour <= 23:
        raise PolicyError("reminders.local_hour must be an hour of the day (0-23)")
    if policy.group_small_number < 1:
        raise PolicyError("group.small_number must be at least 1")
    if not 0 < policy.group_short_window_days < policy.group_long_window_days:
        raise PolicyError("group.short_window_days must be above 0 and below group.long_window_days")
    return policy


def load_policy(path: Path = DEFAULT_POLICY_PATH) -> Policy:
    return parse_policy(path.read_text(encoding="utf-8"))
