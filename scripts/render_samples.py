"""Re-render every sample into samples/<name>/rendered/ after a deliberate change.

Golden files are reviewed, not trusted: run this, then read `git diff samples/` before
committing. tests/test_samples.py fails whenever a rendered file is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "macro"))

from version_alias.cli.support.samples import render_sample, sample_sources  # noqa: E402


def main() -> int:
    for source in sample_sources(REPO / "samples"):
        target = source.parent / "rendered" / source.name
        target.parent.mkdir(exist_ok=True)
        text = render_sample(source)
        changed = not target.exists() or target.read_text(encoding="utf-8") != text
        target.write_text(text, encoding="utf-8")
        print(f"{'updated' if changed else 'same   '} {target.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
