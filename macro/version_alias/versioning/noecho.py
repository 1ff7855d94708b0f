"""NoEcho parameter values enter a hash only through a slow, salted derivation.

Why: a version's logical ID (and the Description stamp) is visible to anyone who can
describe the stack, a wider circle than those who may read a NoEcho value. A plain hash
of the value would make the 40-bit fingerprint a cheap oracle: guess a password, hash
it, compare. So the value is first stretched with PBKDF2-HMAC-SHA256 (`ITERATIONS`
rounds, salted with the account and region), and that key is then bound to the function
with HMAC-SHA256 over its logical ID. Every guess costs a full PBKDF2 run, no guess
carries over to another account or region, and the result differs per function.

Why two steps instead of PBKDF2 salted with the function ID: an attacker needs only one
function's ID to test a guess, so a per-function slow step adds no work for them, but it
would cost every deploy one slow run per function (150 functions sharing a database
password took 4 s locally, several times that on a small Lambda). Here each distinct
value is stretched once per transform.

The value itself is never returned, stored beyond one transform, or logged.

Masked values: whether `templateParameterValues` carries the real NoEcho value or a mask
such as `****` is not documented. If it carries the mask, the derivation is the same on
every deploy, so a new secret value alone does not publish a new version (the hash stays
stable, never churns). `version-alias diff` warns about every NoEcho parameter a function
uses; `Metadata: {VersionAlias: {Salt: ...}}` forces a new version when needed.
"""

from __future__ import annotations

import hashlib

ITERATIONS = 100_000
_SALT_PREFIX = b"version-alias/noecho/1"


class Secret:
    """A NoEcho parameter value inside resolved data; `repr` never shows the value."""

    __slots__ = ("name", "value")

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self.value = value

    def __repr__(self) -> str:
        return f"Secret(name={self.name!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return (self.name, self.value) == (other.name, other.value)

    def __hash__(self) -> int:
        return hash((Secret, self.name, self.value))

    def looks_masked(self) -> bool:
        """CloudFormation masks NoEcho values as asterisks wherever it shows them."""
        return bool(self.value) and set(self.value) == {"*"}


def stretch(value: str, account_id: str, region: str) -> bytes:
    """The slow step: PBKDF2-HMAC-SHA256 of the value, salted per account and region."""
    salt = b"\0".join((_SALT_PREFIX, account_id.encode(), region.encode()))
    return hashlib.pbkdf2_hmac("sha256", value.encode("utf-8"), salt, ITERATIONS)


def bind(key: bytes, function_id: str) -> str:
    """The fast step: the stretched key bound to one function's logical ID."""
    import hmac  # here, not at the top: only templates with NoEcho values need it

    return hmac.new(key, function_id.encode("utf-8"), hashlib.sha256).hexdigest()


def derive(value: str, account_id: str, region: str, function_id: str) -> str:
    """What a NoEcho value contributes to the hash of one function (hex)."""
    return bind(stretch(value, account_id, region), function_id)


class Deriver:
    """Derivations for one transform: each distinct value is stretched once."""

    def __init__(self, account_id: str, region: str) -> None:
        self._account_id = account_id
        self._region = region
        self._cache: dict[str, bytes] = {}

    def __call__(self, secret: Secret, function_id: str) -> str:
        if secret.value not in self._cache:
            self._cache[secret.value] = stretch(secret.value, self._account_id, self._region)
        return bind(self._cache[secret.value], function_id)
