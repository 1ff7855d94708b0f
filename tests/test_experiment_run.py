"""The experiment's orchestration through boto3: S3, STS, CloudWatch Logs and the macro
stack against moto's server on 127.0.0.1; the experiment's own stacks through botocore's
Stubber, because moto runs neither the SAM transform nor macros. The Stubber fails a test
on any call out of order, so each test states every CloudFormation call the run makes,
including the cleanup on failure, on Ctrl-C, and the tag check before each delete."""

from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import boto3
import pytest
from botocore.stub import ANY, Stubber

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import experiment  # noqa: E402
import experiment_aws as aws  # noqa: E402
import experiment_run as steps  # noqa: E402
from experiment_load import LoadSettings  # noqa: E402

REGION, ACCOUNT, RUN = "us-east-1", "123456789012", "2406011200abcdef"
START = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
ARN = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack"
IDS = {variant: f"{ARN}/vaexp-{RUN}-{variant}/1" for variant in ("latest", "alias")}
TAGS = [{"Key": aws.TAG_KEY, "Value": RUN}]


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def clients(moto_url: str) -> Iterator[tuple[aws.Clients, Stubber]]:
    reset = urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")
    urllib.request.urlopen(reset).close()
    session = boto3.Session(aws_access_key_id="t", aws_secret_access_key="t", region_name=REGION)
    cloudformation = session.client("cloudformation")
    stub = Stubber(cloudformation)
    made = aws.Clients(
        cloudformation,
        session.client("s3", endpoint_url=moto_url),
        session.client("logs", endpoint_url=moto_url),
        session.client("sts", endpoint_url=moto_url),
        REGION,
    )
    with stub:
        yield made, stub
        stub.assert_no_pending_responses()


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.05)


class FakeLoad:
    """Stands in for experiment_load.Load: no HTTP, time from the test's Clock."""

    made: ClassVar[list[FakeLoad]] = []

    def __init__(self, targets: dict[str, str], settings: LoadSettings, clock: Clock) -> None:
        self.targets, self.clock = targets, clock
        self.started_at = START.timestamp()
        self.stopped_by: str | None = None
        self._running = False
        FakeLoad.made.append(self)

    def start(self) -> None:
        self._running, self.t0 = True, self.clock.now

    def stop(self, reason: str = "stopped") -> None:
        self.stopped_by = self.stopped_by or reason
        self._running = False

    def running(self) -> bool:
        return self._running

    def elapsed(self) -> float:
        return self.clock.now - self.t0

    def results(self) -> dict[str, Any]:
        row = {"t": 0, "ok": 9, "5xx": 1, "timeout": 0, "error": 0}
        totals = {"ok": 9, "5xx": 1, "timeout": 0, "error": 0, "sent": 10, "skipped": 0}
        return {name: {"totals": totals, "seconds": [row], "status_codes": {"500": 1}}
                for name in self.targets}  # fmt: skip


def plan(tmp_path: Path) -> steps.Plan:
    return steps.Plan(RUN, ACCOUNT, REGION, "VersionAlias", LoadSettings(rps=5), lead=10,
                      tail=10, out=tmp_path / "out", poll=1.0)  # fmt: skip


def stack(variant: str, status: str, tags: list | None = None) -> dict[str, Any]:
    body = {"Stacks": [{"StackId": IDS[variant], "StackName": f"vaexp-{RUN}-{variant}",
                        "StackStatus": status, "CreationTime": START,
                        "Tags": TAGS if tags is None else tags}]}  # fmt: skip
    if status == "CREATE_COMPLETE":
        url = f"https://{variant}.example/orders"
        body["Stacks"][0]["Outputs"] = [{"OutputKey": "Endpoint", "OutputValue": url}]
    return body


def describe(stub: Stubber, variant: str, status: str, tags: list | None = None) -> None:
    stub.add_response("describe_stacks", stack(variant, status, tags), {"StackName": IDS[variant]})


def event(variant: str, resource: str, kind: str, status: str, second: float, reason: str = ""):
    item = {"StackId": IDS[variant], "EventId": f"{resource}{second}", "StackName": variant,
            "LogicalResourceId": resource, "ResourceType": kind, "ResourceStatus": status,
            "Timestamp": START + timedelta(seconds=second)}  # fmt: skip
    return {**item, "ResourceStatusReason": reason} if reason else item


def update_events(variant: str) -> dict[str, Any]:
    name, kind = f"vaexp-{RUN}-{variant}", "AWS::CloudFormation::Stack"
    events = [
        event(variant, name, kind, "CREATE_COMPLETE", -60),
        event(variant, name, kind, "UPDATE_IN_PROGRESS", 30),
        event(variant, "OrdersFunction", "AWS::Lambda::Function", "UPDATE_IN_PROGRESS", 35.5),
        event(variant, "OrdersFunction", "AWS::Lambda::Function", "UPDATE_COMPLETE", 41.25),
        event(variant, name, kind, "UPDATE_COMPLETE", 70),
    ]
    return {"StackEvents": list(reversed(events))}


def created(stub: Stubber) -> None:
    """Both stacks created; their functions listed."""
    for variant in IDS:
        stub.add_response(
            "create_stack",
            {"StackId": IDS[variant]},
            {"StackName": f"vaexp-{RUN}-{variant}", "TemplateBody": ANY,
             "Capabilities": ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"], "Tags": TAGS,
             "OnFailure": "DELETE"},
        )  # fmt: skip
    for variant in IDS:
        describe(stub, variant, "CREATE_COMPLETE")
    for variant in IDS:
        summary = {"LogicalResourceId": "OrdersFunction", "ResourceType": "AWS::Lambda::Function",
                   "PhysicalResourceId": f"vaexp-{RUN}-{variant}-OrdersFunction-X",
                   "ResourceStatus": "CREATE_COMPLETE", "LastUpdatedTimestamp": START}  # fmt: skip
        stub.add_response(
            "list_stack_resources",
            {"StackResourceSummaries": [summary]},
            {"StackName": IDS[variant]},
        )


def deleted(stub: Stubber, settled: str = "UPDATE_COMPLETE") -> None:
    """The cleanup: wait for both to settle, check each tag, delete, wait for the deletes."""
    for variant in IDS:
        describe(stub, variant, settled)
    for variant in IDS:
        describe(stub, variant, settled)
        stub.add_response("delete_stack", {}, {"StackName": IDS[variant]})
    for variant in IDS:
        describe(stub, variant, "DELETE_COMPLETE")


def execute(made: aws.Clients, tmp_path: Path, clock: Clock, *, keep: bool = False) -> int:
    return experiment.execute(plan(tmp_path), made, keep=keep, sleep=clock.sleep,
                              load_factory=lambda t, s: FakeLoad(t, s, clock))  # fmt: skip


def moto_buckets(made: aws.Clients) -> list[str]:
    return [bucket["Name"] for bucket in made.s3.list_buckets()["Buckets"]]


def test_a_run_creates_updates_measures_and_deletes_everything(clients, tmp_path, capsys):
    made, stub = clients
    clock = Clock()
    created(stub)
    for variant in IDS:
        stub.add_response(
            "update_stack", {"StackId": IDS[variant]},
            {"StackName": IDS[variant], "TemplateBody": ANY, "Capabilities": ANY},
        )  # fmt: skip
    for variant in IDS:
        describe(stub, variant, "UPDATE_COMPLETE")
    for variant in IDS:
        stub.add_response(
            "describe_stack_events", update_events(variant), {"StackName": IDS[variant]}
        )
    deleted(stub)
    made.logs.create_log_group(logGroupName=f"/aws/lambda/vaexp-{RUN}-latest-OrdersFunction-X")
    made.logs.create_log_group(logGroupName="/aws/lambda/someone-elses")
    sent: list[tuple[str, str, dict]] = []
    made.cloudformation.meta.events.register(
        "provide-client-params.cloudformation.*",
        lambda params, model, **_: sent.append(
            (model.name, params["StackName"], json.loads(params["TemplateBody"]))
        ) if "TemplateBody" in params else None,
    )  # fmt: skip

    assert execute(made, tmp_path, clock) == 0

    deployed = {(op, name.split("-")[-1].split("/")[0]): body for op, name, body in sent}
    for (operation, variant), body in deployed.items():
        function = body["Resources"]["OrdersFunction"]["Properties"]
        want = "TABLE_NAME" if operation == "CreateStack" else "TABLE"
        assert list(function["Environment"]["Variables"]) == [want]
        assert function["CodeUri"]["Bucket"] == f"vaexp-{RUN}-{ACCOUNT}-{REGION}"
        assert ("VersionAlias" in body["Transform"]) is (variant == "alias")
    assert len(deployed) == 4
    code = {op: body["Resources"]["OrdersFunction"]["Properties"]["CodeUri"]["Key"]
            for (op, _), body in deployed.items()}  # fmt: skip
    assert code["CreateStack"] != code["UpdateStack"], "the update ships the renamed code"

    results = json.loads((tmp_path / "out" / "results.json").read_text())
    update = results["stacks"]["latest"]["update"]
    assert (update["start_s"], update["end_s"], update["status"]) == (30, 70, "UPDATE_COMPLETE")
    assert (update["function_start_s"], update["function_end_s"]) == (35.5, 41.25)
    assert results["stacks"]["alias"]["endpoint"] == "https://alias.example/orders"
    assert results["stopped_by"] == "tail"
    assert clock.now >= 20, "lead and tail were waited for"
    assert "| SAM only" in capsys.readouterr().out
    assert (tmp_path / "out" / "errors.png").stat().st_size > 10_000
    assert moto_buckets(made) == [], "the code bucket is emptied and deleted"
    groups = [g["logGroupName"] for g in made.logs.describe_log_groups()["logGroups"]]
    assert groups == ["/aws/lambda/someone-elses"], "only this run's functions' log groups go"


def test_a_failed_create_deletes_what_was_created(clients, tmp_path, capsys) -> None:
    made, stub = clients
    for variant in IDS:
        stub.add_response("create_stack", {"StackId": IDS[variant]})
    describe(stub, "latest", "CREATE_COMPLETE")
    describe(stub, "alias", "DELETE_COMPLETE")  # OnFailure=DELETE
    stub.add_response("list_stack_resources", {"StackResourceSummaries": []})
    failed = event("alias", "vaexp-alias", "AWS::CloudFormation::Stack", "CREATE_FAILED", 5,
                   "Transform 123456789012::VersionAlias failed with: ...")  # fmt: skip
    stub.add_response("describe_stack_events", {"StackEvents": [failed]})
    describe(stub, "latest", "CREATE_COMPLETE")  # cleanup: settled?
    describe(stub, "alias", "DELETE_COMPLETE")
    describe(stub, "latest", "CREATE_COMPLETE")  # the tag, then the delete
    stub.add_response("delete_stack", {}, {"StackName": IDS["latest"]})
    describe(stub, "alias", "DELETE_COMPLETE")  # already gone: no delete
    describe(stub, "latest", "DELETE_COMPLETE")

    assert execute(made, tmp_path, Clock()) == 1

    err = capsys.readouterr().err
    assert "Transform 123456789012::VersionAlias failed" in err
    assert "stack vaexp-2406011200abcdef-alias: already gone" in err
    assert moto_buckets(made) == []


def test_ctrl_c_under_load_stops_it_and_deletes_everything(clients, tmp_path, capsys) -> None:
    made, stub = clients
    clock = Clock()
    created(stub)
    deleted(stub, settled="CREATE_COMPLETE")

    def interrupted(seconds: float) -> None:
        if FakeLoad.made and FakeLoad.made[-1].running():
            raise KeyboardInterrupt
        clock.sleep(seconds)

    status = experiment.execute(plan(tmp_path), made, keep=False, sleep=interrupted,
                                load_factory=lambda t, s: FakeLoad(t, s, clock))  # fmt: skip

    assert status == 130
    assert FakeLoad.made[-1].stopped_by == "interrupted"
    assert "interrupted" in capsys.readouterr().err
    assert moto_buckets(made) == []


def test_a_stack_tagged_for_another_run_is_left_alone(clients, tmp_path, capsys) -> None:
    made, stub = clients
    created(stub)
    other = [{"Key": aws.TAG_KEY, "Value": "someone-else"}]
    stub.add_client_error("update_stack", "ValidationError", "No updates are to be performed.")
    for variant in IDS:
        describe(stub, variant, "CREATE_COMPLETE")
    describe(stub, "latest", "CREATE_COMPLETE", tags=other)  # no delete_stack follows
    describe(stub, "alias", "CREATE_COMPLETE")
    stub.add_response("delete_stack", {}, {"StackName": IDS["alias"]})
    describe(stub, "alias", "DELETE_COMPLETE")

    assert execute(made, tmp_path, Clock()) == 1
    err = capsys.readouterr().err
    assert "No updates are to be performed" in err
    assert "left: stack vaexp-2406011200abcdef-latest (left alone: its tag does not" in err


def test_keep_deletes_nothing_and_says_what_is_left(clients, tmp_path, capsys) -> None:
    made, stub = clients
    created(stub)
    stub.add_client_error("update_stack", "ValidationError", "boom")

    assert execute(made, tmp_path, Clock(), keep=True) == 1
    err = capsys.readouterr().err
    assert (
        f"aws cloudformation delete-stack --region {REGION} --stack-name vaexp-{RUN}-alias" in err
    )
    assert moto_buckets(made) == [f"vaexp-{RUN}-{ACCOUNT}-{REGION}"]


class FakeSession:
    """What main() needs of a boto3 Session: a region and clients."""

    def __init__(self, made: aws.Clients, cloudformation: Any = None) -> None:
        self.region_name = REGION
        self._clients = {"cloudformation": cloudformation or made.cloudformation, "s3": made.s3,
                         "logs": made.logs, "sts": made.sts}  # fmt: skip

    def client(self, name: str) -> Any:
        return self._clients[name]


@pytest.fixture
def moto_cloudformation(moto_url: str) -> Any:
    """CloudFormation on moto, holding a plain stand-in for the macro stack."""
    client = boto3.client("cloudformation", endpoint_url=moto_url, region_name=REGION,
                          aws_access_key_id="t", aws_secret_access_key="t")  # fmt: skip
    return client


def macro_stack(client: Any, name: str = "version-alias-macro") -> None:
    template = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
                "Outputs": {"MacroName": {"Value": "VersionAliasNext"}}}  # fmt: skip
    client.create_stack(StackName=name, TemplateBody=json.dumps(template))


@pytest.mark.parametrize(
    ("answer", "yes", "tty"),
    [
        pytest.param("n", False, True, id="answered-no"),
        pytest.param("", False, True, id="answered-nothing"),
        pytest.param("y", False, False, id="no-terminal-and-no---yes"),
    ],
)
def test_nothing_is_created_without_a_yes(clients, moto_cloudformation, monkeypatch, capsys,
                                          answer, yes, tty) -> None:  # fmt: skip
    made, _ = clients  # the stubbed client queues nothing: any stack call would fail
    macro_stack(moto_cloudformation)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: tty)
    status = experiment.main([], session=FakeSession(made, moto_cloudformation),
                             ask=lambda _: answer)  # fmt: skip
    err = capsys.readouterr().err
    assert status == 0 and "nothing was created" in err
    assert "It will send at most 18,002 requests" in err, "the plan comes before the question"
    assert "the alias stack uses the macro VersionAliasNext" in err
    assert moto_buckets(made) == []


def test_a_missing_macro_stack_says_how_to_deploy_it(clients, moto_cloudformation, capsys):
    made, _ = clients
    status = experiment.main(["--yes"], session=FakeSession(made, moto_cloudformation))
    err = capsys.readouterr().err
    assert status == 1
    assert "macro stack version-alias-macro does not exist" in err and "make deploy" in err
    assert moto_buckets(made) == []


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--rps", "0"], id="no-load"),
        pytest.param(["--rps", "500"], id="too-much-load"),
        pytest.param(["--max-requests", "1000000"], id="cap-too-high"),
        pytest.param(["--max-duration", "60", "--lead", "30", "--tail", "60"], id="short-run"),
        pytest.param(["--timeout", "0"], id="no-timeout"),
    ],
)
def test_unsafe_bounds_are_refused_before_any_aws_call(argv: list[str], capsys) -> None:
    assert experiment.main([*argv, "--yes"], session=object()) == 2
    assert "experiment: --" in capsys.readouterr().err


def test_the_cost_estimate_follows_the_request_count() -> None:
    assert experiment.cost(0) == 0
    assert experiment.cost(1_000_000) == pytest.approx(1.629, abs=0.001)
    assert experiment.dollars(experiment.cost(18_002)) == "$0.03"
