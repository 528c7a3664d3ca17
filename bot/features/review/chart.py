"""/practice progress's picture: cards due each day ahead, and cards at risk if reviews stopped. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.core.charts import new_figure, to_png


def forecast_chart(
    due: Sequence[tuple[dt.date, int]],
    at_risk: Sequence[tuple[dt.date, int]],
    target: dt.date | None,
) -> bytes:
    figure, axes = new_figure(6, 3)
    days = [d for d, _ in due]
    axes.bar(days, [n for _, n in due], color="#5865F2", zorder=2, label="cards due that day")
    axes.plot(
        [d for d, _ in at_risk],
        [n for _, n in at_risk],
        color="#DA373C",
        linewidth=2,
        zorder=3,
        label="cards at risk if you stopped reviewing",
    )
    if target is not None and days and target <= days[-1]:
        axes.axvline(target, color="#23A55A", linewidth=2, linestyle="--", zorder=3)
        axes.text(
            target,
            0.98,
            " target",
            color="#23A55A",
            fontsize=9,
            va="top",
            ha="left",
            transform=axes.get_xaxis_transform(),
        )
    axes.set_ylabel("cards")
    axes.set_title("Your spaced review, day by day", fontsize=10)
    axes.legend(fontsize=8, loc="upper left")
    axes.grid(axis="y", alpha=0.3, zorder=0)
    figure.autofmt_xdate()
    return to_png(figure)
