"""The macro event/response contract, as CloudFormation calls the Lambda."""

from __future__ import annotations

import ast
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, function, template
from version_alias import handler as handler_module
from version_alias.handler import handle, lambda_handler, log_level


def event(fragment, **extra):
    base = {
        "region": "eu-west-1",
        "accountId": "111122223333",
        "fragment": fragment,
        "transformId": "111122223333::VersionAlias",
        "params": {},
        "requestId": "req-1",
        "templateParameterValues": {},
    }
    base.update(extra)
    return base


def test_success_response_shape():
    response = lambda_handler(event(template(Fn=function())), None)
    assert set(response) == {"requestId", "status", "fragment"}
    assert response["requestId"] == "req-1"
    assert response["status"] == "success"
    assert "FnAliaslive" in response["fragment"]["Resources"]


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        pytest.param([], "the template is not a mapping", id="not-a-dict"),
        pytest.param({"Parameters": {}}, "no Resources section", id="no-resources"),
        pytest.param({"Resources": []}, "Resources: must be a mapping", id="resources-list"),
        pytest.param({"Resources": {"A": "x"}}, "Resources.A: must be a mapping", id="bad-res"),
        pytest.param({"Resources": {"A": {}}}, "Resources.A.Type: has no Type", id="no-type"),
        pytest.param(
            {"Resources": {"A": {"Type": "AWS::Lambda::Function", "Properties": None}}},
            "Resources.A.Properties: must be a mapping, found null",
            id="null-properties",
        ),
        pytest.param(
            {"Resources": {"A": {"Type": "AWS::Lambda::Function", "Properties": []}}},
            "Resources.A.Properties: must be a mapping, found list",
            id="list-properties",
        ),
        pytest.param(
            {"Resources": {"F": {"Type": "AWS::Serverless::Function", "Properties": {}}}},
            "list VersionAlias after AWS::Serverless-2016-10-31",
            id="serverless-first",
        ),
        pytest.param(
            {"Resources": {"B-1": {"Type": "AWS::SNS::Topic"}}},
            "is not alphanumeric",
            id="bad-logical-id",
        ),
    ],
)
def test_malformed_fragments_fail_with_a_message(fragment, expected):
    response = handle(event(fragment))
    assert response["status"] == "failure"
    assert response["requestId"] == "req-1"
    assert expected in response["errorMessage"]


def test_snippet_level_use_is_rejected_with_a_fix():
    response = handle(event({"Name": "x"}, params={"a": 1}))
    assert response["status"] == "failure"
    assert "template-level macro" in response["errorMessage"]


def test_collision_with_a_user_resource_is_a_failure_not_an_overwrite():
    fragment = template(Fn=function(), FnAliaslive={"Type": "AWS::SNS::Topic"})
    response = handle(event(fragment))
    assert response["status"] == "failure"
    assert "FnAliaslive is already used" in response["errorMessage"]
    assert response["errorMessage"].startswith("Resources.Fn:")


def test_more_than_500_resources_is_a_failure():
    resources = {f"Fn{i}": function() for i in range(167)}
    response = handle(event({"Resources": resources}))
    assert response["status"] == "failure"
    assert "501 resources" in response["errorMessage"]


@pytest.mark.parametrize(
    "bad_event",
    [
        pytest.param(None, id="none"),
        pytest.param("text", id="string"),
        pytest.param({"fragment": template(Fn=function()), "templateParameterValues": 3}, id="tpv"),
    ],
)
def test_never_raises_on_a_malformed_event(bad_event):
    response = handle(bad_event)
    assert response["status"] == "failure"
    assert response["errorMessage"]


def test_unexpected_exception_becomes_a_failure(monkeypatch):
    import version_alias.handler as module

    def boom(*_args, **_kwargs):
        raise KeyError("secret-template-value")

    monkeypatch.setattr(module, "transform", boom)
    response = handle(event(template(Fn=function())))
    assert response["status"] == "failure"
    assert "KeyError" in response["errorMessage"]
    assert "secret-template-value" not in response["errorMessage"]


def test_logs_hold_counts_not_content(capsys, monkeypatch):
    fragment = template(Fn=function(Environment={"Variables": {"TOKEN": "hunter2-secret"}}))
    fragment["Parameters"] = {"Pw": {"Type": "String", "NoEcho": True}}
    monkeypatch.setattr(handler_module, "LOG_LEVEL", "INFO")
    handle(event(fragment, templateParameterValues={"Pw": "p4ssw0rd-value"}))
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record == {
        "requestId": "req-1",
        "status": "success",
        "resourcesIn": 1,
        "resourcesOut": 3,
        "aliases": 1,
        "durationMs": record["durationMs"],
    }
    assert isinstance(record["durationMs"], float)
    text = captured.out + captured.err
    for secret in ("hunter2-secret", "p4ssw0rd-value", "python3.13", "code.zip"):
        assert secret not in text


@pytest.mark.parametrize(
    ("value", "level", "lines"),
    [
        pytest.param(None, "INFO", 1, id="unset"),
        pytest.param("", "INFO", 1, id="empty"),
        pytest.param("DEBUG", "DEBUG", 1, id="debug"),
        pytest.param("info", "INFO", 1, id="lower-case"),
        pytest.param("WARNING", "WARNING", 0, id="warning"),
        pytest.param("ERROR", "ERROR", 0, id="error"),
        pytest.param("CRITICAL", "CRITICAL", 0, id="critical"),
        pytest.param("verbose", "INFO", 1, id="unknown-falls-back-to-info"),
    ],
)
def test_log_level_decides_whether_the_request_line_is_printed(
    value, level, lines, capsys, monkeypatch
):
    assert log_level(value) == level
    monkeypatch.setattr(handler_module, "LOG_LEVEL", level)
    response = handle(event(template(Fn=function())))
    captured = capsys.readouterr()
    assert response["status"] == "success"
    assert [json.loads(line)["requestId"] for line in captured.out.splitlines()] == [
        "req-1"
    ] * lines
    assert captured.err == ""


def test_a_failed_log_write_does_not_fail_the_request(monkeypatch):
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr(sys, "stdout", closed)
    monkeypatch.setattr(handler_module, "LOG_LEVEL", "INFO")
    assert handle(event(template(Fn=function())))["status"] == "success"


def _run_in_lambda_like_process(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -S -c code` with only the macro on the path: no site packages, so nothing
    but the handler decides what gets imported."""
    return subprocess.run(
        [sys.executable, "-S", "-c", code],
        env={**os.environ, **env, "PYTHONPATH": str(REPO / "macro")},
        capture_output=True,
        text=True,
        check=True,
    )


@pytest.mark.parametrize(
    ("value", "lines"),
    [
        pytest.param("DEBUG", 1, id="debug"),
        pytest.param("WARNING", 0, id="warning"),
        pytest.param("error", 0, id="error-lower-case"),
    ],
)
def test_log_level_environment_variable_is_honoured(value, lines):
    code = (
        "from version_alias.handler import handle; "
        "handle({'requestId': 'r', 'fragment': {'Resources': {}}})"
    )
    out = _run_in_lambda_like_process(code, LOG_LEVEL=value)
    assert [json.loads(line)["status"] for line in out.stdout.splitlines()] == ["success"] * lines
    assert out.stderr == ""


def test_importing_the_handler_loads_neither_typing_nor_logging():
    """Together they were about 10 ms of a 23 ms cold import (`make bench`); base64, copy
    and hmac are imported where their rare paths need them. A new top-level import of any
    of them fails here instead of only showing as a slower benchmark."""
    code = "import json, sys; import version_alias.handler; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(_run_in_lambda_like_process(code).stdout)
    assert "version_alias.transform" in loaded  # the whole core was imported
    unwanted = ("typing", "logging", "base64", "copy", "hmac")
    assert [name for name in loaded if name.split(".")[0] in unwanted] == []


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


CORE = REPO / "macro" / "version_alias"
CORE_FILES = sorted(
    path
    for path in CORE.rglob("*.py")
    if not {"cli", "lint_rules"} & set(path.relative_to(CORE).parts)
)


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE)))
def test_lambda_code_imports_only_the_standard_library(path):
    outside = {name for name in _imports(path) if name not in sys.stdlib_module_names}
    assert outside == set()


def test_the_guardrail_hook_is_held_to_the_standard_library_too():
    """The guardrail hook ships in a Lambda package of its own (guardrail.yaml) with the
    same rule: every one of its files is among those checked above."""
    guardrail = sorted((CORE / "guardrail").glob("*.py"))
    assert len(guardrail) >= 5
    assert set(guardrail) <= set(CORE_FILES)


def test_the_deployment_stage_is_imported_only_by_templates_that_ask_for_it():
    """A template without DeploymentPreference or ProvisionedConcurrency never loads the
    deployment stage (a tenth of the cold import); one that sets either still gets it."""
    plain = {"Resources": {"Fn": function()}}
    asks = {
        "Resources": {
            "Fn": {**function(), "Metadata": {"VersionAlias": {"ProvisionedConcurrency": 2}}}
        }
    }
    code = (
        "import json, sys; from version_alias.handler import handle; "
        "response = handle({{'requestId': 'r', 'fragment': {fragment!r}}}); "
        "print(json.dumps([response['status'], sorted(sys.modules)]))"
    )
    for fragment, expected in ((plain, False), (asks, True)):
        out = _run_in_lambda_like_process(code.format(fragment=fragment)).stdout.splitlines()[-1]
        status, loaded = json.loads(out)
        assert status == "success"
        assert ("version_alias.deployment.alias_settings" in loaded) is expected
