"""The small-number rule and the group's aggregates: table-driven cases and hypothesis properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.features.group.model import Breakdown, Hidden, Shown, funnel, share, subtotal, suppress
from bot.features.group.overview import (
    AtExam,
    GroupFacts,
    MemberRecord,
    Stage,
    Suggest,
    Tally,
    at_exam,
    awaiting_results,
    build_overview,
    shown_numbers,
    stage_of,
)
from bot.features.pathway.model import Gate, GateRecord, Mark, build_card
from bot.features.pathway.state import exam_attempts
from bot.features.retake.model import Attempt, retake_state
from bot.policy import Policy, load_policy

T = 3
FEW = Shown(None, Hidden.FEW)
HELD = Shown(None, Hidden.PROTECTED)
TODAY = dt.date(2026, 11, 23)
POLICY = load_policy()


def values(breakdown: Breakdown[str]) -> list[Shown]:
    return [shown for _, shown in breakdown.parts]


@pytest.mark.parametrize(
    ("counts", "expected_total", "expected"),
    [
        ([5, 4, 6], Shown(15), [Shown(5), Shown(4), Shown(6)]),  # nothing small: everything shown
        ([5, 2, 6], Shown(13), [HELD, FEW, Shown(6)]),  # 13 - 6 - 5 would give the 2 away
        ([5, 1, 1, 6], Shown(13), [HELD, FEW, FEW, Shown(6)]),  # 1 + 1 < 3: the 5 is held back too
        ([9, 0, 0, 0], Shown(9), [HELD, FEW, FEW, FEW]),  # zeros are small too; 9 - 0 is not shown
        ([2, 0], FEW, [FEW, FEW]),  # a small total: every part held back
        ([4, 3, 1], Shown(8), [Shown(4), HELD, FEW]),  # the smallest shown part goes first
    ],
)
def test_suppress(counts: list[int], expected_total: Shown, expected: list[Shown]) -> None:
    keyed = {f"k{i}": c for i, c in enumerate(counts)}
    breakdown = suppress(keyed, T)
    assert breakdown.total == expected_total
    assert values(breakdown) == expected


def test_a_held_back_total_holds_back_every_part() -> None:
    breakdown = suppress({"a": 5, "b": 4}, T, total=HELD)
    assert values(breakdown) == [HELD, HELD]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([5, 4, 6], [15, 10, 6]),
        ([6, 5, 0, 0], [11, 5, None, None]),  # 5 + the held-back zeros is the residue: shown
        ([5, 2, 6], [13, None, 6]),  # "from b on" would be 2 + 6 with the 5 held back
    ],
)
def test_funnel_shows_no_partial_sum_of_held_back_parts(
    counts: list[int], expected: list[int | None]
) -> None:
    reached = funnel(suppress({f"k{i}": c for i, c in enumerate(counts)}, T))
    assert [shown.value for _, shown in reached] == expected


@pytest.mark.parametrize(
    ("counts", "keys", "expected"),
    [
        ([5, 4, 6], [0, 1], Shown(9)),
        ([5, 2, 6], [1, 2], HELD),  # 2 + 6 with the 5 held back: would give the 2 away with the 5
        ([5, 2, 6], [0, 1], Shown(7)),  # every held-back part: 13 - 6, nothing new
        ([1, 1], [0], FEW),  # a small total holds back every sum
    ],
)
def test_subtotal(counts: list[int], keys: list[int], expected: Shown) -> None:
    assert subtotal(suppress(dict(enumerate(counts)), T), keys) == expected


@pytest.mark.parametrize(
    ("part", "base", "bases", "expected"),
    [(2, 4, (4, 3), 0.5), (2, 4, (4, 2), None), (0, 0, (0,), None), (3, 3, (3, 3), 1.0)],
)
def test_share_needs_every_base_at_the_threshold(
    part: int, base: int, bases: tuple[int, ...], expected: float | None
) -> None:
    assert share(part, base, bases, T) == expected


# ---------------------------------------------------------------------------------------- properties

partitions = st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=7)


@settings(max_examples=300, deadline=None)
@given(partitions, st.integers(min_value=1, max_value=5))
def test_no_small_count_is_shown_or_recoverable_by_subtraction(counts: list[int], threshold: int) -> None:
    breakdown = suppress({i: c for i, c in enumerate(counts)}, threshold)
    for (_key, shown), count in zip(breakdown.parts, counts, strict=True):
        assert shown.value in (None, count)
        assert (shown.hidden is Hidden.FEW) == (count < threshold)
    if breakdown.total.visible:
        residue = sum(counts) - sum(s.value or 0 for _, s in breakdown.parts)
        held = [k for k, s in breakdown.parts if not s.visible]
        assert residue >= threshold if held else residue == 0
        for _, shown in funnel(breakdown):  # a cumulative count is never a small partial residue
            assert shown.value is None or shown.value >= threshold


@settings(max_examples=300, deadline=None)
@given(partitions, st.data())
def test_one_more_member_in_a_small_part_changes_no_shown_number_by_their_data(
    counts: list[int], data: st.DataObject
) -> None:
    """The issue's property: adding (or, read backwards, removing) one member who did not share, in a
    part whose count stays under the threshold, leaves that part "fewer than 3" and every other part's
    shown number as it was: nothing tells which part they are in."""
    small = [i for i, c in enumerate(counts) if c + 1 < T]
    if not small:
        return
    k = data.draw(st.sampled_from(small))
    before = suppress(dict(enumerate(counts)), T)
    after = suppress({i: c + (i == k) for i, c in enumerate(counts)}, T)
    assert before.part(k) == after.part(k) == FEW
    for (_, old), (_, new) in zip(before.parts, after.parts, strict=True):
        if old.visible and new.visible:
            assert old == new


# ------------------------------------------------------------------------------------- the aggregates


def member(
    user_id: int,
    gates: list[tuple[Gate, Mark, dt.date | None]],
    attempts: list[dt.date] = (),  # type: ignore[assignment]
    *,
    shared: bool = False,
    policy: Policy = POLICY,
) -> MemberRecord:
    retake = retake_state([Attempt(d, 800) for d in attempts], None, TODAY, policy)
    card = build_card([GateRecord(*g) for g in gates], TODAY, policy, attempts=exam_attempts(retake))
    return MemberRecord(user_id, shared, card, retake)


COURSE_DONE = (Gate.COURSE, Mark.DONE, dt.date(2026, 6, 1))
VERIFIED = (Gate.VERIFICATION, Mark.DONE, None)
PASSED = (Gate.EXAM, Mark.DONE, dt.date(2026, 11, 20))


@pytest.mark.parametrize(
    ("gates", "attempts", "stage", "exam", "awaiting"),
    [
        ([], [], Stage.COURSE, None, False),
        ([COURSE_DONE], [], Stage.VERIFICATION, None, False),
        ([COURSE_DONE, VERIFIED], [], Stage.EXAM, AtExam.READY, False),
        ([COURSE_DONE, VERIFIED], [dt.date(2026, 11, 20)], Stage.EXAM, AtExam.SOON, False),
        ([COURSE_DONE, VERIFIED], [dt.date(2026, 11, 1)], Stage.EXAM, AtExam.READY, False),  # wait over
        (
            [COURSE_DONE, VERIFIED],
            [dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2026, 8, 1)],
            Stage.EXAM,
            AtExam.REFRESHER,
            False,
        ),
        ([COURSE_DONE, VERIFIED, PASSED], [], Stage.SKILLS, None, True),  # skills still to come
    ],
)
def test_where_one_member_stands(
    gates: list[tuple[Gate, Mark, dt.date | None]],
    attempts: list[dt.date],
    stage: Stage,
    exam: AtExam | None,
    awaiting: bool,
) -> None:
    record = member(1, gates, attempts)
    assert stage_of(record.card) is stage
    assert at_exam(record.retake, record.card, 14) is exam
    assert awaiting_results(record.card) is awaiting


def facts(records: list[MemberRecord], **changes: object) -> GroupFacts:
    base = GroupFacts(
        members=tuple(records),
        week=Tally(),
        month=Tally(),
        month_only_members=0,
        domains={},
        buckets={},
        quiz_set_up=True,
    )
    return GroupFacts(**{**{f: getattr(base, f) for f in GroupFacts.__dataclass_fields__}, **changes})  # type: ignore[arg-type]


def test_a_group_of_two_shows_no_counts_but_names_who_shared() -> None:
    records = [member(1, []), member(2, [COURSE_DONE], shared=True)]
    overview = build_overview(facts(records), POLICY)
    assert not overview.enough
    assert shown_numbers(overview) == []
    assert [r.user_id for r in overview.shared] == [2]


def test_participation_answers_are_held_back_when_one_member_would_show() -> None:
    records = [member(i, []) for i in range(6)]
    overview = build_overview(
        facts(
            records,
            week=Tally(4, 40, 30),
            month=Tally(5, 55, 40),
            month_only_members=1,  # 55 - 40 answers would be that one member's
            buckets={"scope": Tally(4, 12), "pacing": Tally(1, 30)},
            domains={"operations": Tally(3, 9, 3), "scene_safety": Tally(4, 8, 6), "pathway": Tally(2, 3, 3)},
        ),
        POLICY,
    )
    assert overview.week.members == Shown(4) and overview.week.answers is None
    assert overview.week.share_right is None
    assert overview.month.answers == Shown(55) and overview.month.share_right == pytest.approx(40 / 55)
    assert [(b.bucket, b.misses) for b in overview.buckets] == [("pacing", None), ("scope", Shown(12))]
    kinds = {s.kind: s.subject for s in overview.suggestions}
    assert kinds[Suggest.TOP_BUCKET] == "scope"  # pacing has more misses, but only from one member
    assert kinds[Suggest.WEAK_DOMAIN] == "operations"
    assert Suggest.SET_UP_QUIZ not in kinds


stages = st.sampled_from(
    [
        [],
        [COURSE_DONE],
        [COURSE_DONE, VERIFIED],
        [COURSE_DONE, VERIFIED, PASSED],
        [COURSE_DONE, VERIFIED, PASSED, (Gate.SKILLS, Mark.DONE, dt.date(2026, 11, 2))],
    ]
)
groups = st.lists(
    st.tuples(stages, st.sampled_from([[], [dt.date(2026, 11, 20)], [dt.date(2026, 10, 20)]])),
    max_size=14,
)


@settings(max_examples=120, deadline=None)
@given(groups, stages)
def test_no_shown_count_of_the_overview_is_small_and_a_quiet_member_changes_no_small_cell(
    group: list[tuple[list[tuple[Gate, Mark, dt.date | None]], list[dt.date]]],
    newcomer: list[tuple[Gate, Mark, dt.date | None]],
) -> None:
    records = [member(i, gates, attempts) for i, (gates, attempts) in enumerate(group)]
    before = build_overview(facts(records), POLICY)
    after = build_overview(facts([*records, member(999, newcomer)]), POLICY)
    for overview in (before, after):
        assert all(n >= POLICY.group_small_number for n in shown_numbers(overview))
        assert overview.shared == ()
    stage = stage_of(member(999, newcomer).card)
    count_after = 1 + sum(stage_of(r.card) is stage for r in records)
    if count_after < POLICY.group_small_number and before.enough:
        assert before.stages.part(stage) == after.stages.part(stage) == FEW
