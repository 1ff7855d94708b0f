"""Opting a stack out by tag: the hook reads the stack's tags with a DescribeStacks call it
signs itself (standard library only), checked against botocore's signer and moto's
DescribeStacks answer."""

from __future__ import annotations

import datetime
import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from moto import mock_aws

from conftest import REPO
from guardrail_requests import ENVIRONMENT, PayloadServer, payload_server, stack_request
from version_alias.guardrail.hook import handle
from version_alias.guardrail.stack_tags import (
    CONTENT_TYPE,
    StackTagsError,
    endpoint,
    signed_headers,
    tags_in,
)

CREDENTIALS = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-example")
OPT_OUT = "version-alias-guardrail=off"
LATEST = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {ZipFile: "def handler(event, context): return 1"}
  Permission:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: s3.amazonaws.com}
"""


@pytest.fixture(scope="module")
def server() -> Iterator[PayloadServer]:
    with payload_server() as running:
        yield running


def describe_stacks_answer(tags: dict[str, str]) -> bytes:
    """The XML moto answers DescribeStacks with, for a stack with these tags."""
    captured: dict[str, bytes] = {}
    with mock_aws():
        client = boto3.client("cloudformation", region_name="us-east-1")
        client.create_stack(
            StackName="my-app",
            TemplateBody=json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}),
            Tags=[{"Key": key, "Value": value} for key, value in tags.items()],
        )

        def keep(http_response: Any, **_: Any) -> None:
            captured["body"] = http_response.content

        client.meta.events.register("after-call.cloudformation.DescribeStacks", keep)
        client.describe_stacks(StackName="my-app")
    return captured["body"]


def botocore_signature(url: str, headers: dict[str, str], body: bytes) -> str:
    """The Authorization header botocore's SigV4 signer writes for the same request: the
    headers the request says it signed, as a server checking it would take them."""
    named = headers["Authorization"].split("SignedHeaders=", 1)[1].split(",", 1)[0].split(";")
    signed = {name: value for name, value in headers.items() if name.lower() in named}
    request = AWSRequest(method="POST", url=url, data=body, headers=signed)
    request.context["timestamp"] = headers["X-Amz-Date"]
    signer = SigV4Auth(Credentials(*CREDENTIALS), "cloudformation", "us-east-1")
    canonical = signer.canonical_request(request)
    signature = signer.signature(signer.string_to_sign(request, canonical), request)
    scope = f"{headers['X-Amz-Date'][:8]}/us-east-1/cloudformation/aws4_request"
    names = ";".join(signer.signed_headers(signer.headers_to_sign(request)).split(";"))
    return f"AWS4-HMAC-SHA256 Credential={CREDENTIALS[0]}/{scope}, SignedHeaders={names}, " + (
        f"Signature={signature}"
    )


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("https://cloudformation.us-east-1.amazonaws.com/", id="aws"),
        pytest.param("http://127.0.0.1:4566/", id="local-endpoint"),
    ],
)
def test_the_signature_is_the_one_botocore_computes(url: str) -> None:
    body = urllib.parse.urlencode(
        {"Action": "DescribeStacks", "StackName": "my-app", "Version": "2010-05-15"}
    ).encode()
    when = datetime.datetime(2025, 3, 1, 12, 30, 5, tzinfo=datetime.UTC)
    headers = signed_headers(url, body, "us-east-1", CREDENTIALS, when)
    assert headers["X-Amz-Date"] == "20250301T123005Z"
    assert headers["Content-Type"] == CONTENT_TYPE
    assert headers["Authorization"] == botocore_signature(url, headers, body)


def test_the_endpoint_follows_the_region_and_the_sdk_variables() -> None:
    assert endpoint("eu-west-1", {}) == "https://cloudformation.eu-west-1.amazonaws.com/"
    assert endpoint("cn-north-1", {}) == "https://cloudformation.cn-north-1.amazonaws.com.cn/"
    assert endpoint("eu-west-1", {"AWS_ENDPOINT_URL": "http://a/"}) == "http://a/"
    both = {"AWS_ENDPOINT_URL": "http://a/", "AWS_ENDPOINT_URL_CLOUDFORMATION": "http://b/"}
    assert endpoint("eu-west-1", both) == "http://b/"


def test_the_tags_are_read_from_a_describe_stacks_answer() -> None:
    tags = {"version-alias-guardrail": "off", "team": "payments"}
    assert tags_in(describe_stacks_answer(tags)) == tags
    assert tags_in(describe_stacks_answer({})) == {}
    with pytest.raises(StackTagsError, match="not XML"):
        tags_in(b"{}")


def environment(server: PayloadServer, **extra: str) -> dict[str, str]:
    return {
        **ENVIRONMENT,
        "OPT_OUT_TAG": OPT_OUT,
        "AWS_ENDPOINT_URL_CLOUDFORMATION": f"http://127.0.0.1:{server.port}/",
        "AWS_ACCESS_KEY_ID": CREDENTIALS[0],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS[1],
        "AWS_SESSION_TOKEN": CREDENTIALS[2],
        **extra,
    }


def test_a_stack_tagged_to_opt_out_is_reported_but_not_blocked(server: PayloadServer) -> None:
    server.post_answer = (200, describe_stacks_answer({"version-alias-guardrail": "off"}))
    before = len(server.posts())
    event = stack_request(server.payload(LATEST))
    answer = handle(event, environment(server))
    assert answer["hookStatus"] == "SUCCESS"
    assert answer["message"] == (
        "VersionAlias guardrail: 1 invocation site(s) run $LATEST, judged as submitted; not "
        "enforced: the stack is tagged version-alias-guardrail=off."
    )
    (headers, body) = server.posts()[before]
    assert urllib.parse.parse_qs(body.decode()) == {
        "Action": ["DescribeStacks"],
        "StackName": [event["stackId"]],
        "Version": ["2010-05-15"],
    }
    url = f"http://127.0.0.1:{server.port}/"
    assert headers["Authorization"] == botocore_signature(url, headers, body)


@pytest.mark.parametrize(
    "tags",
    [
        pytest.param({}, id="no-tags"),
        pytest.param({"version-alias-guardrail": "on"}, id="another-value"),
        pytest.param({"team": "off"}, id="another-key"),
    ],
)
def test_a_stack_without_the_tag_is_blocked_and_told_how_to_opt_out(
    server: PayloadServer, tags: dict[str, str]
) -> None:
    server.post_answer = (200, describe_stacks_answer(tags))
    answer = handle(stack_request(server.payload(LATEST)), environment(server))
    assert (answer["hookStatus"], answer["errorCode"]) == ("FAILED", "NonCompliant")
    assert answer["message"].endswith("To exempt this stack, tag it version-alias-guardrail=off.")


def test_a_clean_stack_makes_no_aws_call(server: PayloadServer) -> None:
    before = len(server.posts())
    clean = LATEST.replace("Resources:", "Transform: VersionAlias\nResources:")
    assert handle(stack_request(server.payload(clean)), environment(server))["hookStatus"] == (
        "SUCCESS"
    )
    assert len(server.posts()) == before


def test_the_docs_show_the_hooks_real_answers(server: PayloadServer) -> None:
    """docs/guardrail.md shows a template and the hook's answers for it, as submitted and
    listing the macro (with the default opt-out tag, on a stack without it)."""
    import re

    text = (REPO / "docs" / "guardrail.md").read_text(encoding="utf-8")
    (template,) = re.findall(r"```yaml\n(Resources:.*?)```", text, re.S)
    shown = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.S)]
    server.post_answer = (200, describe_stacks_answer({"team": "payments"}))
    answers = [
        handle(stack_request(server.payload(body)), environment(server))
        for body in (template, "Transform: VersionAlias\n" + template)
    ]
    assert shown == answers


ACCESS_DENIED = (
    b'<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error>'
    b"<Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized</Message></Error>"
    b"</ErrorResponse>"
)


@pytest.mark.parametrize(
    ("answer_with", "extra", "expected"),
    [
        pytest.param(
            (403, ACCESS_DENIED), {}, "DescribeStacks failed: HTTP 403 AccessDenied", id="denied"
        ),
        pytest.param((200, b"<html>"), {}, "not XML", id="not-xml"),
        pytest.param(
            (200, describe_stacks_answer({})),
            {"AWS_ACCESS_KEY_ID": ""},
            "no AWS credentials in the function's environment",
            id="no-credentials",
        ),
    ],
)
def test_tags_that_cannot_be_read_answer_internal_failure(
    server: PayloadServer, answer_with: tuple[int, bytes], extra: dict[str, str], expected: str
) -> None:
    server.post_answer = answer_with
    answer = handle(stack_request(server.payload(LATEST)), environment(server, **extra))
    assert (answer["hookStatus"], answer["errorCode"]) == ("FAILED", "InternalFailure")
    assert (
        "1 invocation site(s) run $LATEST, and the stack's tags could not be read"
        in (answer["message"])
    )
    assert expected in answer["message"]
    assert CREDENTIALS[1] not in answer["message"]
