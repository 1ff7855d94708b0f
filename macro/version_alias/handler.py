"""The Lambda entry point: a thin adapter from the macro event to the pure core.

It always answers. An exception escaping here would make CloudFormation say only
"Received malformed response from transform", so every failure becomes
`status: failure` with a message. Logs carry counts and timings, never template content
or parameter values.
"""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Any

from .context import TransformContext
from .errors import TransformError
from .transform import transform

LOGGER = logging.getLogger("version_alias")
# An unknown LOG_LEVEL must not stop the function from starting: fall back to INFO.
_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGER.setLevel(_LEVEL if isinstance(logging.getLevelName(_LEVEL), int) else "INFO")


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
    LOGGER.info(
        json.dumps(
            {
                "requestId": request_id,
                "status": response["status"],
                "resourcesIn": resources_in,
                "resourcesOut": resources_out,
                "aliases": functions,
                "durationMs": round((time.perf_counter() - started) * 1000, 2),
            }
        )
    )
    return response


def _failure(request_id: str, message: str) -> dict[str, Any]:
    return {"requestId": request_id, "status": "failure", "fragment": {}, "errorMessage": message}


def lambda_handler(event: Any, _context_obj: Any = None) -> dict[str, Any]:
    """Entry point named in template.yaml."""
    return handle(event)
