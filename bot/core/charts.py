"""PNG charts (matplotlib, Agg backend): the shared start and finish of every chart. Pure: no discord."""

from __future__ import annotations

import io
from typing import Any


def new_figure(width: float, height: float) -> tuple[Any, Any]:
    """A matplotlib figure and its one axes, on the Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=110)
    return figure, figure.subplots()


def to_png(figure: Any) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
