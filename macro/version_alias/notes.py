"""What the core tells the user without failing: a site it left alone, a version it took over.

A note is to a warning what TransformError is to an error: it names the resource and the
property path, says what happened and, where there is one, how to change it. Like an error
message it never holds template values, only logical IDs and property paths. The Lambda
handler does not print notes (CloudFormation shows a macro nothing but its fragment);
`version-alias render`, `diff` and `check` print them to stderr.
"""

from __future__ import annotations

from collections import namedtuple

from .errors import format_path


class Note(namedtuple("Note", ("message", "path", "hint"), defaults=((), ""))):
    """One thing worth telling the user about a processed template.

    message: str, a sentence; path: tuple of keys and list indexes from the template root
    (`("Resources", "Fn", "Properties", "Code")`), empty for the whole template; hint: str,
    how to change the outcome, or "".
    """

    __slots__ = ()

    @property
    def location(self) -> str:
        """`Resources.Fn.Properties.Code`, as the checker's findings spell it."""
        return format_path(self.path)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.path else self.message
        return f"{text} Fix: {self.hint}" if self.hint else text
