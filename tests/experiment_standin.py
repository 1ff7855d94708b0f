"""Local stand-ins for AWS, so that scripts/experiment.py runs end to end without an account.

- moto's ThreadedMotoServer on 127.0.0.1 answers STS, S3, CloudWatch Logs, and
  CloudFormation for the macro stack (a plain stack with a `MacroName` output).
- `FakeCloudFormation` answers, through botocore `before-call` hooks on the session, the
  CloudFormation calls for the experiment's own stacks, which moto cannot serve: moto runs
  neither the SAM transform nor macros (it warns "No Moto CloudFormation support for
  AWS::Serverless::Function" and fails on the SAM outputs). Each stack it creates gets a
  local HTTP server on 127.0.0.1 standing in for the HTTP API and the function.

The stand-in function is built from what the tool deployed, not told the answer: it reads
the code zip named by the template's CodeUri from the moto bucket, finds the environment
variable the code reads (`os.environ["..."]`), and answers 500 (as API Gateway does when the
function fails to start) while that variable is missing from its configuration. An update
changes the code first and the configuration `gap` seconds later, as CloudFormation's two
Lambda calls do. Without the macro in the Transform, the API calls `$LATEST` and sees the
mix; with it, the API calls an alias that moves to a new version only when both are done.
This models the mechanism; it measures nothing about AWS.

    python tests/experiment_standin.py [--out DIR]   # the demo run (make experiment-demo)
"""

from __future__ import annotations

import io
import json
import re
import sys
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

ROOT = Path(__file__).resolve().parents[1]
REGION = "us-east-1"
MACRO_STACK = "version-alias-macro"
MACRO_NAME = "VersionAlias"
_READS = re.compile(r"""os\.environ\[["'](\w+)["']\]""")
MACRO_TEMPLATE = {
    "Resources": {"Placeholder": {"Type": "AWS::SNS::Topic"}},
    "Outputs": {"MacroName": {"Value": MACRO_NAME}},
}


@dataclass
class Function:
    """What one invocation runs: the variable its code reads, the variables it is given."""

    reads: str
    variables: frozenset[str]

    def answer(self) -> int:
        return 404 if self.reads in self.variables else 500


@dataclass
class FakeStack:
    """One experiment stack: its status, events, tags, and the HTTP server in front of it."""

    stack_id: str
    name: str
    tags: list[dict[str, str]]
    via_alias: bool
    status: str = "CREATE_IN_PROGRESS"
    events: list[dict[str, Any]] = field(default_factory=list)
    latest: Function | None = None
    alias: Function | None = None
    server: ThreadingHTTPServer | None = None

    def invoked(self) -> Function | None:
        return self.alias if self.via_alias else self.latest

    def event(self, resource: str, kind: str, status: str) -> None:
        if kind == "AWS::CloudFormation::Stack":
            resource = self.name
        self.events.append(
            {
                "StackId": self.stack_id,
                "StackName": self.name,
                "EventId": f"{resource}-{len(self.events)}",
                "LogicalResourceId": resource,
                "ResourceType": kind,
                "ResourceStatus": status,
                "Timestamp": datetime.now(UTC),
            }
        )
        if kind == "AWS::CloudFormation::Stack":
            self.status = status


class FakeCloudFormation:
    """CloudFormation for the experiment's stacks, with time running as in the real thing
    but faster: `gap` seconds between the code and the configuration update."""

    def __init__(self, s3: Any, *, gap: float = 1.5, step: float = 0.3) -> None:
        self.s3, self.gap, self.step = s3, gap, step
        self.stacks: dict[str, FakeStack] = {}
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def register(self, session: boto3.Session) -> None:
        for operation in ("CreateStack", "UpdateStack", "DeleteStack", "DescribeStacks",
                          "DescribeStackEvents", "ListStackResources"):  # fmt: skip
            session.events.register(f"before-call.cloudformation.{operation}", self._answer)

    def _find(self, name: str) -> FakeStack | None:
        return self.stacks.get(name) or next(
            (s for s in self.stacks.values() if s.name == name and s.status != "DELETE_COMPLETE"),
            None,
        )

    def _answer(self, params: dict[str, Any], model: Any, **_: Any) -> Any:
        body = _fields(params["body"])
        operation = model.name
        if operation == "CreateStack":
            return _ok(self._create(body))
        stack = self._find(body.get("StackName", ""))
        if stack is None:
            if operation == "DescribeStacks":
                return None  # the macro stack: moto has it
            raise ClientError(
                {"Error": {"Code": "ValidationError", "Message": "Stack does not exist"}},
                operation,
            )
        self.calls.append(f"{operation} {stack.name}")
        if operation == "DescribeStacks":
            return _ok({"Stacks": [self._describe(stack)]})
        if operation == "DescribeStackEvents":
            return _ok({"StackEvents": list(reversed(stack.events))})
        if operation == "ListStackResources":
            return _ok({"StackResourceSummaries": _resources(stack)})
        if operation == "UpdateStack":  # the status changes before CloudFormation answers
            stack.event(stack.name, "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS")
            self._later(self._update, stack, json.loads(body["TemplateBody"]))
            return _ok({"StackId": stack.stack_id})
        stack.event(stack.name, "AWS::CloudFormation::Stack", "DELETE_IN_PROGRESS")
        self._later(self._delete, stack)  # DeleteStack
        return _ok({})

    def _create(self, body: dict[str, str]) -> dict[str, Any]:
        template = json.loads(body["TemplateBody"])
        transform = template.get("Transform")
        tags = [
            {"Key": body[f"Tags.member.{i}.Key"], "Value": body[f"Tags.member.{i}.Value"]}
            for i in range(1, 10)
            if f"Tags.member.{i}.Key" in body
        ]
        name = body["StackName"]
        stack_id = f"arn:aws:cloudformation:{REGION}:123456789012:stack/{name}/{len(self.stacks)}"
        stack = FakeStack(stack_id, name, tags, via_alias=MACRO_NAME in (transform or []))
        self.calls.append(f"CreateStack {name}")
        with self._lock:
            self.stacks[stack_id] = stack
        stack.event(name, "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS")
        self._later(self._finish_create, stack, template)
        return {"StackId": stack_id}

    def _function(self, template: dict[str, Any]) -> Function:
        properties = template["Resources"]["OrdersFunction"]["Properties"]
        where = properties["CodeUri"]
        code = self.s3.get_object(Bucket=where["Bucket"], Key=where["Key"])["Body"].read()
        with zipfile.ZipFile(io.BytesIO(code)) as archive:
            reads = _READS.findall(archive.read("index.py").decode())
        return Function(reads[0], frozenset(properties["Environment"]["Variables"]))

    def _finish_create(self, stack: FakeStack, template: dict[str, Any]) -> None:
        stack.latest = stack.alias = self._function(template)
        stack.server = _serve(stack)
        stack.event(stack.name, "AWS::CloudFormation::Stack", "CREATE_COMPLETE")

    def _update(self, stack: FakeStack, template: dict[str, Any]) -> None:
        new = self._function(template)
        stack.event("OrdersFunction", "AWS::Lambda::Function", "UPDATE_IN_PROGRESS")
        assert stack.latest is not None
        stack.latest = Function(new.reads, stack.latest.variables)  # UpdateFunctionCode
        time.sleep(self.gap)
        stack.latest = new  # UpdateFunctionConfiguration
        stack.event("OrdersFunction", "AWS::Lambda::Function", "UPDATE_COMPLETE")
        if stack.via_alias:
            time.sleep(self.step)
            stack.event("OrdersFunctionVersion", "AWS::Lambda::Version", "CREATE_COMPLETE")
            stack.alias = new  # the alias moves to the new version, complete
            stack.event("OrdersFunctionAliaslive", "AWS::Lambda::Alias", "UPDATE_COMPLETE")
        time.sleep(self.step)
        stack.event(stack.name, "AWS::CloudFormation::Stack", "UPDATE_COMPLETE")

    def _delete(self, stack: FakeStack) -> None:
        if stack.server:
            stack.server.shutdown()
            stack.server.server_close()
        stack.event(stack.name, "AWS::CloudFormation::Stack", "DELETE_COMPLETE")

    def _later(self, work: Any, *args: Any) -> None:
        def delayed() -> None:
            time.sleep(self.step)
            work(*args)

        threading.Thread(target=delayed, daemon=True).start()

    @staticmethod
    def _describe(stack: FakeStack) -> dict[str, Any]:
        described: dict[str, Any] = {
            "StackId": stack.stack_id,
            "StackName": stack.name,
            "StackStatus": stack.status,
            "CreationTime": stack.events[0]["Timestamp"],
            "Tags": stack.tags,
        }
        if stack.server is not None:
            host, port = stack.server.server_address[:2]
            endpoint = f"http://{host}:{port}/orders"
            described["Outputs"] = [{"OutputKey": "Endpoint", "OutputValue": endpoint}]
        return described


def _fields(body: Any) -> dict[str, str]:
    """The query-protocol request's fields (botocore hands them over as a dict)."""
    if isinstance(body, dict):
        return {str(key): str(value) for key, value in body.items()}
    from urllib.parse import parse_qs

    text = body.decode() if isinstance(body, bytes) else str(body)
    return {key: values[0] for key, values in parse_qs(text, keep_blank_values=True).items()}


def _ok(parsed: dict[str, Any]) -> tuple[AWSResponse, dict[str, Any]]:
    return AWSResponse("http://127.0.0.1/fake-cloudformation", 200, {}, None), parsed


def _resources(stack: FakeStack) -> list[dict[str, Any]]:
    return [
        {
            "LogicalResourceId": "OrdersFunction",
            "PhysicalResourceId": f"{stack.name}-OrdersFunction-STANDIN",
            "ResourceType": "AWS::Lambda::Function",
            "ResourceStatus": "CREATE_COMPLETE",
            "LastUpdatedTimestamp": stack.events[0]["Timestamp"],
        }
    ]


def _serve(stack: FakeStack) -> ThreadingHTTPServer:
    """The stack's HTTP API on 127.0.0.1: GET /orders runs the function the API invokes."""

    class Api(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            function = stack.invoked()
            status = function.answer() if function else 503
            body = b"null" if status < 500 else b'{"message":"Internal Server Error"}'
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def standin(*, gap: float = 1.5, step: float = 0.3) -> Iterator[tuple[boto3.Session, Any]]:
    """(session, fake CloudFormation) with moto on 127.0.0.1 and the macro stack deployed.
    Sets AWS_ENDPOINT_URL for the duration, so every client of the session goes to moto."""
    import logging
    import os

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    # moto keeps its state per process, not per server: start from an empty account
    urllib.request.urlopen(
        urllib.request.Request(f"http://{host}:{port}/moto-api/reset", method="POST")
    ).close()
    saved = os.environ.get("AWS_ENDPOINT_URL")
    os.environ["AWS_ENDPOINT_URL"] = f"http://{host}:{port}"
    try:
        session = boto3.Session(
            aws_access_key_id="standin", aws_secret_access_key="standin", region_name=REGION
        )
        session.client("cloudformation").create_stack(
            StackName=MACRO_STACK, TemplateBody=json.dumps(MACRO_TEMPLATE)
        )
        fake = FakeCloudFormation(session.client("s3"), gap=gap, step=step)
        fake.register(session)
        yield session, fake
    finally:
        if saved is None:
            os.environ.pop("AWS_ENDPOINT_URL", None)
        else:
            os.environ["AWS_ENDPOINT_URL"] = saved
        server.stop()


LABEL = "Local stand-in run (moto and a fake API on 127.0.0.1): not a measurement"
DEMO_ARGS = ["--yes", "--rps", "20", "--lead", "3", "--tail", "3", "--max-duration", "60",
             "--timeout", "2", "--poll", "0.2", "--label", LABEL]  # fmt: skip


def demo(out: Path) -> int:
    """The tool end to end against the stand-ins; prints its table, writes into `out`."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import experiment

    with standin() as (session, _):
        return experiment.main([*DEMO_ARGS, "--out", str(out)], session=session)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="scripts/experiment.py against local stand-ins")
    parser.add_argument("--out", type=Path, default=ROOT / "experiment-results" / "standin")
    sys.exit(demo(parser.parse_args().out))
