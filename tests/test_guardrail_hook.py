"""The guardrail hook's contract: requests of the documented shape in, a SUCCESS or FAILED
answer out, the template fetched by URL from a local server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from guardrail_requests import ENVIRONMENT, PayloadServer, payload_server, stack_request
from version_alias.cli.support.template_load import parse_template
from version_alias.guardrail import hook
from version_alias.guardrail.answer import MAX_MESSAGE
from version_alias.guardrail.hook import handle, lambda_handler

FUNCTION = """\
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {ZipFile: "def handler(event, context): return 1"}
"""
INVOKERS = """\
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - Protocol: lambda
          Endpoint: !GetAtt Fn.Arn
  Permission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Fn
      Principal: sns.amazonaws.com
      SourceArn: !Ref Topic
"""
INVOKES_LATEST = "Resources:\n" + FUNCTION + INVOKERS
SITES = [
    "Resources.Topic.Properties.Subscription[0].Endpoint",
    "Resources.Permission.Properties.FunctionName",
]
EXTERNAL = """\
  OtherPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: arn:aws:lambda:us-east-1:123456789012:function:other-stacks-function
      Principal: events.amazonaws.com
"""
SAM_FUNCTION = """\
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      CodeUri: s3://bucket/code.zip
      Events:
        Hourly:
          Type: Schedule
          Properties: {Schedule: rate(1 hour)}
  Permission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Fn
      Principal: sns.amazonaws.com
"""


@pytest.fixture(scope="module")
def server() -> Iterator[PayloadServer]:
    with payload_server() as running:
        yield running


def ask(server: PayloadServer, template: str, **request: Any) -> dict[str, Any]:
    environment = {**ENVIRONMENT, **request.pop("environment", {})}
    return handle(stack_request(server.payload(template), **request), environment)


def as_json(template: str) -> str:
    """The same template in JSON (the short forms in their long form)."""
    return json.dumps(parse_template(template.encode(), "test.yaml"), indent=2)


@pytest.mark.parametrize("render", [pytest.param(str, id="yaml"), pytest.param(as_json, id="json")])
def test_a_stack_that_invokes_latest_fails_naming_each_site_and_the_fix(
    server: PayloadServer, render: Callable[[str], str]
) -> None:
    answer = ask(server, render(INVOKES_LATEST), token="token-1")
    assert set(answer) == {"hookStatus", "errorCode", "message", "clientRequestToken"}
    assert (answer["hookStatus"], answer["errorCode"]) == ("FAILED", "NonCompliant")
    assert answer["clientRequestToken"] == "token-1"
    message = answer["message"]
    assert message.startswith("VersionAlias guardrail: 2 invocation site(s) run $LATEST")
    for site in SITES:
        assert f"- {site}: invokes $LATEST of function Fn; point it at an alias." in message
    assert "Fix: add VersionAlias to the template's Transform" in message


def test_a_stack_that_lists_the_macro_is_judged_after_it(server: PayloadServer) -> None:
    answer = ask(server, "Transform: VersionAlias\n" + INVOKES_LATEST)
    assert set(answer) == {"hookStatus", "message", "clientRequestToken"}
    assert answer["hookStatus"] == "SUCCESS"
    assert answer["message"] == (
        "VersionAlias guardrail: no invocation site runs $LATEST among 3 resource(s), "
        "judged after VersionAlias."
    )


def test_a_macro_deployed_under_another_name_is_recognised(server: PayloadServer) -> None:
    template = "Transform: [CorpVersions]\n" + INVOKES_LATEST
    answer = ask(server, template, environment={"MACRO_NAME": "CorpVersions"})
    assert answer["hookStatus"] == "SUCCESS"
    assert "judged after CorpVersions" in answer["message"]
    assert ask(server, template)["hookStatus"] == "FAILED"  # unknown to a default hook


def test_what_the_macro_cannot_version_still_fails(server: PayloadServer) -> None:
    answer = ask(server, "Transform: VersionAlias\nResources:\n" + FUNCTION + EXTERNAL)
    assert answer["hookStatus"] == "FAILED"
    message = answer["message"]
    assert "judged after VersionAlias" in message
    assert "- Resources.OtherPermission.Properties.FunctionName: " in message
    assert "(outside the template)" in message
    assert "rewrite each to an alias ARN of it" in message
    assert "add VersionAlias" not in message  # it is already there


def test_a_sam_stack_is_judged_as_submitted_and_says_what_it_cannot_see(
    server: PayloadServer,
) -> None:
    answer = ask(server, "Transform: AWS::Serverless-2016-10-31\nResources:\n" + SAM_FUNCTION)
    assert answer["hookStatus"] == "FAILED"
    message = answer["message"]
    assert "1 invocation site(s) run $LATEST, judged as submitted" in message
    assert "- Resources.Permission.Properties.FunctionName: " in message
    assert "add VersionAlias to the template's Transform (after AWS::Serverless-2016-10-31)" in (
        message
    )
    assert "generates from a function's Events are not in the submitted template" in message


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        pytest.param("", "SUCCESS", id="own-functions-only"),
        pytest.param(EXTERNAL, "FAILED", id="a-function-of-another-stack"),
    ],
)
def test_a_sam_stack_that_lists_the_macro_counts_callers_outside_the_template_only(
    server: PayloadServer, extra: str, status: str
) -> None:
    template = (
        "Transform: [AWS::Serverless-2016-10-31, VersionAlias]\nResources:\n" + SAM_FUNCTION + extra
    )
    answer = ask(server, template)
    assert answer["hookStatus"] == status
    assert "callers of functions outside the template only" in answer["message"]
    assert "not run here: AWS::Serverless-2016-10-31" in answer["message"]
    assert "Resources.Permission." not in answer["message"]


def test_transforms_the_hook_cannot_run_are_named(server: PayloadServer) -> None:
    answer = ask(server, "Transform: AWS::LanguageExtensions\n" + INVOKES_LATEST)
    assert answer["hookStatus"] == "FAILED"
    assert "Note: not run here: AWS::LanguageExtensions." in answer["message"]


def test_a_template_the_core_refuses_is_judged_as_if_the_macro_ran(
    server: PayloadServer,
) -> None:
    """A Serverless function without SAM listed: the macro refuses it at deploy time; the
    hook says so and judges what the macro could never fix (callers outside)."""
    answer = ask(server, "Transform: VersionAlias\nResources:\n" + SAM_FUNCTION)
    assert answer["hookStatus"] == "SUCCESS"
    assert "VersionAlias's core refused the template here" in answer["message"]
    assert "list VersionAlias after AWS::Serverless-2016-10-31" in answer["message"]


def test_the_message_fits_the_documented_4096_characters(server: PayloadServer) -> None:
    permissions = "".join(
        f"  Permission{index}:\n    Type: AWS::Lambda::Permission\n    Properties:\n"
        "      Action: lambda:InvokeFunction\n      FunctionName: !GetAtt Fn.Arn\n"
        "      Principal: s3.amazonaws.com\n"
        for index in range(300)
    )
    answer = ask(server, "Resources:\n" + FUNCTION + permissions, environment={"OPT_OUT_TAG": ""})
    message = answer["message"]
    assert len(message) <= MAX_MESSAGE
    listed = [line for line in message.splitlines() if line.startswith("- Resources.")]
    more = [line for line in message.splitlines() if line.startswith("- ... and ")]
    assert len(more) == 1
    rest = int(more[0].split()[3])
    assert len(listed) + rest == 300
    assert len(listed) > 20
    assert message.splitlines()[-1].startswith("Fix: add VersionAlias")


@pytest.mark.parametrize(
    "stack",
    [pytest.param("guardrail", id="own-stack"), pytest.param("version-alias-macro", id="macro")],
)
def test_the_guardrail_and_macro_stacks_are_skipped_without_fetching(
    server: PayloadServer, stack: str
) -> None:
    url = server.payload(INVOKES_LATEST)
    answer = handle(stack_request(url, stack=stack), ENVIRONMENT)
    assert answer["hookStatus"] == "SUCCESS"
    assert answer["message"].startswith("VersionAlias guardrail: not evaluated: ")
    assert url.split(str(server.port), 1)[1] not in server.gets()


def test_a_deletion_is_not_evaluated(server: PayloadServer) -> None:
    answer = handle(stack_request(None, action="DELETE"), ENVIRONMENT)
    assert answer["hookStatus"] == "SUCCESS"
    assert "being deleted" in answer["message"]


def _without(path: tuple[str, ...]) -> Callable[[dict[str, Any]], Any]:
    def change(request: dict[str, Any]) -> Any:
        target = request
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
        return request

    return change


def _set(path: tuple[str, ...], value: Any) -> Callable[[dict[str, Any]], Any]:
    def change(request: dict[str, Any]) -> Any:
        target = request
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return request

    return change


REQUEST_PROBLEMS = [
    pytest.param(lambda request: [], "the hook request is not a JSON object", id="not-an-object"),
    pytest.param(_without(("requestData",)), "has no requestData object", id="no-request-data"),
    pytest.param(
        _set(("requestData", "targetType"), "AWS::S3::Bucket"),
        "evaluates stack operations only (TargetOperations: [STACK])",
        id="a-resource-target",
    ),
    pytest.param(
        _set(("actionInvocationPoint",), "CREATE_POST_PROVISION"),
        "unknown actionInvocationPoint",
        id="unknown-invocation-point",
    ),
    pytest.param(_without(("requestData", "payload")), "has no payload URL", id="no-payload-url"),
    pytest.param(
        _set(("requestData", "payload"), "file:///etc/passwd"),
        "the payload URL is not an https URL",
        id="a-file-url",
    ),
    pytest.param(
        _set(("requestData", "payload"), "http://example.com/template"),
        "the payload URL is not an https URL",
        id="plain-http-off-this-machine",
    ),
    pytest.param(
        _set(("requestData", "payload"), "http://127.0.0.1:9/closed"),
        "could not fetch the template from the payload URL",
        id="nothing-listening",
    ),
]


@pytest.mark.parametrize(("change", "expected"), REQUEST_PROBLEMS)
def test_a_bad_or_incomplete_request_answers_internal_failure(
    server: PayloadServer, change: Callable[[dict[str, Any]], Any], expected: str
) -> None:
    event = change(stack_request(server.payload(INVOKES_LATEST), token="token-9"))
    answer = lambda_handler(event) if isinstance(event, list) else handle(event, ENVIRONMENT)
    assert (answer["hookStatus"], answer["errorCode"]) == ("FAILED", "InternalFailure")
    assert answer["message"].startswith("VersionAlias guardrail: could not evaluate the stack: ")
    assert expected in answer["message"]
    assert answer["clientRequestToken"] == ("" if isinstance(event, list) else "token-9")


PAYLOAD_PROBLEMS = [
    pytest.param(lambda s: s.serve("gone", status=403), "(HTTP 403)", id="expired-url"),
    pytest.param(lambda s: s.serve("<Error/>"), "the payload is not a JSON object", id="xml"),
    pytest.param(lambda s: s.serve("[1]"), "the payload is not a JSON object", id="a-list"),
    pytest.param(
        lambda s: s.serve(json.dumps({"template": {"Resources": {}}})),
        "the payload's template is not a string",
        id="template-not-text",
    ),
    pytest.param(
        lambda s: s.payload(""), "the payload holds no template for a stack CREATE", id="empty"
    ),
    pytest.param(
        lambda s: s.serve(json.dumps({"previousTemplate": "Resources: {}"})),
        "the payload holds no template",
        id="no-template-key",
    ),
    pytest.param(
        lambda s: s.payload("Resources:\n  A: [b\n"),
        "line 2, column 6: not valid YAML (a [ that is never closed with ])",
        id="broken-yaml",
    ),
    pytest.param(
        lambda s: s.payload('{"Resources": {"A": {"Type": "X"}, "A": {"Type": "Y"}}}'),
        "line 1, column 36: a duplicate key",
        id="duplicate-json-key",
    ),
    pytest.param(
        lambda s: s.payload("Resources:\n  A: {Type: X}\n  A: {Type: Y}\n"),
        "line 3, column 3: not valid YAML (a duplicate key",
        id="duplicate-yaml-key",
    ),
    pytest.param(
        lambda s: s.payload("- Resources\n"), "a template must be a mapping", id="a-list-template"
    ),
    pytest.param(
        lambda s: s.payload("Resources:\n  A: !!binary aGk=\n"),
        "the YAML type !!binary has no meaning in a template",
        id="binary-yaml",
    ),
]


@pytest.mark.parametrize(("serve", "expected"), PAYLOAD_PROBLEMS)
def test_a_payload_or_template_the_hook_cannot_read_answers_internal_failure(
    server: PayloadServer, serve: Callable[[PayloadServer], str], expected: str
) -> None:
    answer = handle(stack_request(serve(server)), ENVIRONMENT)
    assert (answer["hookStatus"], answer["errorCode"]) == ("FAILED", "InternalFailure")
    assert expected in answer["message"]
    assert "presigned-secret" not in answer["message"]


def test_the_token_is_echoed_in_the_guides_other_spelling(server: PayloadServer) -> None:
    """The guide's syntax block spells it `clientRequesttoken`, its example
    `clientRequestToken`; the answer always uses the second."""
    event = stack_request(server.payload(INVOKES_LATEST))
    event["clientRequesttoken"] = event.pop("clientRequestToken")
    assert handle(event, ENVIRONMENT)["clientRequestToken"] == event["clientRequesttoken"]


def test_an_exception_inside_the_hook_answers_internal_failure(
    server: PayloadServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise KeyError("Resources")

    monkeypatch.setattr(hook, "evaluate", broken)
    answer = handle(stack_request(server.payload(INVOKES_LATEST)), ENVIRONMENT)
    assert (answer["hookStatus"], answer["errorCode"]) == ("FAILED", "InternalFailure")
    assert "an unexpected KeyError inside the hook" in answer["message"]


SECRET = "s3cr3t-parameter-default"
LOGGED = f"""\
Parameters:
  Password: {{Type: String, NoEcho: true, Default: {SECRET}}}
Resources:
{FUNCTION}{INVOKERS}"""


@pytest.mark.parametrize(
    ("stack", "template", "outcome"),
    [
        pytest.param("my-app", LOGGED, "noncompliant", id="noncompliant"),
        pytest.param("my-app", "Transform: VersionAlias\n" + LOGGED, "compliant", id="compliant"),
        pytest.param("guardrail", LOGGED, "skipped", id="skipped"),
        pytest.param("my-app", LOGGED + "\n  - broken", "error", id="error"),
    ],
)
def test_one_json_log_line_per_evaluation_without_template_content(
    server: PayloadServer, capsys: pytest.CaptureFixture[str], stack: str, template: str,
    outcome: str,
) -> None:  # fmt: skip
    environment = {**ENVIRONMENT, "LOG_LEVEL": "INFO"}
    handle(stack_request(server.payload(template), stack=stack), environment)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["outcome"] == outcome
    assert record["stack"] == stack
    assert {"clientRequestToken", "hookStatus", "errorCode", "durationMs"} <= set(record)
    if outcome in ("noncompliant", "compliant"):
        assert record["sites"] == (2 if outcome == "noncompliant" else 0)
        assert record["resources"] == 3
    for leaked in (SECRET, "presigned-secret", "ZipFile", "sns.amazonaws.com"):
        assert leaked not in lines[0]


def test_log_level_warning_logs_nothing(
    server: PayloadServer, capsys: pytest.CaptureFixture[str]
) -> None:
    handle(stack_request(server.payload(INVOKES_LATEST)), ENVIRONMENT)
    assert capsys.readouterr().out == ""
