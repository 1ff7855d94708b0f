"""Taking versions over, seen through the CLI: SAM's AutoPublishAlias kept, the field
templates of ../shared/field, what `render` and `diff` tell, and SAM's refusals."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from version_alias.cli.commands.diff_report import compare
from version_alias.cli.main import main
from version_alias.cli.support.artifacts import ArtifactOptions
from version_alias.cli.support.pipeline import RenderOptions, render, render_file
from version_alias.cli.support.sam_detect import SamTranslateError
from version_alias.cli.support.template_io import load_template
from version_alias.context import TransformContext

REPO = Path(__file__).resolve().parents[2]
FIELD = REPO.parent / "shared" / "field"
CORPUS = REPO.parent / "shared" / "corpus"
VERSION = "AWS::Lambda::Version"
MISSING_CODE_BY_NAME = RenderOptions(artifacts=ArtifactOptions(allow_missing=True))


def field(name: str) -> Path:
    path = FIELD / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


def versions(template: dict[str, Any]) -> list[str]:
    return [name for name, r in template["Resources"].items() if r["Type"] == VERSION]


def sam(**properties: Any) -> dict[str, Any]:
    """A SAM template that keeps AutoPublishAlias next to VersionAlias."""
    function = {
        "Runtime": "python3.12",
        "Handler": "app.handler",
        "CodeUri": "s3://example-artifacts/orders/app.zip",
        "AutoPublishAlias": "live",
        **properties,
    }
    return {
        "Transform": ["AWS::Serverless-2016-10-31", "VersionAlias"],
        "Parameters": {"Stage": {"Type": "String", "Default": "dev"}},
        "Resources": {
            "OrdersFunction": {"Type": "AWS::Serverless::Function", "Properties": function}
        },
    }


def rendered(template: dict[str, Any], **parameters: str) -> Any:
    return render(template, TransformContext(parameter_values=parameters))


def sam_version(result: Any) -> str:
    """The version SAM's own AutoPublishAlias made (before the macro)."""
    (found,) = [name for name, r in result.pre_macro["Resources"].items() if r["Type"] == VERSION]
    return found


# -- AutoPublishAlias kept --------------------------------------------------------------------
LAYER = "arn:aws:lambda:us-east-1:123456789012:layer:deps:"


@pytest.mark.parametrize(
    ("before", "after", "publishes", "sam_would"),
    [
        pytest.param(
            sam(AutoPublishAliasAllProperties=True, Tags={"cost-center": "100"}),
            sam(AutoPublishAliasAllProperties=True, Tags={"cost-center": "200"}),
            False,
            True,  # and fail: "A version for this Lambda function exists"
            id="tags-only-change-publishes-nothing",
        ),
        pytest.param(
            sam(AutoPublishAliasAllProperties=True, ReservedConcurrentExecutions=5),
            sam(AutoPublishAliasAllProperties=True, ReservedConcurrentExecutions=10),
            False,
            True,
            id="reserved-concurrency-change-publishes-nothing",
        ),
        pytest.param(
            sam(Layers=[LAYER + "1"]),
            sam(Layers=[LAYER + "2"]),
            True,
            False,  # the alias would keep serving the old layer
            id="layer-arn-change-publishes",
        ),
    ],
)
def test_kept_auto_publish_alias_publishes_exactly_when_the_function_changes(
    before: dict, after: dict, publishes: bool, sam_would: bool
) -> None:
    old, new = rendered(before), rendered(after)
    assert (sam_version(old) != sam_version(new)) is sam_would
    (old_version,), (new_version,) = versions(old.template), versions(new.template)
    assert (old_version != new_version) is publishes
    for result in (old, new):
        alias = result.template["Resources"]["OrdersFunctionAliaslive"]["Properties"]
        assert alias["FunctionVersion"] == {"Fn::GetAtt": [versions(result.template)[0], "Version"]}


def test_kept_auto_publish_alias_publishes_on_a_parameter_driven_environment_change() -> None:
    """SAM's hash sees `!Ref Stage`, not its value: without the macro the alias would keep
    serving the old environment."""
    template = sam(Environment={"Variables": {"STAGE": {"Ref": "Stage"}}})
    dev, prod = rendered(template, Stage="dev"), rendered(template, Stage="prod")
    assert sam_version(dev) == sam_version(prod)
    assert versions(dev.template) != versions(prod.template)


def test_the_field_tags_only_pair_publishes_nothing_and_says_why(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = field("keep-autopublishalias-tags-before.yaml")
    after = field("keep-autopublishalias-tags-after.yaml")
    code = main(["diff", str(before), str(after)])
    captured = capsys.readouterr()
    assert code == 0
    new_version = versions(render_file(after, TransformContext()).template)[0]
    taken = sam_version(render_file(after, TransformContext()))
    assert captured.out == textwrap.dedent(
        f"""\
        OrdersFunction: no new version
          version: {new_version}
          takes over: {taken}
          ignored (function-level): CodeSigningConfigArn, ReservedConcurrentExecutions, Tags
        0 of 1 function(s) publish a new version.
        """
    )
    (note,) = captured.err.splitlines()
    assert note.startswith(
        "warning: Resources.OrdersFunction: version of OrdersFunction taken over from "
        f"AutoPublishAlias: {new_version} replaces {taken}"
    )
    assert "you may remove AutoPublishAlias and AutoPublishAliasAllProperties" in note


def test_the_field_hand_bumped_edge_pair_publishes_one_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = field("own-edge-version-before.yaml")
    after = field("own-edge-version-after.yaml")
    old = render_file(before, TransformContext()).template
    new = render_file(after, TransformContext()).template
    (old_version,), (new_version,) = versions(old), versions(new)
    code = main(["diff", "--exit-code", str(before), str(after)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == textwrap.dedent(
        f"""\
        EdgeFn: publishes a new version
          version: {old_version} -> {new_version}
          takes over: EdgeFnVersionV8
          why:
            Code.S3Key -> changed
        1 of 1 function(s) publish a new version.
        """
    )
    assert captured.err.count("warning: ") == 1
    behaviour = new["Resources"]["Distribution"]["Properties"]["DistributionConfig"][
        "DefaultCacheBehavior"
    ]
    assert behaviour["LambdaFunctionAssociations"][0]["LambdaFunctionARN"] == {"Ref": new_version}
    assert new["Resources"]["Rule"]["Properties"]["Targets"][0]["Arn"] == {"Ref": "EdgeFnAliaslive"}


# -- diff tells the truth ---------------------------------------------------------------------
def _pairs() -> list[Any]:
    pairs = [
        pytest.param(
            sam(AutoPublishAliasAllProperties=True, Tags={"a": "1"}),
            sam(AutoPublishAliasAllProperties=True, Tags={"a": "2"}),
            id="sam-tags",
        ),
        pytest.param(sam(Layers=[LAYER + "1"]), sam(Layers=[LAYER + "2"]), id="sam-layers"),
        pytest.param(
            sam(VersionDescription="one"), sam(VersionDescription="two"), id="sam-version-text"
        ),
    ]
    for name in ("keep-autopublishalias-tags", "own-edge-version"):
        if (FIELD / f"{name}-before.yaml").is_file():
            pairs.append(
                pytest.param(FIELD / f"{name}-before.yaml", FIELD / f"{name}-after.yaml", id=name)
            )
    return pairs


@pytest.mark.parametrize(("before", "after"), _pairs())
def test_diff_reports_exactly_the_versions_the_rendered_template_creates(
    before: Any, after: Any
) -> None:
    context = TransformContext()
    old, new = (
        render_file(side, context) if isinstance(side, Path) else render(side, context)
        for side in (before, after)
    )
    diffs = compare(old.pre_macro, new.pre_macro, context)
    created = set(versions(new.template)) - set(versions(old.template))
    assert {diff.new_version for diff in diffs if diff.publishes} == created
    assert {diff.new_version for diff in diffs} == set(versions(new.template))
    for diff in diffs:
        assert diff.publishes is bool(diff.changes)  # every new version says why


def test_a_new_version_description_publishes_and_says_so() -> None:
    old, new = rendered(sam(VersionDescription="one")), rendered(sam(VersionDescription="two"))
    (diff,) = compare(old.pre_macro, new.pre_macro, TransformContext())
    assert diff.status == "new-version"
    assert [change.text() for change in diff.changes] == [
        "(earlier version).Description one -> two"
    ]


def test_diff_from_a_template_without_version_alias_shows_the_first_deploy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = sam()
    old = {**template, "Transform": "AWS::Serverless-2016-10-31"}
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(template), encoding="utf-8")
    deployed = sam_version(render_file(tmp_path / "old.yaml", TransformContext()))
    new_version = versions(render_file(tmp_path / "new.yaml", TransformContext()).template)[0]
    code = main(["diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[1:] == [
        "OrdersFunction: publishes its first version with VersionAlias",
        f"  version: {deployed} -> {new_version}",
        f"  takes over: {deployed}",
        "  why:",
        f"    Transform.VersionAlias -> added (replaces {deployed})",
        "1 of 1 function(s) publish a new version.",
    ]
    assert out.startswith("warning: OLD does not list VersionAlias in Transform, NEW does")


def test_render_prints_one_note_per_function_taken_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = sam()
    template["Resources"]["Other"] = sam()["Resources"]["OrdersFunction"]
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(template), encoding="utf-8")
    assert main(["render", str(path)]) == 0
    captured = capsys.readouterr()
    notes = [line for line in captured.err.splitlines() if "taken over" in line]
    assert [note.split(":")[1].strip() for note in notes] == [
        "Resources.OrdersFunction",
        "Resources.Other",
    ]
    assert "taken over" not in captured.out


# -- SAM's reference syntax, and SAM's refusals --------------------------------------------------
def without_auto_publish(template: dict[str, Any]) -> dict[str, Any]:
    del template["Resources"]["OrdersFunction"]["Properties"]["AutoPublishAlias"]
    return template


def test_sam_reference_syntax_without_auto_publish_alias() -> None:
    template = without_auto_publish(sam())
    template["Outputs"] = {
        "Alias": {"Value": {"Fn::Sub": "${OrdersFunction.Alias}"}},
        "Number": {"Value": {"Fn::GetAtt": ["OrdersFunction.Version", "Version"]}},
        "Arn": {"Value": {"Ref": "OrdersFunction.Version"}},
    }
    out = rendered(template).template
    (version_id,) = versions(out)
    assert out["Outputs"] == {
        "Alias": {"Value": {"Fn::Sub": "${OrdersFunctionAliaslive}"}},
        "Number": {"Value": {"Fn::GetAtt": [version_id, "Version"]}},
        "Arn": {"Value": {"Ref": version_id}},
    }


def test_the_durable_function_pattern_works_without_auto_publish_alias() -> None:
    """The corpus pattern invokes a durable function through `!Ref Fn.Alias` (a durable
    function must be invoked qualified); without AutoPublishAlias the macro's alias serves."""
    path = CORPUS / "serverless-patterns" / "lambda-durable-eventbridge-cron-python-sam.yaml"
    if not path.is_file():
        pytest.skip("corpus absent")
    template = load_template(str(path))
    del template["Resources"]["DurableCronFunction"]["Properties"]["AutoPublishAlias"]
    out = render(template, TransformContext(), path.parent, MISSING_CODE_BY_NAME).template
    (version_id,) = versions(out)
    schedule = out["Resources"]["HourlyCronSchedule"]["Properties"]["Target"]
    assert schedule["Arn"] == {"Ref": "DurableCronFunctionAliaslive"}
    policy = out["Resources"]["SchedulerExecutionRole"]["Properties"]["Policies"][0]
    assert policy["PolicyDocument"]["Statement"][0]["Resource"] == {
        "Ref": "DurableCronFunctionAliaslive"
    }
    assert out["Outputs"]["DurableCronFunctionAliasArn"]["Value"] == {
        "Ref": "DurableCronFunctionAliaslive"
    }
    assert out["Outputs"]["PublishedVersion"]["Value"] == {"Ref": version_id}


@pytest.mark.parametrize(
    ("properties", "words"),
    [
        pytest.param(
            {"ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 2}},
            "Metadata: {VersionAlias: {ProvisionedConcurrency: N}}",
            id="provisioned-concurrency",
        ),
        pytest.param(
            {"DeploymentPreference": {"Type": "AllAtOnce"}},
            "Metadata: {VersionAlias: {DeploymentPreference: {Type: ...}}}",
            id="deployment-preference",
        ),
    ],
)
def test_sams_refusal_without_auto_publish_alias_shows_the_version_alias_way(
    properties: dict, words: str
) -> None:
    template = without_auto_publish(sam(**properties))
    with pytest.raises(SamTranslateError) as raised:
        rendered(template)
    message = str(raised.value)
    assert "AutoPublishAlias" in raised.value.causes[0] or "AutoPublishALias" in message
    assert words in message
    assert "the function needs no AutoPublishAlias" in message
