"""The overview's chart: the gates as a funnel and the exam domains as bars. Pure: overview in, PNG out.

Only shown figures are drawn: a held-back count has no bar, only its words ("fewer than 3",
"not shown"), so the picture reveals nothing the text does not.
"""

from __future__ import annotations

from bot.core.charts import new_figure, to_png
from bot.features.group.model import Hidden, Shown
from bot.features.group.overview import Overview, Stage

_BLUE = "#5865F2"
_GREEN = "#23A55A"
_GREY = "#B5BAC1"

_SHORT: dict[Stage, str] = {
    Stage.COURSE: "course",
    Stage.VERIFICATION: "verification",
    Stage.EXAM: "exam",
    Stage.SKILLS: "skills",
    Stage.LICENSE: "license",
    Stage.DONE: "all closed",
}

_DOMAIN_SHORT = {
    "scene_safety": "Scene safety",
    "primary_assessment": "Primary",
    "secondary_assessment": "Secondary",
    "treatment_transport": "Treatment",
    "operations": "Operations",
}


def _words(shown: Shown, threshold: int) -> str:
    if shown.value is not None:
        return str(shown.value)
    return f"fewer than {threshold}" if shown.hidden is Hidden.FEW else "not shown"


def overview_chart(overview: Overview) -> bytes:
    figure, _ = new_figure(9, 3.6)
    figure.clear()
    funnel_axes, domain_axes = figure.subplots(1, 2)
    t = overview.threshold
    # The funnel: members who reached each step (held up there or further on), centred bars.
    stages = list(overview.reached)
    widest = max((s.value or 0 for _, s in stages), default=0) or 1
    for row, (_stage, shown) in enumerate(stages):
        y = len(stages) - 1 - row
        if shown.value is not None:
            funnel_axes.barh(
                y, shown.value, left=(widest - shown.value) / 2, color=_BLUE, height=0.7, zorder=2
            )
        funnel_axes.text(
            widest / 2,
            y,
            _words(shown, t),
            ha="center",
            va="center",
            fontsize=9,
            color="white" if shown.value else "black",
            zorder=3,
        )
    funnel_axes.set_yticks(range(len(stages)), [_SHORT[s] for s, _ in reversed(stages)])
    funnel_axes.set_xticks([])
    funnel_axes.set_xlim(0, widest)
    funnel_axes.set_title("Members who reached each step", fontsize=10)
    # The domains: the group's share right against the exam's weight of each domain.
    names = [_DOMAIN_SHORT.get(d.domain, d.domain) for d in overview.domains]
    for x, domain in enumerate(overview.domains):
        if domain.share_right is not None:
            value = domain.share_right * 100
            domain_axes.bar(x, value, color=_GREEN, width=0.6, zorder=2)
            domain_axes.annotate(
                f"{round(value)}%",
                (x, value),
                textcoords="offset points",
                xytext=(0, 3),
                ha="center",
                fontsize=8,
            )
        else:
            domain_axes.text(x, 4, "not enough\nanswers", ha="center", fontsize=7, color=_GREY)
    domain_axes.set_xticks(
        range(len(names)),
        [f"{n}\n{d.weight[0]}-{d.weight[1]}%" for n, d in zip(names, overview.domains, strict=True)],
        fontsize=7,
    )
    domain_axes.set_xlabel("exam domain (its share of the exam)", fontsize=8)
    domain_axes.set_ylim(0, 105)
    domain_axes.set_ylabel(f"share right, last {overview.month.days} days (%)")
    domain_axes.set_title("Group accuracy by exam domain", fontsize=10)
    domain_axes.grid(axis="y", alpha=0.3, zorder=0)
    return to_png(figure)
