"""Progress of `check` and `lint` over many templates, on a terminal only.

One line per template on stderr (`[3/24] templates/api.yaml: 2 finding(s) (0.4 s)`) and a
summary at the end, so a long run is never silent. Nothing is printed when stderr is not
a terminal (a pipe, a CI log that captures it) or when there is only one template: the
output that scripts read (stdout, exit code) is the same either way.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import TextIO


class Progress:
    """Call `done(name, outcome)` after each template and `finish()` at the end."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.enabled = total > 1 and _is_terminal(self.stream)
        self.started = self.last = time.monotonic()
        self.count = 0
        self.outcomes: Counter[str] = Counter()

    def done(self, name: str, outcome: str, kind: str, seconds: float | None = None) -> None:
        """`outcome` is shown on the template's line; `kind` ("clean", "findings",
        "unreadable", ...) is counted for the summary; `seconds` is the template's own time
        when it was measured elsewhere (a worker), else the time since the last line."""
        now = time.monotonic()
        self.count += 1
        self.outcomes[kind] += 1
        if self.enabled:
            width = len(str(self.total))
            self._write(
                f"[{self.count:>{width}}/{self.total}] {name}: {outcome} "
                f"({now - self.last if seconds is None else seconds:.1f} s)"
            )
        self.last = now

    def finish(self) -> None:
        if not self.enabled:
            return
        counts = ", ".join(f"{number} {kind}" for kind, number in sorted(self.outcomes.items()))
        elapsed = time.monotonic() - self.started
        self._write(f"{self.count} template(s) in {elapsed:.1f} s: {counts}")

    def _write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
