"""The quiz accuracy chart per domain. Pure: data in, PNG bytes out."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.charts import new_figure, to_png


def domain_accuracy_chart(rows: Sequence[tuple[str, float, int]]) -> bytes:
    """Quiz accuracy per domain: (label, accuracy 0-1, answers)."""
    figure, axes = new_figure(6, 0.6 + 0.55 * max(len(rows), 1))
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
    return to_png(figure)
