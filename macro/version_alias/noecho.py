"""NoEcho parameter values enter a hash only through a slow, salted derivation.

Why: a version's logical ID (and the Description stamp) is visible to anyone who can
describe the stack, a wider circle than those who may read a NoEcho value. A plain hash
of the value would make the 40-bit fingerprint a cheap oracle: guess a password, hash
it, compare. PBKDF2-HMAC-SHA256 with `ITERATIONS` rounds makes every guess cost as much
as ~`ITERATIONS` SHA-256 blocks, and the salt (account, region, function logical ID)
means no guess can be reused across functions, stacks or accounts.

The value itself is never returned, stored beyond one transform, or logged.

Masked values: whether `templateParameterValues` carries the real NoEcho value or a mask
such as `****` is not documented. If it carries the mask, the derivation is the same on
every deploy, so a new secret value alone does not publish a new version (the hash stays
stable, never churns). `version-alias diff` warns about every NoEcho parameter a function
uses; `Metadata: {VersionAlias: {Salt: ...}}` forces a new version when needed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

ITERATIONS = 200_000
_SALT_PREFIX = b"version-alias/noecho/1"


@dataclass(frozen=True)
class Secret:
    """A NoEcho parameter value inside resolved data; `repr` never shows the value."""

    name: str
    value: str = field(repr=False)

    def looks_masked(self) -> bool:
        """CloudFormation masks NoEcho values as asterisks wherever it shows them."""
        return bool(self.value) and set(self.value) == {"*"}


def derive(value: str, account_id: str, region: str, function_id: str) -> str:
    """Hex PBKDF2-HMAC-SHA256 of the value, salted per account, region and function."""
    salt = b"\0".join((_SALT_PREFIX, account_id.encode(), region.encode(), function_id.encode()))
    return hashlib.pbkdf2_hmac("sha256", value.encode("utf-8"), salt, ITERATIONS).hex()


class Deriver:
    """Derivations for one transform, cached so each value is stretched once per function."""

    def __init__(self, account_id: str, region: str) -> None:
        self._account_id = account_id
        self._region = region
        self._cache: dict[tuple[str, str], str] = {}

    def __call__(self, secret: Secret, function_id: str) -> str:
        key = (secret.value, function_id)
        if key not in self._cache:
            self._cache[key] = derive(secret.value, self._account_id, self._region, function_id)
        return self._cache[key]
