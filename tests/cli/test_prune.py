"""Tests for ``version-alias prune``: the pure planner directly, the AWS layer against moto.

moto 5 does not implement ListProvisionedConcurrencyConfigs or ListFunctionUrlConfigs (it
answers 404 "Not yet implemented"), so ``FakeAws`` answers those two calls through botocore
``before-call`` hooks on the session prune uses; everything else goes to moto. The same hooks
inject delete failures and throttling, and rewrite LastModified for the --older-than test.
"""

from __future__ import annotations

import argparse
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from moto import mock_aws

from version_alias.cli.commands import prune
from version_alias.cli.commands.prune_plan import (
    LATEST,
    Alias,
    EventSourceMapping,
    Version,
    format_size,
    parse_last_modified,
    plan_prune,
    qualifier_of,
)

REGION = "us-east-1"
ACCOUNT = "123456789012"
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


# --------------------------------------------------------------------------- planner


def ver(number: str, days_old: float = 0, size: int = 100) -> Version:
    """A version last modified ``days_old`` days before NOW."""
    return Version(number, NOW - timedelta(days=days_old), size)


def versions(*numbers: str) -> list[Version]:
    return [ver(n) for n in numbers]


@dataclass
class Case:
    """One planner scenario; ``expected`` maps EVERY planned version to "delete" or its reason."""

    id: str
    versions: list[Version]
    expected: dict[str, str]
    aliases: list[Alias] = field(default_factory=list)
    provisioned: list[str] = field(default_factory=list)
    mappings: list[EventSourceMapping] = field(default_factory=list)
    urls: list[str | None] = field(default_factory=list)
    keep: int = 0
    older_than: int | None = None


CASES = [
    Case(
        "latest-is-never-a-candidate",
        versions(LATEST, "1", "2"),
        {"1": "delete", "2": "delete"},
    ),
    Case(
        "newest-n-by-number-not-date-or-string-order",
        # Version 2 is the most recently modified, 12 the oldest: the number decides.
        [ver(str(n), days_old=1 if n == 2 else 100 - n if n != 12 else 500) for n in range(1, 13)],
        {str(n): "delete" for n in range(1, 10)}
        | {"10": "newest 3", "11": "newest 3", "12": "newest 3"},
        keep=3,
    ),
    Case(
        "keep-more-than-exist",
        versions("1", "2"),
        {"1": "newest 10", "2": "newest 10"},
        keep=10,
    ),
    Case(
        "alias-primary-version",
        versions("1", "2", "3"),
        {"1": "delete", "2": "alias live", "3": "delete"},
        aliases=[Alias("live", "2")],
    ),
    Case(
        "alias-routing-weight",
        versions("1", "2", "3"),
        {"1": "alias live (routing weight)", "2": "delete", "3": "alias live"},
        aliases=[Alias("live", "3", {"1": 0.2})],
    ),
    Case(
        "alias-to-latest-protects-nothing",
        versions(LATEST, "1"),
        {"1": "delete"},
        aliases=[Alias("live", LATEST)],
    ),
    Case(
        "provisioned-on-version",
        versions("1", "2"),
        {"1": "delete", "2": "provisioned concurrency"},
        provisioned=["2"],
    ),
    Case(
        "provisioned-through-alias-with-weights",
        versions("1", "2", "3"),
        {
            "1": "delete",
            "2": "alias live (routing weight); provisioned concurrency (alias live)",
            "3": "alias live; provisioned concurrency (alias live)",
        },
        aliases=[Alias("live", "3", {"2": 0.5})],
        provisioned=["live"],
    ),
    Case(
        "unknown-alias-qualifier-protects-nothing",
        versions("1"),
        {"1": "delete"},
        provisioned=["ghost"],
    ),
    Case(
        "event-source-mapping-on-version",
        versions("1", "2", "3"),
        {"1": "delete", "2": "event source mapping uuid-1", "3": "delete"},
        mappings=[
            EventSourceMapping("uuid-1", "2"),
            EventSourceMapping("uuid-2", None),
            EventSourceMapping("uuid-3", LATEST),
        ],
    ),
    Case(
        "event-source-mapping-through-alias",
        versions("1", "2"),
        {"1": "alias live; event source mapping uuid-9", "2": "delete"},
        aliases=[Alias("live", "1")],
        mappings=[EventSourceMapping("uuid-9", "live")],
    ),
    Case(
        "function-url-through-alias",
        versions("1", "2", "3"),
        {"1": "delete", "2": "alias web; function URL (alias web)", "3": "delete"},
        aliases=[Alias("web", "2")],
        urls=["web", None],
    ),
    Case(
        "function-url-on-version",
        versions("1", "2"),
        {"1": "function URL", "2": "delete"},
        urls=["1"],
    ),
    Case(
        "older-than-keeps-recent",
        [ver("1", 40), ver("2", 31), ver("3", 29), ver("4", 1)],
        {"1": "delete", "2": "delete", "3": "newer than 30 days", "4": "newer than 30 days"},
        older_than=30,
    ),
    Case(
        "older-than-boundary-is-strict",
        [ver("1", 30 + 1 / 86400), ver("2", 30)],
        {"1": "delete", "2": "newer than 30 days"},
        older_than=30,
    ),
    Case(
        "older-than-unknown-age-is-kept",
        [Version("1", None, 5), ver("2", 90)],
        {"1": "unknown age", "2": "delete"},
        older_than=7,
    ),
    Case(
        "older-than-and-keep-combine",
        [ver("1", 90), ver("2", 60), ver("3", 1)],
        {"1": "delete", "2": "newest 2", "3": "newest 2; newer than 30 days"},
        keep=2,
        older_than=30,
    ),
    Case(
        "unknown-age-ignored-without-older-than",
        [Version("1", None, 5)],
        {"1": "delete"},
    ),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_plan_prune(case: Case) -> None:
    decisions = plan_prune(
        case.versions,
        case.aliases,
        case.provisioned,
        case.mappings,
        case.urls,
        keep=case.keep,
        older_than=case.older_than,
        now=NOW,
    )
    got = {d.version: "delete" if d.delete else d.reason for d in decisions}
    assert got == case.expected
    assert [d.version for d in decisions] == sorted(got, key=int), "ordered by number"


def test_plan_prune_carries_code_size() -> None:
    [decision] = plan_prune([ver("1", size=4321)], [], [], [], [], 0, None, NOW)
    assert (decision.delete, decision.code_size) == (True, 4321)


@pytest.mark.parametrize(("keep", "older_than"), [(-1, None), (0, -1)])
def test_plan_prune_rejects_negative_limits(keep: int, older_than: int | None) -> None:
    with pytest.raises(ValueError):
        plan_prune([], [], [], [], [], keep, older_than, NOW)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "2019-09-24T18:20:02.054+0000",
            datetime(2019, 9, 24, 18, 20, 2, 54000, tzinfo=UTC),
            id="lambda-format",
        ),
        pytest.param(
            "2026-11-23T10:35:11.525697000Z",
            datetime(2026, 11, 23, 10, 35, 11, 525697, tzinfo=UTC),
            id="nanoseconds-z",
        ),
        pytest.param("2024-01-01T02:00:00+02:00", datetime(2024, 1, 1, tzinfo=UTC), id="offset"),
        pytest.param("2024-01-01T00:00:00", datetime(2024, 1, 1, tzinfo=UTC), id="naive-is-utc"),
        pytest.param("yesterday", None, id="garbage"),
        pytest.param("", None, id="empty"),
    ],
)
def test_parse_last_modified(text: str, expected: datetime | None) -> None:
    assert parse_last_modified(text) == expected


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        pytest.param("arn:aws:lambda:us-east-1:1:function:f", None, id="unqualified"),
        pytest.param("arn:aws:lambda:us-east-1:1:function:f:7", "7", id="version"),
        pytest.param("arn:aws:lambda:us-east-1:1:function:f:live", "live", id="alias"),
        pytest.param("arn:aws:lambda:us-east-1:1:function:f:$LATEST", LATEST, id="latest"),
        pytest.param("", None, id="empty"),
    ],
)
def test_qualifier_of(arn: str, expected: str | None) -> None:
    assert qualifier_of(arn) == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, "0 B"), (1023, "1023 B"), (1229, "1.2 KB"), (4608, "4.5 KB"), (5 * 1024**2, "5.0 MB")],
)
def test_format_size(size: int, expected: str) -> None:
    assert format_size(size) == expected


def test_summary_names_every_failure_with_its_code() -> None:
    result = prune.PruneResult("my-fn", dry_run=False, kept=12, deleted=3, freed=4608)
    result.failed = [("4", "ResourceConflictException"), ("9", "ThrottlingException")]
    assert result.summary() == (
        "prune my-fn: kept 12, deleted 3, failed 2 "
        "(4: ResourceConflictException, 9: ThrottlingException), freed 4.5 KB"
    )
    assert prune.PruneResult("f", dry_run=True).summary() == (
        "prune f: kept 0, deleted 0, failed 0, freed 0 B (dry run)"
    )


# --------------------------------------------------------------------------- delete retries


class ScriptedDeleteClient:
    """A client whose delete_function raises the scripted error codes, then succeeds."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = codes
        self.calls = 0

    def delete_function(self, **params: Any) -> dict[str, Any]:
        self.calls += 1
        if self.codes:
            code = self.codes.pop(0)
            raise ClientError({"Error": {"Code": code, "Message": code}}, "DeleteFunction")
        return {}


@pytest.mark.parametrize("code", ["TooManyRequestsException", "ThrottlingException"])
def test_delete_retries_throttling_with_backoff(code: str) -> None:
    client = ScriptedDeleteClient([code, code, code])
    sleeps: list[float] = []
    assert prune.delete_version(client, "f", "3", sleeps.append) is None
    assert (client.calls, sleeps) == (4, [0.5, 1.0, 2.0])


def test_delete_gives_up_after_max_attempts() -> None:
    client = ScriptedDeleteClient(["TooManyRequestsException"] * 50)
    sleeps: list[float] = []
    assert prune.delete_version(client, "f", "3", sleeps.append) == "TooManyRequestsException"
    assert client.calls == prune.DELETE_ATTEMPTS
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0]


def test_delete_does_not_retry_other_errors() -> None:
    client = ScriptedDeleteClient(["ResourceConflictException"])
    sleeps: list[float] = []
    assert prune.delete_version(client, "f", "3", sleeps.append) == "ResourceConflictException"
    assert (client.calls, sleeps) == (1, [])


# --------------------------------------------------------------------------- pagination (Stubber)


def fn_arn(name: str, qualifier: str | None = None) -> str:
    arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
    return f"{arn}:{qualifier}" if qualifier else arn


def test_read_usage_follows_every_page() -> None:
    """Lambda returns at most 50 versions per page; the second page must not be dropped."""
    client = boto3.client(
        "lambda", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
    )
    stamp = "2024-01-01T00:00:00.000+0000"
    page = [{"Version": LATEST}] + [
        {"Version": str(n), "LastModified": stamp, "CodeSize": n} for n in range(1, 50)
    ]
    with Stubber(client) as stub:
        stub.add_response(
            "get_function_configuration", {"FunctionArn": fn_arn("f")}, {"FunctionName": "f"}
        )
        stub.add_response(
            "list_versions_by_function",
            {"Versions": page, "NextMarker": "m1"},
            {"FunctionName": "f"},
        )
        stub.add_response(
            "list_versions_by_function",
            {"Versions": [{"Version": str(n), "CodeSize": n} for n in range(50, 61)]},
            {"FunctionName": "f", "Marker": "m1"},
        )
        stub.add_response(
            "list_aliases",
            {"Aliases": [{"Name": "a", "FunctionVersion": "3"}], "NextMarker": "m2"},
            {"FunctionName": "f"},
        )
        stub.add_response(
            "list_aliases",
            {
                "Aliases": [
                    {
                        "Name": "live",
                        "FunctionVersion": "60",
                        "RoutingConfig": {"AdditionalVersionWeights": {"59": 0.25}},
                    }
                ]
            },
            {"FunctionName": "f", "Marker": "m2"},
        )
        stub.add_response(
            "list_provisioned_concurrency_configs",
            {"ProvisionedConcurrencyConfigs": [{"FunctionArn": fn_arn("f", "live")}]},
            {"FunctionName": "f"},
        )
        # Unfiltered: a mapping on a version is not listed under the function's name.
        stub.add_response(
            "list_event_source_mappings",
            {
                "EventSourceMappings": [
                    {"UUID": "u1", "FunctionArn": fn_arn("f", "7")},
                    {"UUID": "other", "FunctionArn": fn_arn("f-other", "8")},
                ]
            },
            {},
        )
        stub.add_response(
            "list_function_url_configs",
            {
                "FunctionUrlConfigs": [
                    {
                        "FunctionUrl": "https://abcdefgh.lambda-url.us-east-1.on.aws/",
                        "FunctionArn": fn_arn("f", "a"),
                        "CreationTime": stamp,
                        "LastModifiedTime": stamp,
                        "AuthType": "NONE",
                    }
                ]
            },
            {"FunctionName": "f"},
        )
        usage = prune.read_usage(client, "f")
        stub.assert_no_pending_responses()

    assert [v.number for v in usage.versions] == [LATEST] + [str(n) for n in range(1, 61)]
    assert usage.versions[1] == Version("1", parse_last_modified(stamp), 1)
    assert usage.versions[-1].last_modified is None
    assert usage.aliases == [Alias("a", "3"), Alias("live", "60", {"59": 0.25})]
    assert usage.provisioned == ["live"]
    assert usage.mappings == [EventSourceMapping("u1", "7")]
    assert usage.url_qualifiers == ["a"]


def test_stack_functions_follows_every_page() -> None:
    cfn = boto3.client(
        "cloudformation", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
    )
    stamp = datetime(2024, 1, 1, tzinfo=UTC)

    def res(
        logical: str, kind: str, physical: str, status: str = "CREATE_COMPLETE"
    ) -> dict[str, Any]:
        return {
            "LogicalResourceId": logical,
            "PhysicalResourceId": physical,
            "ResourceType": kind,
            "LastUpdatedTimestamp": stamp,
            "ResourceStatus": status,
        }

    with Stubber(cfn) as stub:
        stub.add_response(
            "list_stack_resources",
            {
                "StackResourceSummaries": [
                    res("A", "AWS::Lambda::Function", "fn-a"),
                    res("Q", "AWS::SQS::Queue", "https://queue"),
                ],
                "NextToken": "t1",
            },
            {"StackName": "st"},
        )
        stub.add_response(
            "list_stack_resources",
            {
                "StackResourceSummaries": [
                    res("B", "AWS::Lambda::Function", "fn-b"),
                    res("Gone", "AWS::Lambda::Function", "fn-gone", "DELETE_COMPLETE"),
                    res("V", "AWS::Lambda::Version", fn_arn("fn-a", "1")),
                ]
            },
            {"StackName": "st", "NextToken": "t1"},
        )
        assert prune.stack_functions(cfn, "st") == ["fn-a", "fn-b"]
        stub.assert_no_pending_responses()


# --------------------------------------------------------------------------- moto


@dataclass
class FakeAws:
    """botocore hooks on the session prune builds: fakes what moto lacks, injects failures."""

    provisioned: dict[str, list[str]] = field(default_factory=dict)
    urls: dict[str, list[str | None]] = field(default_factory=dict)
    failing: dict[tuple[str, str], str] = field(default_factory=dict)
    throttled: dict[tuple[str, str], int] = field(default_factory=dict)
    last_modified: dict[tuple[str, str], str] = field(default_factory=dict)
    deletes: list[tuple[str, str]] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)

    def session(self, *, profile_name: str | None, region_name: str | None) -> boto3.Session:
        session = boto3.Session(profile_name=profile_name, region_name=region_name)
        events = session.events
        events.register(
            "before-call.lambda.ListProvisionedConcurrencyConfigs", self._list_provisioned
        )
        events.register("before-call.lambda.ListFunctionUrlConfigs", self._list_urls)
        events.register("before-parameter-build.lambda.DeleteFunction", self._delete)
        events.register("after-call.lambda.ListVersionsByFunction", self._rewrite_dates)
        return session

    @staticmethod
    def _name(params: dict[str, Any]) -> str:
        return unquote(params["url_path"].split("/functions/", 1)[1].split("/", 1)[0])

    @staticmethod
    def _ok(body: dict[str, Any]) -> tuple[AWSResponse, dict[str, Any]]:
        return AWSResponse("https://lambda.fake", 200, {}, None), body

    def _list_provisioned(self, params: dict[str, Any], **_: Any) -> Any:
        name = self._name(params)
        configs = [{"FunctionArn": fn_arn(name, q)} for q in self.provisioned.get(name, [])]
        return self._ok({"ProvisionedConcurrencyConfigs": configs})

    def _list_urls(self, params: dict[str, Any], **_: Any) -> Any:
        name = self._name(params)
        configs = [{"FunctionArn": fn_arn(name, q)} for q in self.urls.get(name, [])]
        return self._ok({"FunctionUrlConfigs": configs})

    def _delete(self, params: dict[str, Any], **_: Any) -> None:
        key = (params["FunctionName"], params.get("Qualifier", ""))
        if self.throttled.get(key, 0) > 0:
            self.throttled[key] -= 1
            raise ClientError(
                {"Error": {"Code": "TooManyRequestsException", "Message": "Rate exceeded"}},
                "DeleteFunction",
            )
        if key in self.failing:
            code = self.failing[key]
            raise ClientError({"Error": {"Code": code, "Message": "in use"}}, "DeleteFunction")
        self.deletes.append(key)

    def _rewrite_dates(self, parsed: dict[str, Any], **_: Any) -> None:
        for item in parsed.get("Versions", []):
            stamp = self.last_modified.get((item.get("FunctionName", ""), item["Version"]))
            if stamp:
                item["LastModified"] = stamp


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[FakeAws]:
    """moto with fake credentials, isolated from any real ~/.aws configuration."""
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        yield FakeAws()


def lam() -> Any:
    return boto3.client("lambda", region_name=REGION)


def role_arn() -> str:
    iam = boto3.client("iam", region_name=REGION)
    try:
        return str(iam.get_role(RoleName="prune-test")["Role"]["Arn"])
    except ClientError:
        policy = json.dumps({"Version": "2012-10-17", "Statement": []})
        return str(
            iam.create_role(RoleName="prune-test", AssumeRolePolicyDocument=policy)["Role"]["Arn"]
        )


def handler_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def create_function(name: str) -> None:
    lam().create_function(
        FunctionName=name,
        Runtime="python3.11",
        Role=role_arn(),
        Handler="index.handler",
        Code={"ZipFile": handler_zip()},
    )


def publish(name: str, count: int) -> int:
    """Publish ``count`` versions (moto skips publishing unchanged code); return the CodeSize."""
    client = lam()
    for build in range(count):
        client.update_function_configuration(FunctionName=name, Description=f"build {build}")
        client.publish_version(FunctionName=name)
    return int(client.get_function_configuration(FunctionName=name)["CodeSize"])


def remaining(name: str) -> set[str]:
    pages = lam().get_paginator("list_versions_by_function").paginate(FunctionName=name)
    return {v["Version"] for page in pages for v in page["Versions"]}


def map_queue_to(name: str, qualifier: str) -> str:
    """Create an SQS event source mapping that invokes ``name:qualifier``; return its UUID.

    moto filters ListEventSourceMappings by the FunctionName given at creation, so the
    mapping is created unqualified and then moved to the version, as an update would in AWS.
    """
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName=f"{name}-queue")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    uuid = lam().create_event_source_mapping(FunctionName=name, EventSourceArn=queue_arn)["UUID"]
    lam().update_event_source_mapping(UUID=uuid, FunctionName=f"{name}:{qualifier}")
    return str(uuid)


def run_prune(fake: FakeAws, *argv: str, now: datetime | None = None, ask: Any = None) -> int:
    args = prune.build_parser().parse_args(list(argv))
    return prune.run(args, session_factory=fake.session, sleep=fake.sleeps.append, now=now, ask=ask)


def deleted_lines(out: str) -> set[str]:
    return {line.split()[1] for line in out.splitlines() if line.startswith("delete ")}


@pytest.fixture
def busy_function(aws: FakeAws) -> tuple[FakeAws, int, str]:
    """my-fn with 60 versions (more than one page) and every kind of user of a version."""
    create_function("my-fn")
    size = publish("my-fn", 60)
    client = lam()
    client.create_alias(
        FunctionName="my-fn",
        Name="live",
        FunctionVersion="55",
        RoutingConfig={"AdditionalVersionWeights": {"12": 0.1}},
    )
    client.create_alias(FunctionName="my-fn", Name="beta", FunctionVersion="20")
    client.create_alias(FunctionName="my-fn", Name="web", FunctionVersion="25")
    uuid = map_queue_to("my-fn", "30")
    aws.provisioned["my-fn"] = ["7", "beta"]  # moto lacks provisioned concurrency: faked
    aws.urls["my-fn"] = ["web"]  # moto lacks ListFunctionUrlConfigs: faked
    return aws, size, uuid


IN_USE = {"7", "12", "20", "25", "30"}
NEWEST_10 = {str(n) for n in range(51, 61)}
UNUSED = {str(n) for n in range(1, 61)} - IN_USE - NEWEST_10


def test_prune_deletes_exactly_the_unused_versions(
    busy_function: tuple[FakeAws, int, str], capsys: pytest.CaptureFixture[str]
) -> None:
    aws, size, uuid = busy_function
    assert len(UNUSED) == 45

    assert run_prune(aws, "--function", "my-fn") == 0

    assert remaining("my-fn") == {LATEST} | IN_USE | NEWEST_10
    assert {v for _, v in aws.deletes} == UNUSED
    out = capsys.readouterr().out
    assert deleted_lines(out) == UNUSED
    for line in [
        "keep 7: provisioned concurrency",
        "keep 12: alias live (routing weight)",
        "keep 20: alias beta; provisioned concurrency (alias beta)",
        "keep 25: alias web; function URL (alias web)",
        f"keep 30: event source mapping {uuid}",
        "keep 51: newest 10",
        "keep 55: alias live; newest 10",
        f"delete 1 ({format_size(size)})",
    ]:
        assert line in out.splitlines()
    assert f"keep {LATEST}" not in out
    assert out.splitlines()[-1] == (
        f"prune my-fn: kept 15, deleted 45, failed 0, freed {format_size(45 * size)}"
    )


def test_dry_run_changes_nothing(
    busy_function: tuple[FakeAws, int, str], capsys: pytest.CaptureFixture[str]
) -> None:
    aws, size, _ = busy_function

    assert run_prune(aws, "--function", "my-fn", "--dry-run") == 0

    assert remaining("my-fn") == {LATEST} | {str(n) for n in range(1, 61)}
    assert aws.deletes == []
    out = capsys.readouterr().out
    assert deleted_lines(out) == UNUSED
    assert out.splitlines()[-1] == (
        f"prune my-fn: kept 15, deleted 45, failed 0, freed {format_size(45 * size)} (dry run)"
    )


def test_older_than_only_deletes_old_versions(
    aws: FakeAws, capsys: pytest.CaptureFixture[str]
) -> None:
    create_function("aged")
    publish("aged", 8)
    lam().create_alias(FunctionName="aged", Name="live", FunctionVersion="2")
    for n in range(1, 6):  # moto stamps every version "now"; age 1-5 through the response
        aws.last_modified[("aged", str(n))] = "2020-01-01T00:00:00.000+0000"

    assert run_prune(aws, "--function", "aged", "--keep", "0", "--older-than", "30") == 0

    assert remaining("aged") == {LATEST, "2", "6", "7", "8"}
    out = capsys.readouterr().out.splitlines()
    assert "keep 2: alias live" in out
    assert "keep 6: newer than 30 days" in out
    assert out[-1].startswith("prune aged: kept 4, deleted 4, failed 0, ")


@pytest.mark.parametrize(
    ("answer", "deleted"),
    [
        pytest.param("n", False, id="no"),
        pytest.param("", False, id="enter-means-no"),
        pytest.param("y", True, id="yes"),
    ],
)
def test_on_a_terminal_prune_asks_before_deleting(
    aws: FakeAws, capsys: pytest.CaptureFixture[str], answer: str, deleted: bool
) -> None:
    create_function("asked")
    publish("asked", 3)
    questions: list[str] = []

    def ask(question: str) -> str:
        questions.append(question)
        return answer

    assert run_prune(aws, "--function", "asked", "--keep", "1", ask=ask) == 0
    assert questions == ["Delete 2 version(s) of 1 function(s)? [y/N] "]
    out = capsys.readouterr().out
    assert "asked: would delete 2 version(s)" in out
    assert remaining("asked") == ({LATEST, "3"} if deleted else {LATEST, "1", "2", "3"})
    assert ("nothing deleted" in out) is not deleted


@pytest.mark.parametrize("flag", ["--yes", "--dry-run"])
def test_yes_and_dry_run_never_ask(aws: FakeAws, flag: str) -> None:
    create_function("unasked")
    publish("unasked", 3)

    def ask(question: str) -> str:
        raise AssertionError("asked")

    assert run_prune(aws, "--function", "unasked", "--keep", "1", flag, ask=ask) == 0


def test_failed_delete_does_not_stop_the_others(
    aws: FakeAws, capsys: pytest.CaptureFixture[str]
) -> None:
    create_function("flaky")
    size = publish("flaky", 6)
    aws.failing[("flaky", "3")] = "ResourceConflictException"
    aws.throttled[("flaky", "2")] = 2

    assert run_prune(aws, "--function", "flaky", "--keep", "1") == prune.EXIT_AWS

    assert remaining("flaky") == {LATEST, "3", "6"}
    assert aws.sleeps == [0.5, 1.0]
    out = capsys.readouterr().out.splitlines()
    assert deleted_lines("\n".join(out)) == {"1", "2", "4", "5"}
    assert f"failed 3 ({format_size(size)}): ResourceConflictException" in out
    assert out[-1] == (
        "prune flaky: kept 1, deleted 4, failed 1 (3: ResourceConflictException), "
        f"freed {format_size(4 * size)}"
    )


def test_missing_function_is_a_clear_error(
    aws: FakeAws, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_prune(aws, "--function", "nope") == prune.EXIT_AWS
    captured = capsys.readouterr()
    assert "function nope not found in us-east-1" in captured.err
    assert "Traceback" not in captured.err
    assert aws.deletes == []


def test_listing_error_deletes_nothing(
    aws: FakeAws, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """If we cannot see what pins a version (here: no fake, so moto's 404), nothing goes."""
    create_function("blind")
    publish("blind", 3)
    monkeypatch.setattr(FakeAws, "_list_urls", lambda self, params, **_: None)

    assert run_prune(aws, "--function", "blind", "--keep", "0") == prune.EXIT_AWS

    assert remaining("blind") == {LATEST, "1", "2", "3"}
    assert "blind:" in capsys.readouterr().err


def cfn_function(name: str | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {
        "Runtime": "python3.11",
        "Role": role_arn(),
        "Handler": "index.handler",
        "Code": {"ZipFile": "def handler(event, context):\n    return event\n"},
    }
    if name:
        props["FunctionName"] = name
    return {"Type": "AWS::Lambda::Function", "Properties": props}


def test_stack_prunes_every_function(aws: FakeAws, capsys: pytest.CaptureFixture[str]) -> None:
    template = {
        "Resources": {
            "Named": cfn_function("stack-named"),
            "Generated": cfn_function(),
            "Queue": {"Type": "AWS::SQS::Queue"},
        }
    }
    boto3.client("cloudformation", region_name=REGION).create_stack(
        StackName="app", TemplateBody=json.dumps(template)
    )
    resources = boto3.client("cloudformation", region_name=REGION).list_stack_resources(
        StackName="app"
    )["StackResourceSummaries"]
    generated = next(
        r["PhysicalResourceId"] for r in resources if r["LogicalResourceId"] == "Generated"
    )
    publish("stack-named", 4)
    publish(generated, 3)
    lam().create_alias(FunctionName=generated, Name="live", FunctionVersion="1")

    assert run_prune(aws, "--stack", "app", "--keep", "1") == 0

    assert remaining("stack-named") == {LATEST, "4"}
    assert remaining(generated) == {LATEST, "1", "3"}
    out = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("prune stack-named: kept 1, deleted 3,") for line in out) == 1
    assert sum(line.startswith(f"prune {generated}: kept 2, deleted 1,") for line in out) == 1
    assert out[-1].startswith("prune stack app: 2 functions, kept 3, deleted 4, failed 0, ")


def test_missing_stack_is_a_clear_error(aws: FakeAws, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_prune(aws, "--stack", "ghost") == prune.EXIT_AWS
    assert "stack ghost not found in us-east-1" in capsys.readouterr().err


def test_stack_without_functions(aws: FakeAws, capsys: pytest.CaptureFixture[str]) -> None:
    template = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}
    boto3.client("cloudformation", region_name=REGION).create_stack(
        StackName="empty", TemplateBody=json.dumps(template)
    )
    assert run_prune(aws, "--stack", "empty") == 0
    assert "stack empty has no AWS::Lambda::Function resources" in capsys.readouterr().out


# --------------------------------------------------------------------------- CLI surface


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param([], id="no-target"),
        pytest.param(["--function", "a", "--stack", "b"], id="both-targets"),
        pytest.param(["--function", "a", "--keep", "-1"], id="negative-keep"),
        pytest.param(["--function", "a", "--older-than", "soon"], id="non-numeric-days"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        prune.main(argv)
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_registers_as_a_subcommand() -> None:
    """The main CLI wires prune in through add_arguments and run."""
    parser = argparse.ArgumentParser(prog="version-alias")
    sub = parser.add_subparsers(dest="command", required=True)
    prune_parser = sub.add_parser("prune")
    prune.add_arguments(prune_parser)
    prune_parser.set_defaults(handler=prune.run)

    args = parser.parse_args(["prune", "--stack", "s", "--older-than", "7", "--dry-run"])
    assert (args.stack, args.function, args.keep, args.older_than, args.dry_run) == (
        "s",
        None,
        10,
        7,
        True,
    )
    assert args.handler is prune.run


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """An environment where botocore finds no credentials anywhere (and never asks IMDS)."""
    for var in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
    ):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "config").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.usefixtures("no_credentials")
def test_no_credentials_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert prune.main(["--function", "my-fn", "--region", REGION]) == prune.EXIT_AWS
    err = capsys.readouterr().err
    assert "no usable AWS credentials" in err
    assert "Traceback" not in err


@pytest.mark.usefixtures("no_credentials")
def test_unknown_profile_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        prune.main(["--function", "my-fn", "--profile", "ghost", "--region", REGION])
        == prune.EXIT_AWS
    )
    assert "AWS profile 'ghost' not found" in capsys.readouterr().err
