"""The Lambda entry point: a thin adapter from the macro event to the pure core.

It always answers. An exception escaping here would make CloudFormation say only
"Received malformed response from transform", so every failure becomes
`status: failure` with a message. Logs carry counts and timings, never template content
or parameter values.

The log is one JSON line per request on stdout, which Lambda sends to CloudWatch. Not
the `logging` module: importing it (traceback, threading, string, ...) cost about 4 ms
of the handler's cold import.
"""

from __future__ import annotations

import json
import os
import time

from .context import TransformContext
from .errors import TransformError
from .transform import transform

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The logging module's level names. DEBUG and INFO print the line per request; the
# higher levels suppress it (the macro has no warnings or errors to log: failures go to
# CloudFormation in the response).
_LEVELS = {
    "NOTSET": 0,
    "DEBUG": 10,
    "INFO": 20,
    "WARN": 30,
    "WARNING": 30,
    "ERROR": 40,
    "FATAL": 50,
    "CRITICAL": 50,
}


def log_level(value: str | None) -> str:
    """The LOG_LEVEL in effect. An unknown value must not stop the function from starting:
    it falls back to INFO."""
    level = (value or "INFO").upper()
    return level if level in _LEVELS else "INFO"


LOG_LEVEL = log_level(os.environ.get("LOG_LEVEL"))


def _context(event: dict[str, Any]) -> TransformContext:
    values = event.get("templateParameterValues") or {}
    if not isinstance(values, dict):
        raise TransformError("templateParameterValues in the macro event is not a mapping.")
    return TransformContext(
        region=str(event.get("region") or os.environ.get("AWS_REGION", "us-east-1")),
        account_id=str(event.get("accountId") or "123456789012"),
        parameter_values=values,
        default_alias_name=os.environ.get("DEFAULT_ALIAS_NAME") or "live",
    )


def handle(event: Any) -> dict[str, Any]:
    """The macro response for one event; never raises."""
    request_id = event.get("requestId", "") if isinstance(event, dict) else ""
    started = time.perf_counter()
    functions = resources_in = resources_out = 0
    try:
        if not isinstance(event, dict):
            raise TransformError("the macro event is not a mapping.")
        fragment = event.get("fragment")
        if isinstance(fragment, dict) and isinstance(fragment.get("Resources"), dict):
            resources_in = len(fragment["Resources"])
        processed = transform(fragment, _context(event))
        resources_out = len(processed["Resources"])
        functions = sum(
            1 for res in processed["Resources"].values() if res.get("Type") == "AWS::Lambda::Alias"
        )
        response = {"requestId": request_id, "status": "success", "fragment": processed}
    except TransformError as error:
        response = _failure(request_id, str(error))
    except Exception as error:
        response = _failure(
            request_id,
            f"VersionAlias could not process the template ({type(error).__name__}). "
            "Run `version-alias render` on it locally for details, and report it if it "
            "renders there.",
        )
    if _LEVELS[LOG_LEVEL] <= _LEVELS["INFO"]:
        _log(
            {
                "requestId": request_id,
                "status": response["status"],
                "resourcesIn": resources_in,
                "resourcesOut": resources_out,
                "aliases": functions,
                "durationMs": round((time.perf_counter() - started) * 1000, 2),
            }
        )
    return response


def _log(record: dict[str, Any]) -> None:
    """One JSON line on stdout. A failed write must not fail the request (the logging
    module swallowed those errors too)."""
    try:
        print(json.dumps(record), flush=True)
    except (OSError, ValueError):  # stdout closed or broken
        return


def _failure(request_id: str, message: str) -> dict[str, Any]:
    return {"requestId": request_id, "status": "failure", "fragment": {}, "errorMessage": message}


def lambda_handler(event: Any, _context_obj: Any = None) -> dict[str, Any]:
    """Entry point named in template.yaml."""
    return handle(event)
