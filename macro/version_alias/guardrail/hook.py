"""The guardrail's Lambda entry point: a CloudFormation Lambda Hook on stack operations.

For a stack's create or update, CloudFormation invokes the function with the request
request.py describes and waits up to 30 seconds for the answer answer.py writes. The hook
fetches the submitted template, reads it, judges it (verdict.py) and answers SUCCESS, or
FAILED with NonCompliant and one line per `$LATEST` site; whether FAILED stops the
operation or only warns is the hook's FailureMode (guardrail.yaml). It always answers:
a request it cannot evaluate, a template it cannot read, tags it cannot read and any
exception inside it answer FAILED with InternalFailure and a message saying why.

Configuration, from the environment guardrail.yaml sets:
  MACRO_NAME    the name templates list to use the macro (default VersionAlias)
  SKIP_STACKS   comma-separated stack names never evaluated: the guardrail's own stack
                and the macro's stack
  OPT_OUT_TAG   `Key=Value`: a stack with this tag is not enforced (empty: no opt-out)
  LOG_LEVEL     DEBUG or INFO log one JSON line per evaluation; WARNING or ERROR none

The log line, like the macro's (handler.py), is JSON on stdout with counts and timings:
the request token, stack name, action, outcome, hookStatus, errorCode, sites, external
sites, resources, template bytes, how the template was judged and the duration. Never
template content, the payload URL (a presigned credential) or tag values.
"""

from __future__ import annotations

import json
import os
import time
from typing import NamedTuple

from ..handler import log_level
from .answer import internal_failure, judged, skipped
from .request import HookRequestError, StackRequest, fetch_template, parse_request, request_token
from .stack_tags import StackTagsError, stack_tags
from .template_text import TemplateTextError, read_template
from .verdict import Evaluation, evaluate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

DEFAULT_MACRO = "VersionAlias"
_LOGGED_LEVELS = frozenset({"NOTSET", "DEBUG", "INFO"})
_EXPECTED = (HookRequestError, TemplateTextError, StackTagsError)


def handle(event: Any, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The hook response for one request; never raises."""
    environ = os.environ if environ is None else environ
    started = time.perf_counter()
    token = request_token(event)
    record: dict[str, Any] = {"clientRequestToken": token, "stack": "", "action": ""}
    try:
        response = _evaluate(event, environ, token, record)
    except _EXPECTED as problem:
        record["outcome"] = "error"
        response = internal_failure(token, str(problem))
    except Exception as problem:
        record["outcome"] = "error"
        record["exception"] = type(problem).__name__
        response = internal_failure(
            token,
            f"an unexpected {type(problem).__name__} inside the hook; run `version-alias "
            "check` on the template, and report it with the template if that works",
        )
    record["hookStatus"] = response["hookStatus"]
    record["errorCode"] = response.get("errorCode", "")
    record["durationMs"] = round((time.perf_counter() - started) * 1000, 2)
    if log_level(environ.get("LOG_LEVEL")) in _LOGGED_LEVELS:
        _log(record)
    return response


class Assessment(NamedTuple):
    """What the hook found for one request: the evaluation (None when the stack was not
    evaluated, with the reason in `skipped`), whether the opt-out tag exempts it, and the
    size of the template text in bytes."""

    evaluation: Evaluation | None
    skipped: str
    opted_out: bool
    template_bytes: int


def assess(request: StackRequest, environ: Mapping[str, str]) -> Assessment:
    """Fetch, read and judge the request's template. Raises the _EXPECTED errors."""
    skip = {name.strip() for name in environ.get("SKIP_STACKS", "").split(",") if name.strip()}
    if request.stack_name in skip:
        return Assessment(
            None, f"{request.stack_name} is the guardrail's or the macro's own stack", False, 0
        )
    if request.action == "DELETE":
        return Assessment(
            None, "the stack is being deleted, and a deletion invokes nothing", False, 0
        )
    text = fetch_template(request.payload_url)
    size = len(text.encode("utf-8"))
    if not text.strip():
        raise HookRequestError(f"the payload holds no template for a stack {request.action}")
    macro = environ.get("MACRO_NAME") or DEFAULT_MACRO
    evaluation = evaluate(read_template(text), macro, request.region, request.account_id)
    key, _, value = environ.get("OPT_OUT_TAG", "").partition("=")
    opted_out = False
    if evaluation.findings and key.strip():
        try:
            tags = stack_tags(request.stack_id or request.stack_name, request.region, environ)
        except StackTagsError as problem:
            raise StackTagsError(
                f"{len(evaluation.findings)} invocation site(s) run $LATEST, and the stack's "
                f"tags could not be read to honour the opt-out tag ({problem})"
            ) from None
        opted_out = tags.get(key.strip()) == value.strip()
    return Assessment(evaluation, "", opted_out, size)


def _evaluate(
    event: Any, environ: Mapping[str, str], token: str, record: dict[str, Any]
) -> dict[str, Any]:
    request = parse_request(event)
    record.update(stack=request.stack_name, action=request.action)
    found = assess(request, environ)
    evaluation = found.evaluation
    if evaluation is None:
        record["outcome"] = "skipped"
        return skipped(token, found.skipped)
    macro = environ.get("MACRO_NAME") or DEFAULT_MACRO
    record.update(
        templateBytes=found.template_bytes,
        sites=len(evaluation.findings),
        external=sum(1 for finding in evaluation.findings if finding.external),
        resources=evaluation.resources,
        judged=evaluation.judged.format(macro=macro),
        outcome=(
            "opted-out"
            if found.opted_out
            else ("noncompliant" if evaluation.findings else "compliant")
        ),
    )
    opt_out = environ.get("OPT_OUT_TAG", "").strip()
    return judged(token, evaluation, macro, opt_out, found.opted_out)


def _log(record: dict[str, Any]) -> None:
    """One JSON line on stdout; a failed write must not fail the evaluation."""
    try:
        print(json.dumps(record), flush=True)
    except (OSError, ValueError):
        return


def lambda_handler(event: Any, _context: Any = None) -> dict[str, Any]:
    """Entry point named in guardrail.yaml."""
    return handle(event)
