"""PNG charts (matplotlib, Agg backend). Pure: data in, PNG bytes out."""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.retake import Attempt


def attempts_chart(attempts: Sequence[Attempt], passing: int, scale_min: int, scale_max: int) -> bytes:
    """The member's scaled scores per attempt against the passing line."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 3.4), dpi=110)
    axes = figure.subplots()
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
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def domain_accuracy_chart(rows: Sequence[tuple[str, float, int]]) -> bytes:
    """Quiz accuracy per domain: (label, accuracy 0-1, answers)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 0.6 + 0.55 * max(len(rows), 1)), dpi=110)
    axes = figure.subplots()
    labels = [label for label, _, _ in rows]
    values = [accuracy * 100 for _, accuracy, _ in rows]
    axes.barh(labels, values, color="#5865F2", zorder=2)
    for y, (_, accuracy, answered) in enumerate(rows):
        axes.annotate(
            f"{accuracy * 100:.0f} ({answered})",
            (accuracy * 100, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    axes.set_xlim(0, 110)
    axes.set_xlabel("accuracy (share right; answers in brackets)")
    axes.invert_yaxis()
    axes.grid(axis="x", alpha=0.3, zorder=0)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
