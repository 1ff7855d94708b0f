"""Decide which published Lambda versions ``version-alias prune`` may delete.

Everything here is pure (no AWS calls, no clock): the safety rules are the part that
must never be wrong, so they are kept apart from boto3 and tested directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

LATEST = "$LATEST"


@dataclass(frozen=True)
class Version:
    """A published version as far as pruning cares: number, age and size."""

    number: str
    last_modified: datetime | None
    code_size: int = 0


@dataclass(frozen=True)
class Alias:
    """An alias and every version it routes traffic to."""

    name: str
    function_version: str
    weights: Mapping[str, float] = field(default_factory=dict)

    def targets(self) -> set[str]:
        """The primary version plus every version in the routing weights."""
        return {self.function_version, *self.weights}


@dataclass(frozen=True)
class EventSourceMapping:
    """An event source mapping; ``qualifier`` is None when it invokes the unqualified function."""

    uuid: str
    qualifier: str | None


@dataclass(frozen=True)
class Decision:
    """What prune does with one version, and why it stays if it stays."""

    version: str
    delete: bool
    reasons: tuple[str, ...] = ()
    code_size: int = 0

    @property
    def reason(self) -> str:
        """All reasons in one line, most specific first."""
        return "; ".join(self.reasons)


def plan_prune(
    versions: Iterable[Version],
    aliases: Iterable[Alias],
    provisioned: Iterable[str],
    mappings: Iterable[EventSourceMapping],
    url_qualifiers: Iterable[str | None],
    keep: int,
    older_than: int | None,
    now: datetime,
) -> list[Decision]:
    """Return one decision per numbered version, ordered by version number.

    ``provisioned`` and ``url_qualifiers`` are qualifiers (version numbers or alias names),
    resolved here through ``aliases`` so an alias with provisioned concurrency or a function
    URL protects every version it routes to. ``$LATEST`` (and anything that is not a plain
    version number) is never a candidate and is left out of the result.
    """
    if keep < 0:
        raise ValueError(f"keep must be >= 0, got {keep}")
    if older_than is not None and older_than < 0:
        raise ValueError(f"older_than must be >= 0, got {older_than}")

    numbered = sorted((v for v in versions if v.number.isdigit()), key=lambda v: int(v.number))
    alias_list = list(aliases)
    by_alias = {a.name: a.targets() for a in alias_list}
    reasons: dict[str, list[str]] = {v.number: [] for v in numbered}

    def add(version: str, reason: str) -> None:
        bucket = reasons.get(version)
        if bucket is not None and reason not in bucket:
            bucket.append(reason)

    def resolve(qualifier: str | None) -> set[str]:
        if qualifier is None or qualifier == LATEST:
            return set()
        if qualifier.isdigit():
            return {qualifier}
        return by_alias.get(qualifier, set())

    def via(qualifier: str) -> str:
        return "" if qualifier.isdigit() else f" (alias {qualifier})"

    for alias in alias_list:
        add(alias.function_version, f"alias {alias.name}")
        for weighted in alias.weights:
            add(weighted, f"alias {alias.name} (routing weight)")
    for qualifier in provisioned:
        for version in resolve(qualifier):
            add(version, "provisioned concurrency" + via(qualifier))
    for mapping in mappings:
        for version in resolve(mapping.qualifier):
            add(version, f"event source mapping {mapping.uuid}")
    for qualifier in url_qualifiers:
        for version in resolve(qualifier):
            add(version, "function URL" + via(qualifier or ""))
    if keep:
        for v in numbered[-keep:]:
            add(v.number, f"newest {keep}")
    if older_than is not None:
        cutoff = now - timedelta(days=older_than)
        for v in numbered:
            if v.last_modified is None:
                add(v.number, "unknown age")
            elif v.last_modified >= cutoff:
                add(v.number, f"newer than {older_than} days")

    return [
        Decision(v.number, not reasons[v.number], tuple(reasons[v.number]), v.code_size)
        for v in numbered
    ]


def parse_last_modified(text: str) -> datetime | None:
    """Parse Lambda's ``LastModified`` (``2024-01-02T03:04:05.678+0000``) into an aware datetime.

    An unreadable date must not crash the run: None means "age unknown", which
    ``plan_prune`` treats as too young to delete.
    """
    try:
        stamp = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def unqualified(function_arn: str) -> str:
    """``arn:aws:lambda:region:account:function:name`` without any ``:qualifier``."""
    return ":".join(function_arn.split(":")[:7])


def qualifier_of(function_arn: str) -> str | None:
    """The qualifier of ``arn:aws:lambda:region:account:function:name[:qualifier]``, if any."""
    parts = function_arn.split(":")
    if len(parts) >= 8 and parts[5] == "function":
        return parts[7] or None
    return None


def format_size(size: int) -> str:
    """Human-readable byte count (binary units, one decimal), e.g. ``1.2 KB``."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    return f"{value:.1f} {unit}"
