"""Logical IDs of the generated resources, identical to SAM's AutoPublishAlias ones.

Same IDs mean a stack moves from `AutoPublishAlias` to VersionAlias without replacing
its aliases (a replaced alias would break every caller holding its ARN).
"""

from __future__ import annotations

from ..template.validate import MAX_LOGICAL_ID

__all__ = ["MAX_LOGICAL_ID", "alias_id", "version_id"]


def version_id(function_id: str, digest: str) -> str:
    return f"{function_id}Version{digest}"


def alias_id(function_id: str, alias_name: str) -> str:
    """SAM's rule: `-` becomes `D` and `_` becomes `U`, so `live-1_x` -> `AliasliveD1Ux`."""
    return f"{function_id}Alias{alias_name.replace('-', 'D').replace('_', 'U')}"
