"""The Lambda Hook's request for a stack operation, and the template it points at.

The request of a stack-level Lambda Hook, from the CloudFormation Hooks User Guide,
"Evaluating stack operations with Lambda Hooks"
(https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-create-lambda-function.html#lambda-hooks-create-lambda-function-stack):

    {"clientRequestToken": str,          # the guide's syntax block spells it
                                         # clientRequesttoken: both spellings are read
     "awsAccountId": str,
     "stackId": "arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/UUID",
     "changeSetId": str | null,
     "hookTypeName": str, "hookTypeVersion": str,
     "hookModel": {"LambdaFunction": str},
     "actionInvocationPoint": "CREATE_PRE_PROVISION" | "UPDATE_PRE_PROVISION"
                              | "DELETE_PRE_PROVISION",
     "requestData": {"targetName": "STACK", "targetType": "STACK",
                     "targetLogicalId": the stack name,
                     "payload": an S3 presigned URL},
     "requestContext": {"invocation": int, "callbackContext": ...}}

The payload URL serves `{"template": str, "previousTemplate": str}`: the template as it
was provided to create-stack or update-stack, JSON or YAML, before any transform (SAM,
a macro) ran; empty on delete. The request carries neither the stack's parameter values
nor its tags.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ACTIONS = {
    "CREATE_PRE_PROVISION": "CREATE",
    "UPDATE_PRE_PROVISION": "UPDATE",
    "DELETE_PRE_PROVISION": "DELETE",
}
# Templates are at most 1 MB (TemplateURL), and the payload holds two of them as JSON
# strings, where escaping can double a template's size.
MAX_PAYLOAD_BYTES = 8 * 1024 * 1024
FETCH_TIMEOUT_SECONDS = 10.0
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class HookRequestError(Exception):
    """A request the hook cannot evaluate; the message says what is missing or wrong and
    never holds the presigned URL (it is a credential)."""


class StackRequest(NamedTuple):
    """What the hook needs from a stack-level request."""

    token: str
    account_id: str
    region: str
    stack_id: str
    stack_name: str
    action: str  # CREATE | UPDATE | DELETE
    payload_url: str


def request_token(event: Any) -> str:
    """The request token to echo in the response, or "" when the event has none."""
    if not isinstance(event, dict):
        return ""
    token = event.get("clientRequestToken", event.get("clientRequesttoken"))
    return token if isinstance(token, str) else ""


def parse_request(event: Any) -> StackRequest:
    """The stack request in a hook event. Raises HookRequestError."""
    if not isinstance(event, dict):
        raise HookRequestError("the hook request is not a JSON object")
    data = event.get("requestData")
    if not isinstance(data, dict):
        raise HookRequestError("the hook request has no requestData object")
    target = data.get("targetType")
    if target != "STACK":
        raise HookRequestError(
            f"the hook was invoked for a {_shown(target)} target; the guardrail evaluates "
            "stack operations only (TargetOperations: [STACK])"
        )
    point = event.get("actionInvocationPoint")
    if point not in ACTIONS:
        raise HookRequestError(
            f"unknown actionInvocationPoint {_shown(point)}; expected one of "
            + ", ".join(sorted(ACTIONS))
        )
    stack_id = _text(event, "stackId")
    arn = stack_id.split(":")
    region = arn[3] if len(arn) > 5 and arn[2] == "cloudformation" and arn[3] else ""
    stack_name = data.get("targetLogicalId")
    if not isinstance(stack_name, str) or not stack_name:
        parts = stack_id.split("/")
        stack_name = parts[1] if len(parts) > 2 else ""
    if not stack_name:
        raise HookRequestError("the hook request names no stack (requestData.targetLogicalId)")
    payload = data.get("payload")
    if ACTIONS[point] != "DELETE" and (not isinstance(payload, str) or not payload):
        raise HookRequestError("the hook request has no payload URL (requestData.payload)")
    return StackRequest(
        token=request_token(event),
        account_id=_text(event, "awsAccountId") or (arn[4] if len(arn) > 5 else ""),
        region=region or os.environ.get("AWS_REGION", ""),
        stack_id=stack_id,
        stack_name=stack_name,
        action=ACTIONS[point],
        payload_url=payload if isinstance(payload, str) else "",
    )


def _text(event: dict[str, Any], key: str) -> str:
    value = event.get(key)
    return value if isinstance(value, str) else ""


def _shown(value: Any) -> str:
    """A request value in a message: short, and only the request's own enum-like fields."""
    return repr(value)[:60] if isinstance(value, str) else type(value).__name__


def fetch_template(url: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> str:
    """The `template` text the payload URL serves ("" when the payload has none, as on
    delete). Only https URLs, and http to a loopback address (local tests). Raises
    HookRequestError."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme != "https" and not (
        parsed.scheme == "http" and parsed.hostname in LOOPBACK_HOSTS
    ):
        raise HookRequestError("the payload URL is not an https URL")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read(MAX_PAYLOAD_BYTES + 1)
    except urllib.error.HTTPError as problem:
        raise HookRequestError(
            f"could not fetch the template from the payload URL (HTTP {problem.code}); "
            "a presigned URL expires, so retry the stack operation"
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as problem:
        reason = getattr(problem, "reason", problem)
        raise HookRequestError(
            f"could not fetch the template from the payload URL ({type(reason).__name__})"
        ) from None
    if len(body) > MAX_PAYLOAD_BYTES:
        raise HookRequestError(
            f"the payload is larger than {MAX_PAYLOAD_BYTES // (1024 * 1024)} MiB; "
            "CloudFormation templates are at most 1 MB"
        )
    try:
        payload = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise HookRequestError("the payload is not a JSON object") from None
    if not isinstance(payload, dict):
        raise HookRequestError("the payload is not a JSON object")
    template = payload.get("template")
    if template is None:
        return ""
    if not isinstance(template, str):
        raise HookRequestError("the payload's template is not a string")
    return template
