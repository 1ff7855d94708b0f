"""The content hash behind `<Fn>Version<10 hex>`.

Stability contract: the same deployed function always gets the same ID, and any change
to what a published version captures gets a new one. Ten hex digits (40 bits) follow
SAM's AutoPublishAlias: a collision needs two versions of one function that are alive in
the same template, so 40 bits is ample. `SCHEME_VERSION` is part of the hash input;
changing it re-publishes every function once, so bump it only on purpose and say so in
CHANGELOG.md (scheme 1 is frozen at the first release; see its section there).

Scheme 1 hashes the canonical JSON (sorted keys, no whitespace, scalars as strings) of:
the scheme number; every version-locked property (data/function_properties.json; unknown
ones count as locked) resolved by resolve.py, Description without the stamp (a text only
as far as the stamped Description keeps it, stamp.py); references to other resources as
their identity (identity.py); NoEcho values as their PBKDF2 derivation (noecho.py); the
optional `Metadata.VersionAlias.Salt`; and, only for a function whose earlier versions
the macro takes over (invokers/takeover.py), their create-only settings (`Description`,
`CodeSha256`, ...), so that functions without earlier versions keep their IDs. List order
is kept everywhere: no list of a function's properties is treated as a set, because
treating an ordered list (Layers) as a set would serve stale configuration, while a
reordered set costs at most one harmless extra version.

`function_hash` returns the digest together with what went into it, so that
`version-alias diff` explains a new version with the same code that computed it.
"""

from __future__ import annotations

import hashlib
import json
from collections import namedtuple
from collections.abc import Callable, Mapping

from ..data.tables import function_properties, is_version_locked
from . import stamp
from .identity import IDENTITY
from .noecho import Secret
from .resolve import NO_VALUE, Resolver

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SCHEME_VERSION = 1
DIGEST_LENGTH = 10
NO_ECHO = "VersionAlias::NoEcho"


class FunctionHash(
    namedtuple(
        "FunctionHash",
        ("digest", "locked", "salt", "identities", "no_echo", "unclassified", "earlier"),
        defaults=(None,),
    )
):
    """A function's digest and its inputs, all JSON-safe (NoEcho values only derived)."""

    __slots__ = ()
    # digest: str
    # locked: dict[str, Any]
    # salt: Any
    # identities: tuple[str, ...]
    # no_echo: tuple[str, ...]
    # unclassified: tuple[str, ...]
    # earlier: dict[str, Any] | None  the taken-over versions' create-only settings, resolved


def canonical_json(value: Any) -> str:
    """Key order and formatting never matter; list order does."""
    return _CANONICAL.encode(value)


def _unresolved(value: Any) -> Any:
    """`AWS::NoValue` kept inside an expression the resolver could not decide (an `Fn::If`
    on an unknown condition, say) hashes as what the user wrote."""
    if value is NO_VALUE:
        return {"Ref": "AWS::NoValue"}
    raise TypeError(f"{type(value).__name__} is not a template value")


# One encoder for every hash: json.dumps would build a new one per call.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_unresolved
)


def resolved_properties(
    properties: Mapping[str, Any],
    resolver: Resolver,
    function_id: str,
    select: Callable[[str], bool],
) -> dict[str, Any]:
    """The selected properties, resolved and made JSON-safe; Description without the stamp."""
    out: dict[str, Any] = {}
    for name, value in properties.items():
        if not select(name):
            continue
        if name == "Description":
            value = stamp.strip(value)
            if value is None:  # the stamp alone: the function had no Description
                continue
            if type(value) is str:
                value = stamp.kept(value)
        resolved = value if type(value) is str else resolver.resolve(value)
        if name == "Description" and type(resolved) is str:
            # An intrinsic too long for the stamp is written resolved and cut (stamp.py):
            # the hash covers what is kept, so the output hashes as its input did.
            resolved = stamp.kept(resolved)
        if resolved is not NO_VALUE:
            if resolver.has_secrets:
                resolved = _materialize(resolved, resolver, function_id)
            out[name] = resolved
    return out


def locked_properties(
    properties: Mapping[str, Any], resolver: Resolver, function_id: str = ""
) -> dict[str, Any]:
    """The resolved version-locked properties, Description without the stamp."""
    return resolved_properties(properties, resolver, function_id, is_version_locked)


def _digest(
    locked: dict[str, Any],
    resolver: Resolver,
    salt: Any,
    function_id: str,
    earlier: Mapping[str, Any] | None = None,
) -> tuple[str, Any, dict[str, Any] | None]:
    """(digest, resolved salt, resolved earlier-version settings) of the locked properties:
    all the macro itself needs."""
    payload: dict[str, Any] = {"scheme": SCHEME_VERSION, "properties": locked}
    resolved_salt = None
    if salt is not None:
        resolved_salt = _materialize(resolver.resolve(salt), resolver, function_id)
        payload["salt"] = resolved_salt
    resolved_earlier = None
    if earlier:
        resolved_earlier = resolved_properties(earlier, resolver, function_id, _every)
        if resolved_earlier:
            payload["version"] = resolved_earlier
    data = _utf8(canonical_json(payload))
    return hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH], resolved_salt, resolved_earlier


def _every(_name: str) -> bool:
    return True


def function_hash(
    properties: Mapping[str, Any],
    resolver: Resolver,
    salt: Any = None,
    function_id: str = "",
    earlier: Mapping[str, Any] | None = None,
) -> FunctionHash:
    """The digest of one function and what it was computed from (for `diff`)."""
    locked = locked_properties(properties, resolver, function_id)
    digest, resolved_salt, resolved_earlier = _digest(locked, resolver, salt, function_id, earlier)
    identities: set[str] = set()
    secrets: set[str] = set()
    _collect(locked, identities, secrets)
    known_locked, known_function_level = function_properties()
    return FunctionHash(
        digest=digest,
        locked=locked,
        salt=resolved_salt,
        identities=tuple(sorted(identities)),
        no_echo=tuple(sorted(secrets)),
        unclassified=tuple(
            sorted(
                str(name)
                for name in properties
                if name not in known_locked and name not in known_function_level
            )
        ),
        earlier=resolved_earlier,
    )


def version_digest(
    properties: Mapping[str, Any],
    resolver: Resolver,
    salt: Any = None,
    function_id: str = "",
    earlier: Mapping[str, Any] | None = None,
) -> str:
    """Ten lowercase hex digits of SHA-256 over the canonical locked properties (and the
    create-only settings of the earlier versions the function's version takes over)."""
    locked = locked_properties(properties, resolver, function_id)
    return _digest(locked, resolver, salt, function_id, earlier)[0]


def _utf8(text: str) -> bytes:
    """UTF-8 bytes; never fails, and a surrogate pair hashes like the character it encodes.

    PyYAML (and json.loads) can leave a JSON-escaped pair such as `\\ud800\\udc00` as two
    code points; joining them makes every loader hash the same text.
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        return joined.encode("utf-8", "surrogatepass")


def _materialize(value: Any, resolver: Resolver, function_id: str) -> Any:
    """Resolved data with every NoEcho value replaced by its salted derivation."""
    if isinstance(value, Secret):
        derived = resolver.derive_secret(value, function_id)
        return {NO_ECHO: {"Parameter": value.name, "Derived": derived}}
    if isinstance(value, dict):
        return {key: _materialize(item, resolver, function_id) for key, item in value.items()}
    if isinstance(value, list):
        return [_materialize(item, resolver, function_id) for item in value]
    return value


def _collect(value: Any, identities: set[str], secrets: set[str]) -> None:
    if isinstance(value, dict):
        record = value.get(IDENTITY) if len(value) == 1 else None
        if isinstance(record, dict) and isinstance(record.get("LogicalId"), str):
            identities.add(record["LogicalId"])
        secret = value.get(NO_ECHO) if len(value) == 1 else None
        if isinstance(secret, dict) and isinstance(secret.get("Parameter"), str):
            secrets.add(secret["Parameter"])
        for item in value.values():
            _collect(item, identities, secrets)
    elif isinstance(value, list):
        for item in value:
            _collect(item, identities, secrets)
