"""The content hash behind `<Fn>Version<10 hex>`.

Stability contract: the same deployed function always gets the same ID, and any change
to what a published version captures gets a new one. Ten hex digits (40 bits) follow
SAM's AutoPublishAlias: a collision needs two versions of one function that are alive in
the same template, so 40 bits is ample. `SCHEME_VERSION` is part of the hash input;
changing it re-publishes every function once, so bump it only on purpose and say so in
CHANGELOG.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from . import stamp
from .resolve import NO_VALUE, Resolver
from .tables import is_version_locked

SCHEME_VERSION = 1
DIGEST_LENGTH = 10


def canonical_json(value: Any) -> str:
    """Key order and formatting never matter; list order does."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_unresolved
    )


def _unresolved(value: Any) -> Any:
    """`AWS::NoValue` kept inside an expression the resolver could not decide (an `Fn::If`
    on an unknown condition, say) hashes as what the user wrote."""
    if value is NO_VALUE:
        return {"Ref": "AWS::NoValue"}
    raise TypeError(f"{type(value).__name__} is not a template value")


def locked_properties(properties: Mapping[str, Any], resolver: Resolver) -> dict[str, Any]:
    """The resolved version-locked properties, Description without the stamp."""
    locked: dict[str, Any] = {}
    for name, value in properties.items():
        if not is_version_locked(name):
            continue
        if name == "Description":
            value = stamp.strip(value)
        resolved = resolver.resolve(value)
        if resolved is not NO_VALUE:
            locked[name] = resolved
    return locked


def version_digest(properties: Mapping[str, Any], resolver: Resolver, salt: Any = None) -> str:
    """Ten lowercase hex digits of SHA-256 over the canonical locked properties."""
    payload: dict[str, Any] = {
        "scheme": SCHEME_VERSION,
        "properties": locked_properties(properties, resolver),
    }
    if salt is not None:
        payload["salt"] = resolver.resolve(salt)
    data = canonical_json(payload).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
