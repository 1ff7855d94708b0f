"""The macro event/response contract, as CloudFormation calls the Lambda."""

from __future__ import annotations

import ast
import json
import logging
import sys
from pathlib import Path

import pytest

from conftest import REPO, function, template
from version_alias.handler import handle, lambda_handler


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


def test_logs_hold_counts_not_content(caplog):
    fragment = template(Fn=function(Environment={"Variables": {"TOKEN": "hunter2-secret"}}))
    fragment["Parameters"] = {"Pw": {"Type": "String", "NoEcho": True}}
    with caplog.at_level(logging.INFO, logger="version_alias"):
        handle(event(fragment, templateParameterValues={"Pw": "p4ssw0rd-value"}))
    assert len(caplog.records) == 1
    record = json.loads(caplog.records[0].getMessage())
    assert record == {
        "requestId": "req-1",
        "status": "success",
        "resourcesIn": 1,
        "resourcesOut": 3,
        "aliases": 1,
        "durationMs": record["durationMs"],
    }
    text = caplog.text
    for secret in ("hunter2-secret", "p4ssw0rd-value", "python3.13", "code.zip"):
        assert secret not in text


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
