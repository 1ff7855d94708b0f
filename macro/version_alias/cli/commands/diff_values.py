"""Which changed values `diff` may show (`MemorySize 128 -> 512`), and how.

Only short one-line scalars are shown. Never shown: NoEcho values (they are derivations
by then, and `diff_values` treats them as leaves before asking), dynamic references
(`{{resolve:...}}`), code (`Code.ZipFile`, even one line), multi-line text, and any value
under a name that says it holds a secret (an environment variable `DB_PASSWORD`,
`API_KEY`, `TOKEN`...): the template may carry it in plain text, but a diff is pasted
into reviews and CI logs.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_SHOWN = 60
NEVER_SHOWN = frozenset({"Code"})  # inline code is code, not a setting
_SECRET_NAME = re.compile(
    r"secret|passw(or)?d|passphrase|token|api_?key|private|credential|auth|signing", re.I
)


def shown_values(path: str, old: Any, new: Any) -> tuple[str, str] | None:
    """(old, new) as text when both may be shown; None otherwise."""
    if _SECRET_NAME.search(path) or path.split(".", 1)[0] in NEVER_SHOWN:
        return None
    texts = [_text(value) for value in (old, new)]
    if any(text is None for text in texts):
        return None
    return texts[0], texts[1]  # type: ignore[return-value]


def _text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        return None
    if "\n" in value or "{{resolve:" in value or len(value) > MAX_SHOWN:
        return None
    if (
        not value
        or value != value.strip()
        or " " in value
        or value != json.loads(json.dumps(value))
    ):
        return json.dumps(value, ensure_ascii=False)
    return value
