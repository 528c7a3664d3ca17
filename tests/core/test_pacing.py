"""The outbox's share of Discord's global rate limit: the leaky bucket, the shares, and what counts."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.core.delivery import count_requests
from bot.core.pacing import Pacer


class VirtualTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)  # a real await point: a test can time out instead of hanging


def pacer(rate: float, burst: float, time: VirtualTime) -> Pacer:
    return Pacer(rate, burst, now=time, sleep=time.sleep)


@pytest.mark.parametrize(
    ("shard_ids", "shard_count", "rate", "burst"),
    [
        (None, None, 45.0, 5.0),  # one process: the whole limit, 90 % of it paced, 10 % burst
        (None, 4, 45.0, 5.0),  # every shard in this process
        ((0, 1), 4, 22.5, 2.5),  # half the shards: half the limit
        ((3,), 4, 11.25, 1.25),
        ((5,), 16, 2.125, 1.0),  # the burst is never below one request; the rate gives way
        ((1,), 64, 0.390625, 1.0),  # a share below one request a second: half of it, one at a time
    ],
)
def test_each_process_keeps_its_shards_share(
    shard_ids: tuple[int, ...] | None, shard_count: int | None, rate: float, burst: float
) -> None:
    share = Pacer.share_of(50, 90, shard_ids, shard_count)
    assert (share.rate, share.burst) == (pytest.approx(rate), pytest.approx(burst))


@pytest.mark.parametrize(("rate", "burst"), [(0, 5), (-1, 5), (10, 0.5)])
def test_a_pacer_that_could_never_let_anything_through_is_refused(rate: float, burst: float) -> None:
    with pytest.raises(ValueError, match="positive rate"):
        Pacer(rate, burst)


async def test_a_burst_goes_at_once_then_the_rate_holds() -> None:
    time = VirtualTime()
    bucket = pacer(10, 5, time)
    for _ in range(5):
        await bucket.room()
        bucket.note()
    assert time.now == 0.0  # the burst
    await bucket.room()
    assert time.now == pytest.approx(0.1)  # then one request per tenth of a second
    bucket.note()
    await bucket.room()
    assert time.now == pytest.approx(0.2)
    assert bucket.waited == pytest.approx(0.2)


@pytest.mark.parametrize("start", [0.0, 1_000.0, 1_000_000.0])
async def test_a_long_burst_finishes_whatever_the_clock_reads(start: float) -> None:
    """Regression: float arithmetic left a bucket a hair over full and the wait too short to move a
    monotonic clock that had run for a while, so room() spun for ever."""
    time = VirtualTime()
    time.now = start
    bucket = pacer(40, 10, time)

    async def burst() -> None:
        for _ in range(300):
            await bucket.room()
            bucket.note(2)

    await asyncio.wait_for(burst(), 5)
    assert time.now - start == pytest.approx((600 - 10 + 2) / 40, abs=0.1)


async def test_requests_the_outbox_did_not_make_still_count() -> None:
    time = VirtualTime()
    bucket = pacer(10, 5, time)
    bucket.note(5)  # a member's commands, say
    await bucket.room()
    assert time.now == pytest.approx(0.1)


@settings(max_examples=50, deadline=None)
@given(
    costs=st.lists(st.integers(min_value=1, max_value=2), min_size=1, max_size=400),
    gaps=st.lists(st.sampled_from([0.0, 0.001, 0.01, 0.05, 0.2]), min_size=1, max_size=400),
)
@example(costs=[2] * 300, gaps=[0.0])  # a burst of first DMs, all due at once
async def test_no_one_second_window_sees_more_than_rate_plus_burst(
    costs: list[int], gaps: list[float]
) -> None:
    """Deliveries of one or two requests each (a DM to a known channel, or a first DM), at any pace the
    callers like: any one-second window holds at most rate + burst requests (+1 for the second request
    of a delivery that started just inside the limit)."""
    time = VirtualTime()
    bucket = pacer(40, 10, time)
    stamps: list[float] = []
    for index, cost in enumerate(costs):
        time.now += gaps[index % len(gaps)]
        await bucket.room()
        bucket.note(cost)
        stamps += [time.now] * cost
    for start in stamps:
        assert sum(1 for t in stamps if start <= t < start + 1.0) <= 40 + 10 + 1


async def test_every_request_but_an_interactions_counts() -> None:
    noted: list[str] = []

    class Http:
        async def request(self, route: discord.http.Route, **kwargs: Any) -> str:
            return route.path

    class Counter(Pacer):
        def note(self, requests: int = 1) -> None:
            noted.append("x")

    http = Http()
    count_requests(http, Counter(1, 1))  # type: ignore[arg-type]
    sent = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=1)
    callback = discord.http.Route(
        "POST", "/interactions/{interaction_id}/{interaction_token}/callback", interaction_id=1,
        interaction_token="t",
    )  # fmt: skip
    follow_up = discord.http.Route(
        "POST", "/webhooks/{webhook_id}/{webhook_token}", webhook_id=1, webhook_token="t"
    )
    assert await http.request(sent) == "/channels/{channel_id}/messages"
    await http.request(callback)
    await http.request(follow_up)
    assert noted == ["x"]
