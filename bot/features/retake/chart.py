"""The attempts chart: scaled scores against the passing line. Pure: data in, PNG bytes out."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.charts import new_figure, to_png
from bot.features.retake.model import Attempt


def attempts_chart(attempts: Sequence[Attempt], passing: int, scale_min: int, scale_max: int) -> bytes:
    """The member's scaled scores per attempt against the passing line."""
    figure, axes = new_figure(6, 3.4)
    positions = list(range(1, len(attempts) + 1))
    scores = [a.score for a in attempts]
    axes.bar(positions, scores, color="#5865F2", width=0.55, zorder=2)
    for x, score in zip(positions, scores, strict=True):
        axes.annotate(
            str(score), (x, score), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=9
        )
    axes.axhline(passing, color="#23A55A", linewidth=2, linestyle="--", zorder=3)
    axes.text(
        0.99,
        passing + 15,
        f"passing point {passing}",
        color="#23A55A",
        fontsize=9,
        va="bottom",
        ha="right",
        transform=axes.get_yaxis_transform(),
    )
    axes.set_ylim(scale_min, scale_max)
    axes.set_xlim(0.4, max(len(attempts), 3) + 0.6)
    axes.set_xticks(
        positions, [f"#{i}\n{a.taken_on.isoformat()}" for i, a in zip(positions, attempts, strict=True)]
    )
    axes.set_ylabel(f"scaled score ({scale_min}-{scale_max})")
    axes.set_title("Your attempts: scaled scores, not percentages", fontsize=10)
    axes.grid(axis="y", alpha=0.3, zorder=0)
    return to_png(figure)
