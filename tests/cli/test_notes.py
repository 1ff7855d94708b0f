"""Warnings the CLI derives from the template before and after the macro."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from version_alias.cli.support import pipeline
from version_alias.cli.support.notes import moved_urls, notes, url_note
from version_alias.context import TransformContext
from version_alias.transform import Processed, transform


def url(**properties: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::Lambda::Url",
        "Properties": {"AuthType": "NONE", "TargetFunctionArn": {"Ref": "Fn"}, **properties},
    }


def with_resources(**resources: Any) -> dict[str, Any]:
    return {"Resources": resources}


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param(
            with_resources(A=url(), B=url()),
            with_resources(A=url(Qualifier="live"), B=url(Qualifier="live")),
            ["A, B"],
            id="two-moved-one-warning",
        ),
        pytest.param(
            with_resources(A=url()),
            with_resources(A=url(TargetFunctionArn={"Ref": "FnAliaslive"})),
            ["A"],
            id="arn-moved",
        ),
        pytest.param(
            with_resources(A=url(Qualifier="live")),
            with_resources(A=url(Qualifier="live")),
            [],
            id="already-on-alias",
        ),
        pytest.param(with_resources(), with_resources(A=url()), [], id="new-url"),
    ],
)
def test_function_url_warning(before: dict, after: dict, expected: list[str]) -> None:
    moved = moved_urls(before, after)
    found = [url_note(moved)] if moved else []
    assert not [note for note in notes(before, after) if "function URL" in note]
    assert len(found) == len(expected)
    for note, ids in zip(found, expected, strict=True):
        assert note.startswith(f"function URL(s) {ids} now invoke the alias.")
        assert "address changes" in note


def _function(role: Any, **options: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::Lambda::Function",
        "Metadata": {"VersionAlias": options} if options else {},
        "Properties": {
            "Runtime": "python3.13",
            "Handler": "index.handler",
            "Role": role,
            "Code": {"ZipFile": "x"},
        },
    }


@pytest.mark.parametrize(
    ("hook_role", "deploy_role", "expected"),
    [
        pytest.param({"Fn::GetAtt": ["HookRole", "Arn"]}, None, [], id="granted"),
        pytest.param(
            "arn:aws:iam::123456789012:role/hook",
            None,
            ["deployment hook function(s) Hook run with a role that is not in this template"],
            id="hook-role-outside",
        ),
        pytest.param(
            {"Fn::GetAtt": ["HookRole", "Arn"]},
            "arn:aws:iam::123456789012:role/deployer",
            ["deployment group(s) FnDeploymentGroup use your own CodeDeploy Role"],
            id="own-deploy-role",
        ),
    ],
)
def test_hook_permission_reminders(hook_role: Any, deploy_role: Any, expected: list[str]) -> None:
    preference: dict[str, Any] = {"Type": "AllAtOnce", "Hooks": {"PreTraffic": {"Ref": "Hook"}}}
    if deploy_role:
        preference["Role"] = deploy_role
    before = with_resources(
        Fn=_function("arn:aws:iam::123456789012:role/fn", DeploymentPreference=preference),
        Hook=_function(hook_role),
        HookRole={"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
    )
    found = notes(before, transform(before))
    assert len(found) == len(expected)
    for note, start in zip(found, expected, strict=True):
        assert note.startswith(start)


def test_render_reports_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    """render() adds the notes to its warnings (the URL row lives in the site catalog)."""

    def moves_url(template: dict[str, Any], context: TransformContext) -> Processed:
        processed = copy.deepcopy(template)
        processed["Resources"]["A"]["Properties"]["Qualifier"] = "live"
        return Processed(processed, ())

    monkeypatch.setattr(pipeline, "process", moves_url)
    source = {"Transform": "VersionAlias", "Resources": {"A": url()}}
    rendered = pipeline.render(source, TransformContext())
    assert [w for w in rendered.warnings if w.startswith("function URL(s) A ")] == [
        rendered.warnings[-1]
    ]


def test_render_warns_once_for_a_url_the_catalog_moves() -> None:
    """End to end, once the invocation-site catalog lists AWS::Lambda::Url."""
    function = _function("arn:aws:iam::123456789012:role/fn")
    source = {
        "Transform": "VersionAlias",
        "Resources": {
            "Fn": function,
            "Other": copy.deepcopy(function),
            "A": url(TargetFunctionArn={"Fn::GetAtt": ["Fn", "Arn"]}),
            "B": url(TargetFunctionArn={"Fn::GetAtt": ["Other", "Arn"]}),
        },
    }
    rendered = pipeline.render(source, TransformContext())
    found = [w for w in rendered.warnings if w.startswith("function URL(s)")]
    assert found == [found[0]]
    assert found[0].startswith("function URL(s) A, B now invoke the alias.")
