"""The hook's response: SUCCESS, FAILED with NonCompliant, or FAILED with InternalFailure,
and a message that names each site and how to fix it.

Response shape, from the CloudFormation Hooks User Guide ("Response input",
https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-create-lambda-function.html#lambda-hooks-create-lambda-function-request-response):
`{"hookStatus": "SUCCESS" | "FAILED", "errorCode": "NonCompliant" | "InternalFailure"
(required when FAILED), "message": str, "clientRequestToken": str}`. The message "is
truncated to 4096 characters" for CloudFormation operations, so it is written to fit:
the sites come first, one a line, and when they do not all fit, a count of the rest; the
fix always fits. Messages hold logical IDs, property paths and transform names, never
template values (CloudFormation shows them in the stack's events).
"""

from __future__ import annotations

from .verdict import AFTER_MACRO, SAM, Evaluation

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_MESSAGE = 4096
PREFIX = "VersionAlias guardrail: "


def response(token: str, status: str, message: str, error_code: str = "") -> dict[str, Any]:
    """A hook response; `message` is cut to the documented 4096 characters."""
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 3] + "..."
    answer: dict[str, Any] = {"hookStatus": status, "message": message}
    if error_code:
        answer["errorCode"] = error_code
    answer["clientRequestToken"] = token
    return answer


def internal_failure(token: str, problem: str) -> dict[str, Any]:
    """FAILED/InternalFailure: the hook could not evaluate the stack, and says why."""
    return response(
        token,
        "FAILED",
        f"{PREFIX}could not evaluate the stack: {problem}. In FAIL mode the operation stops "
        "until this is fixed; see docs/guardrail.md.",
        "InternalFailure",
    )


def skipped(token: str, reason: str) -> dict[str, Any]:
    return response(token, "SUCCESS", f"{PREFIX}not evaluated: {reason}.")


def judged(
    token: str, evaluation: Evaluation, macro: str, opt_out: str = "", opted_out: bool = False
) -> dict[str, Any]:
    """SUCCESS without findings (or for a stack that opted out by tag), FAILED/NonCompliant
    with one line per site otherwise. `opt_out` is the opt-out tag (`Key=Value`), if any."""
    how = evaluation.judged.format(macro=macro)
    notes = "".join(f" Note: {note}." for note in evaluation.notes)
    count = len(evaluation.findings)
    if not count:
        return response(
            token,
            "SUCCESS",
            f"{PREFIX}no invocation site runs $LATEST among {evaluation.resources} "
            f"resource(s), judged {how}.{notes}",
        )
    if opted_out:
        return response(
            token,
            "SUCCESS",
            f"{PREFIX}{count} invocation site(s) run $LATEST, judged {how}; not enforced: "
            f"the stack is tagged {opt_out}.",
        )
    header = f"{PREFIX}{count} invocation site(s) run $LATEST, judged {how}:"
    footer = _fix(evaluation, macro) + notes
    if opt_out:
        footer += f" To exempt this stack, tag it {opt_out}."
    return response(token, "FAILED", _fit(header, evaluation, footer), "NonCompliant")


def _fix(evaluation: Evaluation, macro: str) -> str:
    internal = any(not finding.external for finding in evaluation.findings)
    external = any(finding.external for finding in evaluation.findings)
    parts: list[str] = []
    if internal and evaluation.judged == AFTER_MACRO:
        parts.append(
            f"Fix: {macro} leaves these sites as written (Target: function, or a value it "
            "cannot rewrite): point each path above at an alias."
        )
    elif internal:
        after = f" (after {SAM})" if SAM in evaluation.transforms else ""
        parts.append(
            f"Fix: add {macro} to the template's Transform{after}, which versions every "
            "function and points these sites at its alias; or rewrite each path above to "
            "an alias."
        )
    if external:
        parts.append(
            "Sites marked (outside the template) name a function another stack defines: "
            "rewrite each to an alias ARN of it (...:function:NAME:ALIAS)."
        )
    return " ".join(parts)


def _fit(header: str, evaluation: Evaluation, footer: str) -> str:
    """Header, one line per site while they fit in MAX_MESSAGE, then the footer."""
    lines = [header]
    used = len(header) + 1 + len(footer)
    findings = evaluation.findings
    reserve = len(_more(len(findings))) + 1
    for index, finding in enumerate(findings):
        line = f"- {finding}" + (" (outside the template)" if finding.external else "")
        last = index == len(findings) - 1
        if used + len(line) + 1 + (0 if last else reserve) > MAX_MESSAGE:
            lines.append(_more(len(findings) - index))
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join([*lines, footer])


def _more(count: int) -> str:
    return f"- ... and {count} more site(s): run `version-alias check` on the template to see all"
