"""One run of the experiment: create, load, update, measure, and always clean up.

`run(plan, clients, ...)` walks the steps in order and records what it creates in a
`Ledger` as it goes; `cleanup` deletes exactly what the ledger holds, after checking each
stack's and the bucket's tag, on success, on failure and on Ctrl-C (unless --keep). A
stack still updating is waited for first: CloudFormation deletes a settled stack.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import experiment_app as app
import experiment_aws as aws
from experiment_load import Load, LoadSettings
from experiment_report import build_results, markdown_table, write_results

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130


@dataclass(frozen=True)
class Plan:
    """What one run creates and how it loads: names are unique to the run."""

    run_id: str
    account: str
    region: str
    macro_name: str
    load: LoadSettings
    lead: float
    tail: float
    out: Path
    label: str = ""
    poll: float = 5.0

    @property
    def bucket(self) -> str:
        return f"vaexp-{self.run_id}-{self.account}-{self.region}"

    def stack_name(self, variant: str) -> str:
        return f"vaexp-{self.run_id}-{variant}"


@dataclass
class Ledger:
    """What this run created so far, for cleanup."""

    bucket: str | None = None
    stacks: dict[str, str] = field(default_factory=dict)  # variant -> StackId
    functions: list[str] = field(default_factory=list)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(
    plan: Plan,
    clients: aws.Clients,
    ledger: Ledger,
    *,
    load_factory: Callable[[dict[str, str], LoadSettings], Load] = Load,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """The experiment's steps. Raises on a failed step; the caller cleans up."""
    zips = app.code_zips()
    say(f"creating bucket {plan.bucket} and uploading the code of both phases")
    ledger.bucket = plan.bucket
    aws.create_bucket(clients, plan.bucket, plan.run_id)
    for code in zips.values():
        aws.upload(clients, plan.bucket, code.key, code.body)

    def body(phase: str, variant: str) -> str:
        template = app.stack_template(
            phase, variant, bucket=plan.bucket, code=zips[phase], macro_name=plan.macro_name
        )
        return app.template_body(template)

    for variant in app.VARIANTS:
        say(f"creating stack {plan.stack_name(variant)} ({app.VARIANTS[variant]})")
        ledger.stacks[variant] = aws.create_stack(
            clients, plan.stack_name(variant), body("before", variant), plan.run_id
        )
    settled = aws.wait_until_settled(clients, ledger.stacks.values(), sleep=sleep, poll=plan.poll)
    endpoints = {}
    for variant, stack_id in ledger.stacks.items():
        stack = settled[stack_id]
        if stack is None or stack["StackStatus"] != "CREATE_COMPLETE":
            status = stack["StackStatus"] if stack else "gone"
            reason = aws.failure_reason(clients, stack_id)
            raise aws.AwsError(f"{plan.stack_name(variant)} is {status}: {reason}")
        endpoints[variant] = aws.outputs(stack)["Endpoint"]
        ledger.functions += aws.function_names(clients, stack_id)

    load = load_factory(endpoints, plan.load)
    say(f"load: {plan.load.rps:g} requests/s to each API; the update starts in {plan.lead:g} s")
    load.start()
    try:
        _measure(plan, clients, ledger, load, body, sleep)
    finally:
        load.stop("interrupted")
    windows = {
        variant: aws.update_window(clients, stack_id, load.started_at, app.FUNCTION)
        for variant, stack_id in ledger.stacks.items()
    }
    results = build_results(
        run_id=plan.run_id,
        region=plan.region,
        started_at=datetime.fromtimestamp(load.started_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        label=plan.label,
        stopped_by=load.stopped_by,
        settings={
            "rps": plan.load.rps,
            "lead_s": plan.lead,
            "tail_s": plan.tail,
            "max_duration_s": plan.load.max_duration,
            "max_requests": plan.load.max_requests,
            "timeout_s": plan.load.timeout,
        },
        stacks={
            variant: {
                "stack_name": plan.stack_name(variant),
                "description": app.VARIANTS[variant],
                "endpoint": endpoints[variant],
                "update": windows[variant].as_json(),
            }
            for variant in ledger.stacks
        },
        load=load.results(),
    )
    return report(results, plan.out)


def _measure(
    plan: Plan,
    clients: aws.Clients,
    ledger: Ledger,
    load: Load,
    body: Callable[[str, str], str],
    sleep: Callable[[float], None],
) -> None:
    """Lead, both updates, wait for them under load, tail; the caller stops the load."""
    _wait(load, plan.lead, sleep)
    for variant, stack_id in ledger.stacks.items():
        say(f"updating {plan.stack_name(variant)}: TABLE_NAME -> TABLE in code and template")
        aws.update_stack(clients, stack_id, body("after", variant))
    aws.wait_until_settled(
        clients, ledger.stacks.values(), sleep=sleep, poll=plan.poll, keep_going=load.running
    )
    if not load.running():
        say(f"warning: the load stopped ({load.stopped_by}) before both updates completed")
        return
    say(f"both updates are done; {plan.tail:g} s of load to go")
    _wait(load, plan.tail, sleep)
    load.stop("tail")


def _wait(load: Load, seconds: float, sleep: Callable[[float], None]) -> None:
    """Let the load run `seconds` longer (less if it ends by itself)."""
    until = load.elapsed() + seconds
    while load.running() and load.elapsed() < until:
        sleep(min(0.2, max(until - load.elapsed(), 0.0)))


def report(results: dict[str, Any], out: Path) -> int:
    """Write results.json, results.md and errors.png into `out`; print the table."""
    from experiment_plot import plot

    write_results(out / "results.json", results)
    table = markdown_table(results)
    (out / "results.md").write_text(table, encoding="utf-8")
    plot(results, out / "errors.png")
    print(table)
    say(f"wrote {out / 'results.json'}, {out / 'results.md'} and {out / 'errors.png'}")
    statuses = [stack["update"].get("status") for stack in results["stacks"].values()]
    return EXIT_OK if all(status == "UPDATE_COMPLETE" for status in statuses) else EXIT_FAILED


def cleanup(
    plan: Plan, clients: aws.Clients, ledger: Ledger, *, sleep: Callable[[float], None]
) -> list[str]:
    """Delete what the ledger holds (stacks, then Lambda's log groups, then the bucket).

    Returns what could not be deleted, each as a line to act on."""
    left: list[str] = []
    stack_ids = list(ledger.stacks.values())
    if stack_ids:
        say("cleaning up: waiting for the stacks to settle, then deleting them")
        aws.wait_until_settled(clients, stack_ids, sleep=sleep, poll=plan.poll)
    deleting = []
    for variant, stack_id in ledger.stacks.items():
        outcome = aws.delete_stack(clients, stack_id, plan.run_id)
        say(f"  stack {plan.stack_name(variant)}: {outcome}")
        if outcome == "deleting":
            deleting.append(stack_id)
        elif outcome.startswith("left alone"):
            left.append(f"stack {plan.stack_name(variant)} ({outcome})")
    final = aws.wait_until_settled(clients, deleting, sleep=sleep, poll=plan.poll)
    for stack_id, stack in final.items():
        if stack is not None and stack["StackStatus"] != "DELETE_COMPLETE":
            left.append(
                f"stack {stack['StackName']} is {stack['StackStatus']}: "
                f"aws cloudformation delete-stack --stack-name {stack_id}"
            )
    for group in aws.delete_log_groups(clients, ledger.functions, plan.run_id):
        say(f"  log group {group}: deleted")
    if ledger.bucket:
        outcome = aws.delete_bucket(clients, ledger.bucket, plan.run_id)
        say(f"  bucket {ledger.bucket}: {outcome}")
        if outcome.startswith("left alone"):
            left.append(f"bucket {ledger.bucket} ({outcome})")
    return left


def leftovers(plan: Plan, ledger: Ledger) -> list[str]:
    """What a run leaves when its cleanup is skipped (--keep) or cut short (Ctrl-C)."""
    lines = [
        f"stack {plan.stack_name(variant)}: aws cloudformation delete-stack "
        f"--region {plan.region} --stack-name {plan.stack_name(variant)}"
        for variant in ledger.stacks
    ]
    if ledger.bucket:
        lines.append(
            f"bucket {ledger.bucket}: aws s3 rb --region {plan.region} --force s3://{ledger.bucket}"
        )
    lines += [f"log group /aws/lambda/{name} (Lambda made it)" for name in ledger.functions]
    return lines
