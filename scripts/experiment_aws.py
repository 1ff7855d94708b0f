"""What the experiment asks of AWS: the macro stack, one S3 bucket, two stacks, their events.

Every call goes through boto3 clients handed in (`Clients`), so tests point them at moto on
127.0.0.1 or at botocore's Stubber. Nothing here deletes a stack or a bucket without first
reading its `version-alias-experiment` tag and finding this run's id in it.

Sources: CloudFormation stack statuses and events,
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html;
`CAPABILITY_AUTO_EXPAND` for templates with macros, CreateStack in the CloudFormation API
reference; a bucket outside us-east-1 needs a LocationConstraint, CreateBucket in the S3 API
reference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

TAG_KEY = "version-alias-experiment"
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]
STACK_TYPE = "AWS::CloudFormation::Stack"
UPDATE_ENDS = {"UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED"}
UPDATE_ENDS |= {"UPDATE_FAILED"}


class AwsError(Exception):
    """An AWS step failed; the message says which and what to do."""


@dataclass(frozen=True)
class Clients:
    """The boto3 clients the experiment uses, all in the caller's account and region."""

    cloudformation: Any
    s3: Any
    logs: Any
    sts: Any
    region: str

    @classmethod
    def from_session(cls, session: Any) -> Clients:
        region = session.region_name
        if not region:
            raise AwsError("no region: pass --region or set AWS_REGION")
        make = session.client
        return cls(make("cloudformation"), make("s3"), make("logs"), make("sts"), region)


@dataclass
class Window:
    """When one stack's update ran, in seconds since the load started (from stack events)."""

    start: float | None = None
    end: float | None = None
    status: str | None = None
    function: tuple[float, float] | None = None  # the function's own UPDATE_IN_PROGRESS..COMPLETE
    events: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "start_s": self.start,
            "end_s": self.end,
            "status": self.status,
            "function_start_s": self.function[0] if self.function else None,
            "function_end_s": self.function[1] if self.function else None,
            "events": self.events,
        }


def error_code(problem: ClientError) -> str:
    return str(problem.response.get("Error", {}).get("Code", ""))


def account_id(clients: Clients) -> str:
    return str(clients.sts.get_caller_identity()["Account"])


def macro_name(clients: Clients, stack: str) -> str:
    """The name the deployed macro goes by: the macro stack's `MacroName` output.

    Raises AwsError saying how to deploy it (`make deploy`) when the stack is missing."""
    how = (
        f"deploy the macro first: `make deploy` (stack {stack}, in {clients.region}), or pass "
        "--macro-stack NAME if you deployed it under another stack name"
    )
    try:
        stacks = clients.cloudformation.describe_stacks(StackName=stack)["Stacks"]
    except ClientError as problem:
        if error_code(problem) == "ValidationError":
            raise AwsError(f"the VersionAlias macro stack {stack} does not exist: {how}") from None
        raise
    status = stacks[0]["StackStatus"]
    if status not in ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE"):
        raise AwsError(f"the macro stack {stack} is {status}: {how}")
    outputs = {item["OutputKey"]: item["OutputValue"] for item in stacks[0].get("Outputs", [])}
    if "MacroName" not in outputs:
        raise AwsError(f"the stack {stack} has no MacroName output: is it the macro stack?")
    return outputs["MacroName"]


# -- the bucket ---------------------------------------------------------------------------


def create_bucket(clients: Clients, bucket: str, run_id: str) -> None:
    """A private bucket for the code zips, tagged with the run id."""
    extra = {}
    if clients.region != "us-east-1":
        extra = {"CreateBucketConfiguration": {"LocationConstraint": clients.region}}
    clients.s3.create_bucket(Bucket=bucket, **extra)
    clients.s3.put_bucket_tagging(
        Bucket=bucket, Tagging={"TagSet": [{"Key": TAG_KEY, "Value": run_id}]}
    )


def upload(clients: Clients, bucket: str, key: str, body: bytes) -> None:
    clients.s3.put_object(Bucket=bucket, Key=key, Body=body)


def delete_bucket(clients: Clients, bucket: str, run_id: str) -> str:
    """Empty and delete the bucket if its tag names this run. Returns what happened."""
    try:
        tags = clients.s3.get_bucket_tagging(Bucket=bucket)["TagSet"]
    except ClientError as problem:
        if error_code(problem) == "NoSuchBucket":
            return "already gone"
        raise
    if {"Key": TAG_KEY, "Value": run_id} not in tags:
        return "left alone: its tag does not name this run"
    pages = clients.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    for page in pages:
        keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
        if keys:
            clients.s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
    clients.s3.delete_bucket(Bucket=bucket)
    return "deleted"


# -- the stacks ---------------------------------------------------------------------------


def create_stack(clients: Clients, name: str, body: str, run_id: str) -> str:
    """Start creating a stack tagged with the run id; returns its StackId."""
    answer = clients.cloudformation.create_stack(
        StackName=name,
        TemplateBody=body,
        Capabilities=CAPABILITIES,
        Tags=[{"Key": TAG_KEY, "Value": run_id}],
        OnFailure="DELETE",
    )
    return str(answer["StackId"])


def update_stack(clients: Clients, stack_id: str, body: str) -> None:
    clients.cloudformation.update_stack(
        StackName=stack_id, TemplateBody=body, Capabilities=CAPABILITIES
    )


def describe(clients: Clients, stack_id: str) -> dict[str, Any] | None:
    """The stack, or None when it does not exist (any more)."""
    try:
        stacks = clients.cloudformation.describe_stacks(StackName=stack_id)["Stacks"]
    except ClientError as problem:
        if error_code(problem) == "ValidationError":
            return None
        raise
    return stacks[0] if stacks else None


def wait_until_settled(
    clients: Clients,
    stack_ids: Iterable[str],
    *,
    sleep: Callable[[float], None],
    poll: float,
    keep_going: Callable[[], bool] = lambda: True,
) -> dict[str, dict[str, Any] | None]:
    """Poll until no stack is in a *_IN_PROGRESS status (or `keep_going()` says stop).

    Returns {stack id: the stack as last described, None when it is gone}."""
    pending = list(stack_ids)
    last: dict[str, dict[str, Any] | None] = {}
    while True:
        for stack_id in list(pending):
            stack = describe(clients, stack_id)
            last[stack_id] = stack
            if stack is None or not stack["StackStatus"].endswith("_IN_PROGRESS"):
                pending.remove(stack_id)
        if not pending or not keep_going():
            return last
        sleep(poll)


def outputs(stack: dict[str, Any]) -> dict[str, str]:
    return {item["OutputKey"]: item["OutputValue"] for item in stack.get("Outputs", [])}


def failure_reason(clients: Clients, stack_id: str) -> str:
    """The first failed resource's reason, from the stack events (oldest first)."""
    events = _events(clients, stack_id)
    for event in reversed(events):
        if event["ResourceStatus"].endswith("FAILED") and event.get("ResourceStatusReason"):
            return f"{event['LogicalResourceId']}: {event['ResourceStatusReason']}"
    return "no reason in the stack events"


def function_names(clients: Clients, stack_id: str) -> list[str]:
    """Physical names of the stack's Lambda functions (their log groups are Lambda's)."""
    pages = clients.cloudformation.get_paginator("list_stack_resources").paginate(
        StackName=stack_id
    )
    return sorted(
        item["PhysicalResourceId"]
        for page in pages
        for item in page["StackResourceSummaries"]
        if item["ResourceType"] == "AWS::Lambda::Function" and item.get("PhysicalResourceId")
    )


def _events(clients: Clients, stack_id: str) -> list[dict[str, Any]]:
    """Every event of the stack, newest first, as CloudFormation lists them."""
    pages = clients.cloudformation.get_paginator("describe_stack_events").paginate(
        StackName=stack_id
    )
    return [event for page in pages for event in page["StackEvents"]]


def update_window(clients: Clients, stack_id: str, started_at: float, function: str) -> Window:
    """The stack's one update, from its events: the stack's last UPDATE_IN_PROGRESS to the
    update's end (UPDATE_COMPLETE or a rollback), and the function's own update inside it.

    Times are seconds after `started_at` (epoch seconds of the load's start); they carry
    the difference between this machine's clock and AWS's."""
    events = list(reversed(_events(clients, stack_id)))  # oldest first
    window = Window()

    def seconds(event: dict[str, Any]) -> float:
        stamp: datetime = event["Timestamp"]
        return round(stamp.timestamp() - started_at, 3)

    stack_events = [e for e in events if e["ResourceType"] == STACK_TYPE]
    starts = [i for i, e in enumerate(stack_events) if e["ResourceStatus"] == "UPDATE_IN_PROGRESS"]
    if not starts:
        return window
    begin = stack_events[starts[-1]]
    window.start = seconds(begin)
    ends = [e for e in stack_events[starts[-1] :] if e["ResourceStatus"] in UPDATE_ENDS]
    if ends:
        window.end, window.status = seconds(ends[0]), ends[0]["ResourceStatus"]
    inside = [
        e
        for e in events
        if seconds(e) >= window.start and (window.end is None or seconds(e) <= window.end)
    ]
    mine = [e for e in inside if e["LogicalResourceId"] == function]
    began = [seconds(e) for e in mine if e["ResourceStatus"] == "UPDATE_IN_PROGRESS"]
    done = [seconds(e) for e in mine if e["ResourceStatus"] == "UPDATE_COMPLETE"]
    if began and done:
        window.function = (min(began), max(done))
    window.events = [
        {
            "t_s": seconds(e),
            "resource": e["LogicalResourceId"],
            "type": e["ResourceType"],
            "status": e["ResourceStatus"],
        }
        for e in inside
        if e["ResourceType"] in (STACK_TYPE, "AWS::Lambda::Function", "AWS::Lambda::Version")
        or e["ResourceType"] == "AWS::Lambda::Alias"
    ]
    return window


def delete_stack(clients: Clients, stack_id: str, run_id: str) -> str:
    """Start deleting the stack if its tag names this run. Returns what happened."""
    stack = describe(clients, stack_id)
    if stack is None or stack["StackStatus"] == "DELETE_COMPLETE":
        return "already gone"
    if {"Key": TAG_KEY, "Value": run_id} not in stack.get("Tags", []):
        return "left alone: its tag does not name this run"
    clients.cloudformation.delete_stack(StackName=stack_id)
    return "deleting"


def delete_log_groups(clients: Clients, functions: Iterable[str], run_id: str) -> list[str]:
    """Delete the log groups Lambda made for this run's functions (named after them, so
    only names that carry the run id). Returns the groups deleted."""
    deleted = []
    for name in functions:
        if run_id not in name:
            continue
        group = f"/aws/lambda/{name}"
        try:
            clients.logs.delete_log_group(logGroupName=group)
        except ClientError as problem:
            if error_code(problem) == "ResourceNotFoundException":
                continue
            raise
        deleted.append(group)
    return deleted
