"""Seconds per item in a timed block against the exam-pace target. Pure: data in, PNG bytes out."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.charts import new_figure, to_png


def seconds_per_item_chart(seconds: Sequence[float], target: float) -> bytes:
    figure, axes = new_figure(6, 3)
    positions = list(range(1, len(seconds) + 1))
    colors = ["#DA373C" if s > target else "#5865F2" for s in seconds]
    axes.bar(positions, list(seconds), color=colors, zorder=2)
    axes.axhline(target, color="#23A55A", linewidth=2, linestyle="--", zorder=3)
    axes.text(
        0.99,
        target,
        f" target {target:.0f} s",
        color="#23A55A",
        fontsize=9,
        va="bottom",
        ha="right",
        transform=axes.get_yaxis_transform(),
    )
    axes.set_xlabel("item")
    axes.set_ylabel("seconds")
    axes.set_title("Time per item (red: over the target)", fontsize=10)
    axes.grid(axis="y", alpha=0.3, zorder=0)
    return to_png(figure)
