"""Every reply, rendered with maximal inputs, stays inside Discord's limits and is cut at a word boundary.

Maximal inputs: five 200-character error-log notes (markdown escaping doubles some), long display
names, every question in the bank and a synthetic one at the schema's maximum lengths, twenty
500-character question reports, a long attempt history and missed reminders.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import discord
import pytest

from bot.core import refusals
from bot.core.wording import describe_refusal, permission_refusal, unexpected_error
from bot.features.errorlog import text as errorlog_text
from bot.features.errorlog.model import BUCKETS, Bucket, Miss
from bot.features.group import text as group_text
from bot.features.group.digest import DigestPlan
from bot.features.group.model import DigestProblem, DigestRefusal
from bot.features.group.overview import GroupFacts, MemberRecord, Tally, build_overview
from bot.features.members import privacy_text
from bot.features.members import text as members_text
from bot.features.pathway import text as pathway_text
from bot.features.pathway.model import GATE_ORDER, Gate, GateRecord, GateRefusal, GateRule, Mark, build_card
from bot.features.pathway.state import MemberState, exam_attempts
from bot.features.practice import checkin_text
from bot.features.practice import text as practice_text
from bot.features.practice.checkin import Change, CheckinReport
from bot.features.practice.irt import Estimate, Verdict
from bot.features.quiz import items_text, multi_text
from bot.features.quiz import text as quiz_text
from bot.features.quiz.bank import Domain, Question, QuestionBank
from bot.features.quiz.daily import Reveal, SetupProblem, SetupRefusal
from bot.features.quiz.item_stats import ItemReport, ItemStat
from bot.features.quiz.repo import Report
from bot.features.quiz.stats import AnswerRecord, quiz_stats
from bot.features.reminders import text as reminders_text
from bot.features.reminders.model import DueReminder, ReminderKind, ReminderStatus
from bot.features.retake import text as retake_text
from bot.features.retake.model import (
    Attempt,
    AttemptProblem,
    AttemptRefusal,
    ScoreProblem,
    ScoreRefusal,
    read_score,
    repair_plan,
    retake_state,
)
from bot.policy import Policy
from tests.limits import assert_fits

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC)
ZONE = ZoneInfo("America/Argentina/ComodRivadavia")
LONG_NAME = "Ｗ" * 32  # Discord display names hold up to 32 characters
WORDS = "tourniquet above the wound, *not* over a joint_ and `never` loosen it; "
LONG_INPUT = "x" * 40  # date options are at most 40 characters long


def words(length: int) -> str:
    return (WORDS * (length // len(WORDS) + 1))[:length].rstrip() + "."


def max_question(domain: Domain = Domain.PRIMARY_ASSESSMENT) -> Question:
    return Question(
        id="pa-circ-999",
        domain=domain,
        stem=words(600),
        options=(words(200), words(200), words(200), words(200)),
        correct=frozenset({2}),
        explanation=words(900),
        bucket=Bucket.SEQUENCE,
        pediatric=True,
        basis=words(200),
        difficulty=3,
        source="primary_assessment_circulation.yaml:1",
    )


def many_attempts() -> list[Attempt]:
    return [Attempt(dt.date(2000, 1, 1) + dt.timedelta(days=16 * i), 100 + i) for i in range(300)]


def member_state(policy: Policy, *, attempts: bool = True) -> MemberState:
    gates = [GateRecord(Gate.SKILLS, Mark.DONE, dt.date(2026, 11, 2))]  # course and verification open
    retake = retake_state(many_attempts() if attempts else [], None, TODAY, policy)
    card = build_card(gates, TODAY, policy, attempts=exam_attempts(retake))
    return MemberState(1, None, ZONE, NOW, TODAY, card, retake)


def reminder(kind: ReminderKind, number: int = 9_223_372_036_854_775_807) -> DueReminder:
    return DueReminder(
        number,
        2**63 - 1,
        kind,
        TODAY,
        TODAY + dt.timedelta(days=60),
        NOW,
        ZONE.key,
        None,
        3,
        ReminderStatus.PENDING,
    )


def embeds_of(*embeds: discord.Embed) -> list[discord.Embed]:
    return list(embeds)


# --------------------------------------------------------------------------------------------- pathway


@pytest.mark.parametrize("attempts", [True, False])
def test_status_cards(policy: Policy, attempts: bool) -> None:
    state = member_state(policy, attempts=attempts)
    missed = [reminder(kind, n) for n in range(40) for kind in ReminderKind]
    assert_fits(embeds=[pathway_text.status_embed(state, policy, missed=missed)])
    assert_fits(embeds=[pathway_text.status_embed(state, policy, owner=LONG_NAME)])
    for gate in GATE_ORDER:
        for mark in (Mark.DONE, Mark.PENDING, Mark.ISSUE):
            assert_fits(pathway_text.gate_recorded(GateRecord(gate, mark, TODAY)))
    for rule in GateRule:
        assert_fits(describe_refusal(GateRefusal(rule, Gate.EXAM, TODAY)))
    assert_fits(pathway_text.NOT_SHARED)


# ---------------------------------------------------------------------------------------------- retake


def test_retake_replies(policy: Policy) -> None:
    state = retake_state(many_attempts(), None, TODAY, policy)
    misses = Counter({b: 10_000 for b in BUCKETS})
    plan = repair_plan(misses, TODAY, TODAY + dt.timedelta(days=policy.wait_days), None, policy)
    reading = read_score(policy.scale_min, policy)
    assert_fits(embeds=retake_text.attempt_embeds(reading, state, plan, policy))
    assert_fits(embeds=retake_text.attempt_embeds(None, state, plan, policy))
    assert_fits(retake_text.refresher_recorded(retake_state([], TODAY, TODAY, policy)))
    assert_fits(retake_text.undone(many_attempts()[-1]))
    for problem in ScoreProblem:
        assert_fits(describe_refusal(ScoreRefusal(problem, 10**9, policy)))
    for attempt_problem in AttemptProblem:
        assert_fits(
            describe_refusal(
                AttemptRefusal(attempt_problem, previous=TODAY, earliest=TODAY, attempts_allowed=3)
            )
        )


def test_a_long_attempt_history_is_cut_at_an_entry(policy: Policy) -> None:
    state = retake_state(many_attempts(), None, TODAY, policy)
    plan = repair_plan(Counter(), TODAY, None, None, policy)
    main = retake_text.attempt_embeds(None, state, plan, policy)[0]
    history = next(f.value for f in main.fields if f.name and f.name.startswith("Attempts"))
    assert history is not None and history.endswith("more")  # whole entries, then how many are left out


# -------------------------------------------------------------------------------------------- errorlog


def test_errorlog_with_five_long_notes_ends_on_a_whole_word() -> None:
    note = ("I rushed; " * 20)[:200]
    recent = [Miss(Bucket.PACING, note, "quiz", TODAY) for _ in range(5)]
    starred = [Miss(Bucket.READING, "*_`" * 66 + "xy", "manual", TODAY) for _ in range(5)]
    counts = Counter({b: 10**6 for b in BUCKETS})
    for misses in (recent, starred):
        embed = errorlog_text.errorlog_embed(counts, counts, tuple(BUCKETS[:2]), "Mon 2026-11-23", misses)
        assert_fits(embeds=[embed])
    embed = errorlog_text.errorlog_embed(counts, counts, tuple(BUCKETS[:2]), "Mon 2026-11-23", recent)
    latest = next(f.value for f in embed.fields if f.name == "Latest")
    assert latest is not None
    assert not latest.endswith("I r")
    assert latest.endswith(("rushed;", "rushed", "more", "…"))
    assert_fits(errorlog_text.miss_logged(Bucket.SCOPE, counts, tuple(BUCKETS[:2])))
    assert_fits(errorlog_text.classify_first_text())


# ------------------------------------------------------------------------------------------------ quiz


def test_every_question_in_the_bank_and_a_maximal_one(bank: QuestionBank, policy: Policy) -> None:
    for question in (*bank.questions, max_question(), max_question(Domain.PATHWAY)):
        if question.multiple:  # select all that apply: its own question and feedback
            assert_fits(embeds=[multi_text.question_embed(question)])
            for chosen in (question.correct, frozenset(range(len(question.options)))):
                assert_fits(
                    embeds=[multi_text.feedback_embed(question, chosen, seconds=10**7, pacing_seconds=75)]
                )
            continue
        assert_fits(embeds=[quiz_text.question_embed(question, title="Practice question")])
        for choice in range(4):
            assert_fits(embeds=[quiz_text.feedback_embed(question, choice, seconds=10**7, pacing_seconds=75)])
        reveal = Reveal(question, 10**6, 10**6 - 1)
        assert_fits(quiz_text.reveal_text(reveal, TODAY), [quiz_text.daily_embed(question, TODAY)])
        assert_fits(quiz_text.POST_CLOSED.format(letter="A", option=question.options[0]))


def test_quiz_stats_and_organizer_replies(policy: Policy) -> None:
    answers = [
        AnswerRecord(f"q{i}", domain.value, i % 2 == 0, TODAY - dt.timedelta(days=i % 400), "knowledge")
        for i in range(5000)
        for domain in Domain
    ]
    for minimum in (0, 10**6):  # the weighted figure shown, and held back
        stats = quiz_stats(answers, TODAY, policy.domain_weights, min_per_domain=minimum)
        assert_fits(embeds=[quiz_text.stats_embed(stats)])
    reports = [Report(2**63 - 1, "pa-circ-999", "*" * 500, NOW) for _ in range(20)]
    assert_fits(quiz_text.reports_text(reports))
    for problem in SetupProblem:
        assert_fits(describe_refusal(SetupRefusal(problem, "x" * 100)))
    assert_fits(quiz_text.setup_done(f"<#{2**63 - 1}>", dt.time(23, 59), ZONE.key, NOW))
    assert_fits(quiz_text.paused_text(False, NOW, ZONE.key))
    assert_fits(quiz_text.paused_by_bot("cannot_post"))


# ------------------------------------------------------------------------------------------- reminders


@pytest.mark.parametrize("kind", list(ReminderKind))
def test_reminder_dms(policy: Policy, kind: ReminderKind) -> None:
    for late in (False, True):
        assert_fits(embeds=[reminders_text.reminder_embed(reminder(kind), policy, late=late)])
    assert_fits(reminders_text.fallback_note(2**63 - 1, "ref. ZZZZ-ZZZZ"))
    assert_fits(reminders_text.mirrored_dm(2**63 - 1))
    assert_fits(reminders_text.reminders_set(True, 10**6, 23))


# ------------------------------------------------------------------------------------ members, wording


def test_member_and_shared_replies() -> None:
    assert_fits(members_text.timezone_set(ZONE.key, NOW))
    for text in (
        privacy_text.SHARED,
        privacy_text.UNSHARED,
        privacy_text.DELETE_CONFIRM,
        privacy_text.EXPORT_TEXT,
    ):
        assert_fits(text)
    assert_fits(privacy_text.deleted(10**9))
    for error in (
        refusals.MalformedDate("date", LONG_INPUT),
        refusals.ImpossibleDate("date", LONG_INPUT),
        refusals.FutureDate("date", TODAY, TODAY),
        refusals.UnknownTimezone("x" * 64),
    ):
        assert_fits(describe_refusal(error))
    assert_fits(permission_refusal(discord.app_commands.MissingPermissions(["manage_guild"])))
    assert_fits(unexpected_error("0123abcd"))


# ------------------------------------------------------------------------------------ spaced review


def test_review_replies(policy: Policy) -> None:
    from bot.features.review import text as review_text
    from bot.features.review.model import GoalProblem, GoalRefusal, Progress, Target, TargetSource

    far = dt.date(9998, 12, 31)
    for target in (None, Target(far, TargetSource.GOAL), Target(far, TargetSource.RETEST)):
        progress = Progress(
            cards=10**6,
            due_now=10**6,
            due_today=10**6,
            due_week=10**6,
            target=target,
            strong=10**6,
            shaky=10**6,
            at_risk=10**6,
            forecast=(),
            at_risk_by_day=(),
        )
        assert_fits(embeds=[review_text.progress_embed(progress, policy)])
        assert_fits(review_text.goal_cleared(target))
    assert_fits(review_text.goal_set(Target(far, TargetSource.GOAL), 10**6, 10**6))
    for late in (False, True):
        assert_fits(embeds=[review_text.nudge_embed(10**6, 10**6, "ref. ZZZZ-ZZZZ", late=late)])
    for reminders_on in (False, True):
        assert_fits(review_text.nudge_set(23, ZONE.key, reminders_on))
    assert_fits(review_text.nudge_set(None, ZONE.key, True))
    assert_fits(review_text.NO_CARDS)
    for problem in GoalProblem:
        assert_fits(describe_refusal(GoalRefusal(problem, far, far)))


# ------------------------------------------------------------------------------ check-in and /quiz items


@pytest.mark.parametrize("verdict", list(Verdict))
@pytest.mark.parametrize("change", list(Change))
def test_checkin_results(bank: QuestionBank, policy: Policy, verdict: Verdict, change: Change) -> None:
    question = max_question()
    feedback = practice_text.question_feedback(question, 0, 9_999.0, 57.0, None)
    report = CheckinReport(
        Estimate(0.3, 0.2, policy.checkin.max_items),
        (-0.1, 0.7),
        policy.checkin.readiness_standard,
        verdict,
        tuple(d.value for d in Domain),  # every domain pulling it down
    )
    embed = checkin_text.result_embed(report, change, "2026-11-20", feedback)
    assert_fits(embeds=[embed])
    assert "%" not in (embed.description or "") and "950" not in (embed.description or "")
    assert_fits(
        embeds=[checkin_text.stopped_embed(policy.checkin.max_items, policy.checkin.min_items, feedback)]
    )


def test_quiz_items_with_every_item_flagged(bank: QuestionBank, policy: Policy) -> None:
    stats = tuple(
        ItemStat(q.id, q.domain.value, 10**6, 10**5, -0.999, -5.999, 10**4, True, True)
        for q in bank.questions
    )
    long_ids = tuple(
        ItemStat("x" * 60 + str(n), "retired", 10**6, 0, None, None, 10**4, False, True) for n in range(200)
    )
    assert_fits(embeds=[items_text.items_embed(ItemReport(stats + long_ids, 10**6))])
    assert_fits(embeds=[items_text.items_embed(ItemReport((), 0))])


# ------------------------------------------------------------------------------------------- group


def test_group_overview_and_digest_at_their_largest(policy: Policy) -> None:
    """Thousands of shared members (each named with a next step), every bucket and domain, huge counts."""
    state = member_state(policy)
    flagged = build_card([GateRecord(Gate.COURSE, Mark.ISSUE, TODAY)], TODAY, policy)
    records = tuple(
        MemberRecord(2**63 - 1 - i, True, flagged if i % 2 else state.card, state.retake) for i in range(5000)
    )
    huge = Tally(10**9, 10**12, 10**12 - 1)
    facts = GroupFacts(
        members=records,
        week=huge,
        month=huge,
        month_only_members=0,
        domains={domain: huge for domain in policy.domain_weights},
        buckets={bucket.value: huge for bucket in BUCKETS},
        quiz_set_up=False,
    )
    overview = build_overview(facts, policy)
    assert_fits(embeds=[group_text.overview_embed(overview)])
    day_ = dt.date(2026, 11, 24)
    for late in (False, True):
        assert_fits(embeds=[group_text.digest_embed(overview, day_, late=late)])
    channel = 2**63 - 1
    for weekday in range(7):
        plan = DigestPlan(True, weekday, NOW, channel, dt.time(23, 59), ZONE.key)
        assert_fits(group_text.digest_set(plan))
    assert_fits(group_text.digest_set(DigestPlan(False, 0, None, None, None, None)))
    assert_fits(group_text.digest_paused())
    for problem in DigestProblem:
        assert_fits(describe_refusal(DigestRefusal(problem)))
