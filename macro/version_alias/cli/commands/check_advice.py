"""What `version-alias check` tells the user to do about its findings, by why each remains.

A site still runs `$LATEST` (or names a missing alias) for one of four reasons, each with
its own fix:
- the site names a function outside the template (a literal ARN of another stack's
  function): no macro on this template versions it, a qualified ARN of that function's
  alias does;
- an `Outputs` export hands a function out unqualified: an export in use cannot change
  (invokers/exports.py);
- the template does not list the macro: adding it (after SAM's transform when that is
  listed) versions every function and points the site at its alias;
- the template lists the macro, and check judged what it produced: the macro left the site
  as written (`Target: function`, or a site it cannot rewrite), and `version-alias render`
  says why at the site's path, and how to fix it.
The guardrail's message (guardrail/answer.py) gives the same fixes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ...invokers.checker import Finding
from ...invokers.exports import HINT as EXPORT_HINT
from ...invokers.problems import EXPORTED
from ..support.pipeline import SAM

EXTERNAL, EXPORT, NOT_LISTED, LEFT = "external", "export", "not-listed", "left"
ALIAS_ARN = "arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS"


def reason(finding: Finding, listed: bool) -> str:
    """Why the finding remains: EXTERNAL, EXPORT, NOT_LISTED or LEFT (module docstring)."""
    if finding.external:
        return EXTERNAL
    if finding.kind == EXPORTED:
        return EXPORT
    return LEFT if listed else NOT_LISTED


@dataclass
class Advice:
    """The findings of a run, counted by reason; `lines` is the closing advice."""

    macro: str
    counts: Counter[str] = field(default_factory=Counter)
    sam: bool = False  # a template without the macro lists SAM's transform
    left_in: set[str] = field(default_factory=set)  # templates with LEFT findings

    def add(
        self, name: str, findings: Iterable[Finding], listed: bool, transforms: list[str]
    ) -> None:
        """One template's findings; `listed`: its Transform lists the macro (which ran)."""
        for finding in findings:
            why = reason(finding, listed)
            self.counts[why] += 1
            self.sam = self.sam or (why == NOT_LISTED and SAM in transforms)
            if why == LEFT:
                self.left_in.add(name)

    def lines(self) -> list[str]:
        """[] without findings; one line for one reason, else a header and a line each."""
        total = sum(self.counts.values())
        if not total:
            return []
        parts = [(self.counts[why], *self._text(why)) for why in _ORDER if self.counts[why]]
        header = f"{total} invocation site(s) run $LATEST"
        if len(parts) == 1:
            _, what, fix = parts[0]
            return [f"{header}; they {what}. Fix: {fix}."]
        return [f"{header}:", *(f"  {count} {what}. Fix: {fix}." for count, what, fix in parts)]

    def _text(self, why: str) -> tuple[str, str]:
        """(what the findings have in common, the fix)."""
        if why == EXTERNAL:
            return (
                "name a function outside the template, which the macro cannot version",
                f"point each at a qualified ARN of that function's alias ({ALIAS_ARN})",
            )
        if why == EXPORT:
            return (
                "are exports of a function unqualified, and an export in use cannot change",
                EXPORT_HINT.rstrip("."),
            )
        if why == NOT_LISTED:
            after = f" (after {SAM})" if self.sam else ""
            return (
                f"are in a template whose Transform does not list {self.macro}",
                f"add {self.macro} to the Transform{after}, which versions every function and "
                "points these sites at its alias; or point each at an alias yourself",
            )
        return (
            f"were left as written by {self.macro} (the template lists it, and check judged "
            "its output)",
            f"run `version-alias render {self._left_template()}`, which says why at each path "
            "(Target: function, or a site it cannot rewrite) and how to fix it",
        )

    def _left_template(self) -> str:
        """The template to render: its name when there is one (and not stdin)."""
        names = sorted(self.left_in)
        return names[0] if len(names) == 1 and names[0] != "-" else "TEMPLATE"


_ORDER = (NOT_LISTED, LEFT, EXTERNAL, EXPORT)
