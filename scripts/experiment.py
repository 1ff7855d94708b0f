"""The env-var-rename experiment on a real AWS account: without and with VersionAlias.

    make experiment ARGS="--region eu-west-1"          # or: python scripts/experiment.py ...
    python scripts/experiment.py --report experiment-results/RUN/results.json

It deploys samples/env-var-rename twice in the caller's account and region (SAM only, and
SAM + the deployed VersionAlias macro), sends the same steady load at both HTTP APIs,
updates both stacks to the renamed variable (TABLE_NAME -> TABLE, code and template
together) while the load runs, counts successes, 5xx answers and timeouts per second, and
writes results.json, results.md and errors.png. It prints what it will create and how many
requests it will send, and asks first (--yes skips the question). It deletes everything it
created at the end, also after a failure or Ctrl-C, unless --keep. docs/experiment.md has
the details, the cost and where to paste the table.

Exit codes: 0 done, both updates completed; 1 a step or an update failed; 2 usage; 130
interrupted.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import experiment_app as app
import experiment_aws as aws
import experiment_run as steps
from experiment_load import Load, LoadSettings
from experiment_plot import PlotUnavailable, require_matplotlib
from experiment_report import ResultsError, read_results

EXIT_USAGE = 2
MAX_RPS = 100.0
MAX_REQUESTS = 200_000
TYPICAL_UPDATE_S = 120.0  # about what one stack update of the sample takes
# US East (N. Virginia) prices, USD, read 2025 (docs/experiment.md cites the pages):
# API Gateway HTTP API https://aws.amazon.com/api-gateway/pricing/ ; Lambda requests and
# arm64 duration https://aws.amazon.com/lambda/pricing/ ; DynamoDB on-demand reads
# https://aws.amazon.com/dynamodb/pricing/on-demand/ ; log ingestion
# https://aws.amazon.com/cloudwatch/pricing/
PRICE_PER_REQUEST = {
    "API Gateway HTTP API ($1.00 per million requests)": 1.00e-6,
    "Lambda requests ($0.20 per million)": 0.20e-6,
    "Lambda duration (128 MB arm64, 100 ms each, $0.0000133334 per GB-s)": 0.125 * 0.1 * 1.33334e-5,
    "DynamoDB on-demand reads (0.5 read unit each, $0.125 per million units)": 0.5 * 0.125e-6,
    "CloudWatch Logs (about 400 bytes per invocation, $0.50 per GB)": 400 * 0.50 / 1e9,
}


def cost(requests: int) -> float:
    """The request-driven cost in USD of `requests` requests (list prices, no free tier)."""
    return requests * sum(PRICE_PER_REQUEST.values())


def dollars(amount: float) -> str:
    return f"${amount:.2f}" if amount >= 0.01 else "under $0.01"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/experiment.py",
        description="\n\n".join((__doc__ or "").split("\n\n")[:4]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--region", help="AWS region (default: the profile's or AWS_REGION)")
    parser.add_argument("--profile", help="AWS profile (default: the usual credential chain)")
    parser.add_argument(
        "--rps",
        type=float,
        default=10.0,
        help="requests per second to each API (default 10, at most 100)",
    )
    parser.add_argument(
        "--lead",
        type=float,
        default=30.0,
        help="seconds of load before the updates start (default 30)",
    )
    parser.add_argument(
        "--tail",
        type=float,
        default=60.0,
        help="seconds of load after both updates complete (default 60)",
    )
    parser.add_argument(
        "--max-duration",
        type=float,
        default=900.0,
        help="the load stops after this many seconds whatever happens (900)",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=20_000,
        help="hard cap on requests to both APIs together (default 20,000)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=15.0,
        help="seconds to wait for an answer before counting a timeout (15)",
    )
    parser.add_argument(
        "--macro-stack",
        default="version-alias-macro",
        help="the stack `make deploy` made (default version-alias-macro)",
    )
    parser.add_argument(
        "--out", type=Path, help="folder for the results (default experiment-results/RUN_ID)"
    )
    parser.add_argument("--label", default="", help="a note printed above the table and plot")
    parser.add_argument("--poll", type=float, default=5.0, help=argparse.SUPPRESS)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the stacks and bucket at the end (they are listed)",
    )
    parser.add_argument("--yes", action="store_true", help="do not ask before starting")
    parser.add_argument(
        "--report",
        type=Path,
        metavar="RESULTS_JSON",
        help="only redraw the table and plot from a recorded results.json",
    )
    return parser


def check_bounds(args: argparse.Namespace) -> str | None:
    """The first argument outside its safe range, as a message; None when all are fine."""
    if not 0 < args.rps <= MAX_RPS:
        return f"--rps must be above 0 and at most {MAX_RPS:g}"
    if not 0 < args.max_requests <= MAX_REQUESTS:
        return f"--max-requests must be between 1 and {MAX_REQUESTS:,}"
    if min(args.lead, args.tail, args.timeout) < 0 or args.timeout == 0:
        return "--lead and --tail must not be negative, --timeout must be above 0"
    if args.max_duration <= args.lead + args.tail:
        return "--max-duration must be longer than --lead plus --tail"
    return None


def describe_plan(plan: steps.Plan) -> str:
    """What the run creates and sends, as the user reads it before saying yes."""
    most = plan.load.most_requests(len(app.VARIANTS))
    typical = min(most, int(2 * plan.load.rps * (plan.lead + TYPICAL_UPDATE_S + plan.tail)))
    rows = [
        f"The experiment will create, in account {plan.account}, region {plan.region}:",
        f"  S3 bucket  {plan.bucket}  (the code of both phases, 2 zips)",
    ]
    for variant, what in app.VARIANTS.items():
        rows.append(f"  stack      {plan.stack_name(variant)}  ({what})")
    rows += [
        f"  each stack: samples/env-var-rename (an HTTP API, a Lambda function and its role, a "
        f"DynamoDB table on demand); the alias stack uses the macro {plan.macro_name}",
        f"  tag {aws.TAG_KEY}={plan.run_id} on the bucket and both stacks",
        f"It will send at most {most:,} requests ({plan.load.rps:g}/s to each of "
        f"{len(app.VARIANTS)} APIs for at most {plan.load.max_duration:g} s, capped at "
        f"{plan.load.max_requests:,}); about {typical:,} if each update takes "
        f"{TYPICAL_UPDATE_S:g} s. Estimated cost: {dollars(cost(most))} at most, in "
        f"requests (docs/experiment.md).",
        "Everything is deleted at the end, also after a failure or Ctrl-C (unless --keep).",
        f"Results go to {plan.out}/ (results.json, results.md, errors.png).",
    ]
    return "\n".join(rows)


def confirm(ask: Callable[[str], str], yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        steps.say("not a terminal: pass --yes to start without being asked")
        return False
    return ask("Proceed? [y/N] ").strip().lower() in ("y", "yes")


def main(
    argv: Sequence[str] | None = None,
    *,
    session: Any = None,
    load_factory: Callable[[dict[str, str], LoadSettings], Load] = Load,
    ask: Callable[[str], str] = input,
    sleep: Callable[[float], None] | None = None,
) -> int:
    args = build_parser().parse_args(argv)
    if args.report:
        return redraw(args.report, args.out or args.report.parent)
    problem = check_bounds(args)
    if problem:
        steps.say(f"experiment: {problem}")
        return EXIT_USAGE
    try:
        require_matplotlib()
        if session is None:
            import boto3

            session = boto3.Session(profile_name=args.profile, region_name=args.region)
        clients = aws.Clients.from_session(session)
        account = aws.account_id(clients)
        macro = aws.macro_name(clients, args.macro_stack)
    except (PlotUnavailable, aws.AwsError) as error:
        steps.say(f"experiment: {error}")
        return steps.EXIT_FAILED
    except Exception as error:  # credentials, network: one line, no traceback
        steps.say(f"experiment: cannot reach AWS ({type(error).__name__}: {error})")
        return steps.EXIT_FAILED
    run_id = f"{datetime.now(UTC):%y%m%d%H%M}{secrets.token_hex(3)}"
    plan = steps.Plan(
        run_id=run_id,
        account=account,
        region=clients.region,
        macro_name=macro,
        load=LoadSettings(
            rps=args.rps,
            max_duration=args.max_duration,
            max_requests=args.max_requests,
            timeout=args.timeout,
        ),
        lead=args.lead,
        tail=args.tail,
        out=args.out or Path("experiment-results") / run_id,
        label=args.label,
        poll=args.poll,
    )
    steps.say(describe_plan(plan))
    if not confirm(ask, args.yes):
        steps.say("nothing was created")
        return steps.EXIT_OK
    return execute(plan, clients, keep=args.keep, load_factory=load_factory, sleep=sleep)


def execute(
    plan: steps.Plan,
    clients: aws.Clients,
    *,
    keep: bool,
    load_factory: Callable[[dict[str, str], LoadSettings], Load],
    sleep: Callable[[float], None] | None,
) -> int:
    """Run the steps, then clean up whatever happened (unless `keep`)."""
    import time

    pause = sleep or time.sleep
    ledger = steps.Ledger()
    status = steps.EXIT_FAILED
    try:
        status = steps.run(plan, clients, ledger, load_factory=load_factory, sleep=pause)
    except KeyboardInterrupt:
        steps.say("\ninterrupted")
        status = steps.EXIT_INTERRUPTED
    except Exception as error:
        steps.say(f"experiment failed: {type(error).__name__}: {error}")
        status = steps.EXIT_FAILED
    if keep:
        steps.say("--keep: these stay; delete them when you are done:")
        for line in steps.leftovers(plan, ledger):
            steps.say(f"  {line}")
        return status
    try:
        left = steps.cleanup(plan, clients, ledger, sleep=pause)
    except KeyboardInterrupt:
        steps.say("\ncleanup interrupted; these may be left, delete them by hand:")
        for line in steps.leftovers(plan, ledger):
            steps.say(f"  {line}")
        return steps.EXIT_INTERRUPTED
    except Exception as error:
        steps.say(f"cleanup failed ({type(error).__name__}: {error}); delete by hand:")
        left = steps.leftovers(plan, ledger)
    for line in left:
        steps.say(f"  left: {line}")
    return status if not left else steps.EXIT_FAILED


def redraw(results_path: Path, out: Path) -> int:
    """--report: the table and the plot again, from a recorded results.json."""
    try:
        results = read_results(results_path)
        require_matplotlib()
    except (ResultsError, PlotUnavailable) as error:
        steps.say(f"experiment: {error}")
        return steps.EXIT_FAILED
    steps.report(results, out)
    return steps.EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
