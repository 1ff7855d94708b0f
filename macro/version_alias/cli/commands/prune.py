"""``version-alias prune``: delete old published Lambda versions that nothing uses any more.

Every deploy through the macro publishes a new content-hashed version, so versions pile up
(and count against the regional code storage quota). This module is the thin AWS layer:
it gathers what uses each version, hands that to the pure ``prune_plan.plan_prune`` and
carries out its decisions. A failure on one version never stops the others.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any, Protocol

from version_alias.cli.commands.prune_plan import Decision, format_size, plan_prune
from version_alias.cli.commands.prune_usage import (
    LAMBDA_FUNCTION_TYPE,
    NotFoundError,
    error_code,
    read_usage,
    stack_functions,
)

THROTTLE_CODES = frozenset({"TooManyRequestsException", "ThrottlingException"})
DELETE_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 20.0
DEFAULT_KEEP = 10
EXIT_OK, EXIT_USAGE, EXIT_AWS = 0, 2, 3
EPILOG = (
    "exit codes: 0 done (or nothing to do, or not confirmed), 2 usage, 3 an AWS failure "
    "(credentials, a missing function or stack, a listing or delete that failed)"
)


@cache
def credential_errors() -> tuple[type[Exception], ...]:
    """botocore's credential errors (botocore is imported only when prune runs)."""
    from botocore.exceptions import (
        CredentialRetrievalError,
        NoCredentialsError,
        PartialCredentialsError,
        SSOTokenLoadError,
        TokenRetrievalError,
        UnauthorizedSSOTokenError,
    )

    return (
        NoCredentialsError,
        PartialCredentialsError,
        CredentialRetrievalError,
        SSOTokenLoadError,
        UnauthorizedSSOTokenError,
        TokenRetrievalError,
    )


def client_config() -> Any:
    """Adaptive mode rate-limits the client itself once Lambda starts throttling, which
    matters when a stack holds many functions with hundreds of versions each."""
    from botocore.config import Config

    return Config(retries={"max_attempts": 10, "mode": "adaptive"})


Sleep = Callable[[float], None]


class SessionFactory(Protocol):
    """Builds a boto3 session; injectable so tests can add botocore event hooks."""

    def __call__(self, *, profile_name: str | None, region_name: str | None) -> Any: ...


@dataclass
class PruneResult:
    """Outcome for one function; failures keep their error code for the summary."""

    name: str
    dry_run: bool
    kept: int = 0
    deleted: int = 0
    freed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """The one-line summary printed after the per-version lines."""
        counts = _counts(self.kept, self.deleted, self.failed, self.freed)
        return f"prune {self.name}: {counts}" + (" (dry run)" if self.dry_run else "")


def _counts(kept: int, deleted: int, failed: list[tuple[str, str]], freed: int) -> str:
    failures = f"failed {len(failed)}"
    if failed:
        failures += " (" + ", ".join(f"{version}: {code}" for version, code in failed) + ")"
    return f"kept {kept}, deleted {deleted}, {failures}, freed {format_size(freed)}"


# --------------------------------------------------------------------------- deleting


def delete_version(client: Any, name: str, version: str, sleep: Sleep) -> str | None:
    """Delete one version; return None on success or the error code on failure.

    botocore already retries throttling, but a long prune can outlast its budget, so a
    throttled delete gets its own exponential backoff before it is reported as failed.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    attempt = 0
    while True:
        try:
            client.delete_function(FunctionName=name, Qualifier=version)
            return None
        except ClientError as exc:
            code = error_code(exc)
            attempt += 1
            if code not in THROTTLE_CODES or attempt >= DELETE_ATTEMPTS:
                return code
            sleep(min(BACKOFF_BASE_SECONDS * 2 ** (attempt - 1), BACKOFF_MAX_SECONDS))
        except credential_errors():
            raise
        except BotoCoreError as exc:
            return type(exc).__name__


def apply(
    client: Any, name: str, decisions: list[Decision], dry_run: bool, sleep: Sleep
) -> PruneResult:
    """Print one line per version and, unless dry-running, delete the candidates."""
    result = PruneResult(name, dry_run)
    for decision in decisions:
        if not decision.delete:
            result.kept += 1
            print(f"keep {decision.version}: {decision.reason}")
            continue
        size = format_size(decision.code_size)
        error = None if dry_run else delete_version(client, name, decision.version, sleep)
        if error is None:
            result.deleted += 1
            result.freed += decision.code_size
            print(f"delete {decision.version} ({size})")
        else:
            result.failed.append((decision.version, error))
            print(f"failed {decision.version} ({size}): {error}")
    return result


def plan_function(
    client: Any, name: str, args: argparse.Namespace, now: datetime
) -> list[Decision]:
    """Read what uses each version of one function and decide; nothing is deleted."""
    usage = read_usage(client, name)
    return plan_prune(
        usage.versions,
        usage.aliases,
        usage.provisioned,
        usage.mappings,
        usage.url_qualifiers,
        keep=args.keep,
        older_than=args.older_than,
        now=now,
    )


def prune_function(
    client: Any,
    name: str,
    args: argparse.Namespace,
    now: datetime,
    sleep: Sleep,
) -> PruneResult:
    """Read, plan and apply for a single function."""
    result = apply(client, name, plan_function(client, name, args, now), args.dry_run, sleep)
    print(result.summary())
    return result


# --------------------------------------------------------------------------- CLI


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register prune's flags on ``parser`` (the main CLI's ``prune`` subparser)."""
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--function", metavar="NAME", help="function name or ARN to prune")
    target.add_argument(
        "--stack", metavar="STACK", help="prune every AWS::Lambda::Function of this stack"
    )
    parser.add_argument(
        "--keep",
        type=_non_negative_int,
        default=DEFAULT_KEEP,
        metavar="N",
        help=f"always keep the newest N numbered versions (default {DEFAULT_KEEP})",
    )
    parser.add_argument(
        "--older-than",
        dest="older_than",
        type=_non_negative_int,
        default=None,
        metavar="DAYS",
        help="only delete versions last modified more than DAYS days ago",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would be deleted, change nothing"
    )
    parser.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help="delete without asking (on a terminal, prune otherwise asks first)",
    )
    parser.add_argument("--region", help="AWS region (default: from the profile/environment)")
    parser.add_argument("--profile", help="AWS named profile")
    parser.add_argument(
        "--macro-name",
        metavar="NAME",
        help="accepted so that one set of options serves every subcommand; prune reads "
        "versions from AWS, not a template, so the macro's name does not change what it does",
    )


def _error(message: str) -> None:
    print(f"version-alias prune: {message}", file=sys.stderr)


def run(
    args: argparse.Namespace,
    *,
    session_factory: SessionFactory | None = None,
    sleep: Sleep = time.sleep,
    now: datetime | None = None,
    ask: Callable[[str], str] | None = None,
) -> int:
    """Run prune for the parsed ``args``: 0, or EXIT_AWS if anything failed or was missing.

    On a terminal, unless --yes or --dry-run, the plan is shown and prune asks before it
    deletes anything (`ask` stands in for the terminal in tests).
    """
    from botocore.exceptions import BotoCoreError, ClientError, NoRegionError, ProfileNotFound

    moment = now or datetime.now(UTC)
    if session_factory is None:
        import boto3

        session_factory = boto3.Session
    try:
        session = session_factory(profile_name=args.profile, region_name=args.region)
        client = session.client("lambda", config=client_config())
        if args.stack:
            cfn = session.client("cloudformation", config=client_config())
            names = stack_functions(cfn, args.stack)
            if not names:
                print(f"stack {args.stack} has no {LAMBDA_FUNCTION_TYPE} resources")
                return EXIT_OK
        else:
            names = [args.function]
        return _run_functions(client, names, args, moment, sleep, ask)
    except ProfileNotFound:
        _error(f"AWS profile {args.profile!r} not found")
    except NoRegionError:
        _error("no AWS region: pass --region or set AWS_REGION")
    except credential_errors() as exc:
        _error(f"no usable AWS credentials ({exc}); use --profile, environment variables or SSO")
    except NotFoundError as exc:
        _error(str(exc))
    except (ClientError, BotoCoreError) as exc:
        _error(str(exc))
    return EXIT_AWS


def _run_functions(
    client: Any,
    names: list[str],
    args: argparse.Namespace,
    now: datetime,
    sleep: Sleep,
    ask: Callable[[str], str] | None,
) -> int:
    """Plan every function, ask once (on a terminal), then delete. One function's error
    is reported and the rest still run."""
    from botocore.exceptions import BotoCoreError, ClientError

    plans: list[tuple[str, list[Decision]]] = []
    errors = 0
    for name in names:
        try:
            plans.append((name, plan_function(client, name, args, now)))
        except NotFoundError as exc:
            _error(str(exc))
            errors += 1
        except credential_errors():
            raise
        except (ClientError, BotoCoreError) as exc:
            _error(f"{name}: {exc}")
            errors += 1
    if not _confirmed(plans, args, ask):
        print("nothing deleted")
        return EXIT_AWS if errors else EXIT_OK
    results = []
    for name, decisions in plans:
        results.append(apply(client, name, decisions, args.dry_run, sleep))
        print(results[-1].summary())
    if args.stack:
        failed = [(f"{r.name}:{v}", code) for r in results for v, code in r.failed]
        counts = _counts(
            sum(r.kept for r in results),
            sum(r.deleted for r in results),
            failed,
            sum(r.freed for r in results),
        )
        suffix = " (dry run)" if args.dry_run else ""
        print(f"prune stack {args.stack}: {len(names)} functions, {counts}{suffix}")
    return EXIT_AWS if errors or any(r.failed for r in results) else EXIT_OK


def _confirmed(
    plans: list[tuple[str, list[Decision]]],
    args: argparse.Namespace,
    ask: Callable[[str], str] | None,
) -> bool:
    """True to go ahead: a dry run, --yes, nothing to delete, no terminal to ask on, or
    the user answered yes."""
    doomed = [(name, [d for d in decisions if d.delete]) for name, decisions in plans]
    total = sum(len(found) for _, found in doomed)
    if args.dry_run or args.yes or total == 0:
        return True
    if ask is None:
        if not sys.stdin.isatty():
            return True
        ask = input
    for name, found in doomed:
        if found:
            size = format_size(sum(d.code_size for d in found))
            versions = ", ".join(d.version for d in found)
            print(f"{name}: would delete {len(found)} version(s) ({size}): {versions}")
    answer = ask(f"Delete {total} version(s) of {len(doomed)} function(s)? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def build_parser() -> argparse.ArgumentParser:
    """The standalone parser; the main CLI builds its own and calls add_arguments."""
    parser = argparse.ArgumentParser(
        prog="version-alias prune",
        description="Delete old published Lambda versions that no alias, provisioned "
        "concurrency, event source mapping or function URL still uses.",
        epilog=EPILOG,
    )
    add_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point: parse ``argv`` (exit 2 on usage errors) and run."""
    return run(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
