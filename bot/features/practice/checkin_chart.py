"""The check-in's picture: the estimate's interval against the readiness standard. Pure: PNG bytes out.

No numbers on the axis: the scale is the bot's own (logits on its question bank), and a number there would
read as a score. The picture says only where the interval lies relative to the standard line, and where
the previous check-in's estimate was.
"""

from __future__ import annotations

from bot.core.charts import new_figure, to_png

SPAN = 3.0  # logits shown either side of the standard


def interval_chart(
    ability: float, interval: tuple[float, float], standard: float, previous: float | None = None
) -> bytes:
    figure, axes = new_figure(6, 1.9)

    def place(value: float) -> float:
        return max(-SPAN, min(SPAN, value - standard))

    low, high = place(interval[0]), place(interval[1])
    color = "#23A55A" if low > 0 else "#DA373C" if high < 0 else "#F0B232"
    axes.axvspan(-SPAN, 0, color="#DA373C", alpha=0.06, zorder=0)
    axes.axvspan(0, SPAN, color="#23A55A", alpha=0.06, zorder=0)
    axes.hlines(0, low, high, color=color, linewidth=10, alpha=0.55, zorder=2, label="likely range")
    axes.plot([place(ability)], [0], "o", color=color, markersize=11, zorder=3, label="estimate")
    if previous is not None:
        axes.plot(
            [place(previous)], [0.32], "v", color="#80848E", markersize=9, zorder=3, label="last check-in"
        )
    axes.axvline(0, color="#5865F2", linewidth=2, linestyle="--", zorder=4)
    axes.text(
        0,
        0.62,
        "readiness standard (the bot's heuristic)",
        color="#5865F2",
        fontsize=8,
        ha="center",
        zorder=5,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
    )
    axes.set_xlim(-SPAN, SPAN)
    axes.set_ylim(-0.5, 0.8)
    axes.set_yticks([])
    axes.set_xticks([-SPAN * 0.66, SPAN * 0.66])
    axes.set_xticklabels(["below the standard", "above the standard"])
    axes.tick_params(axis="x", length=0)
    axes.set_title("Your check-in on this bot's questions (not a National Registry score)", fontsize=9)
    axes.legend(loc="lower right", fontsize=7, ncols=3, frameon=False)
    return to_png(figure)
