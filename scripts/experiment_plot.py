"""The experiment's figure: errors per second for both stacks, the update window shaded.

matplotlib is an optional extra (`pip install '.[experiment]'`; the dev extra has it too);
it is imported only when a figure is drawn, with the Agg backend (no display needed). The
PNG is always WIDTH x HEIGHT pixels: one panel per stack, sharing the time axis.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from experiment_report import LABELS

WIDTH, HEIGHT, DPI = 1200, 700, 100
COLOURS = {"5xx": "#d62728", "timeout": "#ff7f0e", "error": "#7f7f7f"}
NAMES = {"5xx": "5xx answers", "timeout": "timeouts", "error": "no answer"}
WINDOW_COLOUR = "#1f77b4"


class PlotUnavailable(Exception):
    """matplotlib is not installed."""


def require_matplotlib() -> None:
    """Raise PlotUnavailable (saying what to install) unless matplotlib can be imported."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise PlotUnavailable(
            "the figure needs matplotlib: pip install '.[experiment]' (or make install)"
        ) from None


def plot(results: dict[str, Any], path: Path) -> Path:
    """Draw the figure for `results` (a results.json document) into `path` (PNG)."""
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    stacks = results["stacks"]
    figure, axes = pyplot.subplots(
        len(stacks), 1, sharex=True, figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, squeeze=False
    )
    top = max([1] + [_sent(row) for stack in stacks.values() for row in stack["seconds"]])
    for axis, (variant, stack) in zip(axes[:, 0], stacks.items(), strict=True):
        _panel(axis, variant, stack, top)
    axes[0, 0].legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8)  # one, outside
    axes[-1, 0].set_xlabel("seconds since the load started (requests counted by the second sent)")
    figure.suptitle(
        f"env-var-rename update under load: errors per second "
        f"({results['settings']['rps']:g} requests/s to each API)"
        + (f"\n{results['label']}" if results.get("label") else "")
    )
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=DPI, format="png")
    pyplot.close(figure)
    return path


def _panel(axis: Any, variant: str, stack: dict[str, Any], top: int) -> None:
    seconds = stack["seconds"]
    times = [row["t"] for row in seconds]
    bottom = [0] * len(seconds)
    update = stack.get("update") or {}
    if update.get("start_s") is not None and update.get("end_s") is not None:
        axis.axvspan(
            update["start_s"], update["end_s"], color=WINDOW_COLOUR, alpha=0.15,
            label="stack update (stack events)",
        )  # fmt: skip
    if update.get("function_start_s") is not None:
        axis.axvspan(
            update["function_start_s"], update["function_end_s"], color=WINDOW_COLOUR,
            alpha=0.35, label="function update",
        )  # fmt: skip
    for name, colour in COLOURS.items():
        values = [row[name] for row in seconds]
        axis.bar(times, values, width=1.0, align="edge", bottom=bottom, color=colour,
                 label=NAMES[name])  # fmt: skip
        bottom = [low + value for low, value in zip(bottom, values, strict=True)]
    totals = stack["totals"]
    axis.set_title(
        f"{LABELS.get(variant, variant).replace('`', '')}: {totals.get('5xx', 0):,} 5xx, "
        f"{totals.get('timeout', 0):,} timeouts, {totals.get('error', 0):,} no answer "
        f"of {totals.get('sent', 0):,} requests",
        fontsize=10,
    )
    axis.step([*times, len(times)], [*map(_sent, seconds), 0] if seconds else [0], where="post",
              color="black", linewidth=0.8, linestyle="--", label="requests sent")  # fmt: skip
    axis.set_ylabel("requests / s")
    axis.set_ylim(0, top * 1.25)


def _sent(row: dict[str, int]) -> int:
    return sum(row[name] for name in ("ok", *COLOURS))
