"""Whether a template needs the SAM transform, and the error its translation raises.

Apart from sam_translate.py so that commands can ask without importing samtranslator and
boto3 (about 0.4 s): only a template that needs SAM pays for them.
"""

from __future__ import annotations

from typing import Any

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
SAM_TYPE_PREFIX = "AWS::Serverless::"


class SamTranslateError(Exception):
    """samtranslator rejected the template; ``causes`` holds one message per problem."""

    def __init__(self, causes: list[str], hint: str | None = None) -> None:
        self.causes = causes
        self.hint = hint
        lines = "\n".join(f"  - {cause}" for cause in causes)
        message = f"SAM translation failed ({len(causes)} error(s)):\n{lines}"
        super().__init__(f"{message}\n{hint}" if hint else message)


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------


def is_sam_template(template: dict[str, Any]) -> bool:
    """True when the SAM transform is declared or any resource is ``AWS::Serverless::*``.

    SAM's own test inputs carry no ``Transform`` line, so the resource types count as well.
    """
    if SAM_TRANSFORM in transform_list(template.get("Transform")):
        return True
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return False
    return any(
        resource_type(resource).startswith(SAM_TYPE_PREFIX) for resource in resources.values()
    )


def transform_list(transform: Any) -> list[Any]:
    """``Transform`` may be a single name, a list of names or (AWS::Include) a mapping."""
    if transform is None:
        return []
    return list(transform) if isinstance(transform, list) else [transform]


def resource_type(resource: Any) -> str:
    if isinstance(resource, dict) and isinstance(resource.get("Type"), str):
        return resource["Type"]
    return ""
