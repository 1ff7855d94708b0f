"""A qualifier is compared as it deploys, however it is spelled.

An `AWS::Lambda::EventInvokeConfig` or `AWS::Lambda::Url` names its function and its
qualifier apart. Whether it already holds the alias (so that a `$LATEST` one must not
become a second one there), and whether it must wait for the alias on the first deploy,
depend on the qualifier's value, not on how it is written: `live`, `!Ref AliasParam`,
`!Sub`, `!Join`, or taken from the alias's own ARN as the CDK writes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from builders import zip_function
from conftest import CORPUS
from invariants import unnoted
from lint_diff import added_errors
from version_alias import transform
from version_alias.cli.support.template_io import load_template
from version_alias.context import TransformContext
from version_alias.invokers.checker import check
from version_alias.template.names import build_index
from version_alias.template.qualifiers import qualifier_text
from version_alias.transform import process
from version_alias.versioning.resolve import Resolver
from version_alias.versioning.settings import text_resolver

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "field-variants"
GETATT = {"Fn::GetAtt": ["Fn", "Arn"]}
CONFIG, URL = "AWS::Lambda::EventInvokeConfig", "AWS::Lambda::Url"
FUNCTION_PROPERTY = {CONFIG: "FunctionName", URL: "TargetFunctionArn"}
EXTRA = {CONFIG: {"MaximumRetryAttempts": 0}, URL: {"AuthType": "NONE"}}


function = zip_function


def template(**resources: Any) -> dict[str, Any]:
    return {
        "Parameters": {
            "AliasParam": {"Type": "String", "Default": "live"},
            "Other": {"Type": "String", "Default": "blue"},
            "Stage": {"Type": "String", "Default": "dev"},
            "Unset": {"Type": "String"},
            "Hidden": {"Type": "String", "Default": "live", "NoEcho": True},
        },
        "Mappings": {"Aliases": {"dev": {"Name": "live"}}},
        "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
        "Resources": {"Fn": function(), "Queue": {"Type": "AWS::SQS::Queue"}, **resources},
    }


def on_qualifier(kind: str, qualifier: Any = None, **extra: Any) -> dict[str, Any]:
    properties = {FUNCTION_PROPERTY[kind]: GETATT, **EXTRA[kind]}
    if qualifier is not None:
        properties["Qualifier"] = qualifier
    return {"Type": kind, "Properties": properties, **extra}


def on_latest(kind: str) -> dict[str, Any]:
    return on_qualifier(kind, "$LATEST" if kind == CONFIG else None)


def select_split(arn: Any) -> dict[str, Any]:
    return {"Fn::Select": [7, {"Fn::Split": [":", arn]}]}


# Spellings of a qualifier that deploys as `live`, the alias the macro creates for Fn.
AS_THE_ALIAS = [
    pytest.param("live", id="literal"),
    pytest.param({"Ref": "AliasParam"}, id="parameter"),
    pytest.param({"Fn::Sub": "${AliasParam}"}, id="sub-of-a-parameter"),
    pytest.param({"Fn::Sub": ["${Name}", {"Name": {"Ref": "AliasParam"}}]}, id="sub-variables"),
    pytest.param({"Fn::Join": ["", ["li", "ve"]]}, id="join"),
    pytest.param({"Fn::If": ["IsProd", "prod", "live"]}, id="if-the-parameters-decide"),
    pytest.param({"Fn::FindInMap": ["Aliases", {"Ref": "Stage"}, "Name"]}, id="find-in-map"),
    pytest.param(select_split({"Ref": "FnAliaslive"}), id="from-the-alias-ref"),
    pytest.param(select_split({"Fn::GetAtt": ["FnAliaslive", "AliasArn"]}), id="from-alias-arn"),
    pytest.param(select_split({"Fn::Sub": "${FnAliaslive}"}), id="from-a-sub-of-the-alias"),
]
# Spellings the template does not decide: an attribute of another resource, an import, a
# parameter without a value, a NoEcho parameter (never read as text).
UNDECIDED = [
    pytest.param({"Fn::GetAtt": ["Queue", "QueueName"]}, id="attribute-of-another-resource"),
    pytest.param({"Fn::ImportValue": "shared-alias-name"}, id="import"),
    pytest.param({"Ref": "Unset"}, id="parameter-without-value"),
    pytest.param({"Ref": "Hidden"}, id="noecho-parameter"),
]


def qualifier_of(value: Any, parameters: dict | None = None) -> Any:
    """The qualifier as the rewriter reads it, in the rendered template's resources."""
    source = template()
    resources = {
        **transform(source)["Resources"],
        "Version": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}}},
    }
    resolver = Resolver(source, TransformContext(parameter_values=parameters or {}))
    index = build_index(resources, ["Fn"], resolve=text_resolver(resolver))
    return qualifier_text(value, index.qualifiers, index.resolve)


@pytest.mark.parametrize("value", AS_THE_ALIAS)
def test_every_spelling_of_the_alias_name_reads_as_the_alias_name(value: Any) -> None:
    assert qualifier_of(value) == "live"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param({"Ref": "AliasParam"}, "blue", id="parameter-value-at-deploy"),
        pytest.param({"Fn::GetAtt": ["Version", "Version"]}, "${Version.Version}", id="version"),
        pytest.param(select_split({"Ref": "Version"}), "${Version.Version}", id="version-arn"),
        pytest.param(3, "3", id="version-number"),
    ],
)
def test_other_qualifiers_read_as_what_they_deploy_as(value: Any, expected: str) -> None:
    assert qualifier_of(value, {"AliasParam": "blue"}) == expected


@pytest.mark.parametrize(
    "value",
    [
        *UNDECIDED,
        pytest.param({"Ref": "FnAliaslive"}, id="a-whole-alias-arn"),
        pytest.param(select_split({"Ref": "Queue"}), id="part-of-another-resource"),
        pytest.param(
            {"Fn::Select": [6, {"Fn::Split": [":", {"Ref": "FnAliaslive"}]}]}, id="function-name"
        ),
    ],
)
def test_a_qualifier_the_template_does_not_decide_stays_as_written(value: Any) -> None:
    assert qualifier_of(value) == value


# -- one per function and qualifier ---------------------------------------------------------
@pytest.mark.parametrize("kind", [pytest.param(CONFIG, id="config"), pytest.param(URL, id="url")])
@pytest.mark.parametrize("qualifier", AS_THE_ALIAS)
def test_never_a_second_one_on_the_alias_however_its_qualifier_is_spelled(
    kind: str, qualifier: Any
) -> None:
    source = template(OnLatest=on_latest(kind), OnAlias=on_qualifier(kind, qualifier))
    processed = process(source)
    out = processed.template["Resources"]
    assert out["OnLatest"] == source["Resources"]["OnLatest"]
    assert out["OnAlias"]["Properties"]["Qualifier"] == qualifier
    [note] = [note for note in processed.notes if note.path[1] == "OnLatest"]
    assert note.location == "Resources.OnLatest.Properties.Qualifier"
    assert "OnAlias" in note.message and "only one" in note.message
    assert unnoted(check(processed.template), processed.notes) == []
    assert transform(processed.template) == processed.template


@pytest.mark.parametrize("kind", [pytest.param(CONFIG, id="config"), pytest.param(URL, id="url")])
@pytest.mark.parametrize("qualifier", UNDECIDED)
def test_a_qualifier_the_template_does_not_decide_is_warned_naming_both(
    kind: str, qualifier: Any
) -> None:
    """It may be the alias: the `$LATEST` one stays, and the warning names both."""
    source = template(OnLatest=on_latest(kind), Other=on_qualifier(kind, qualifier))
    processed = process(source)
    out = processed.template["Resources"]
    assert out["OnLatest"] == source["Resources"]["OnLatest"]
    assert out["Other"] == source["Resources"]["Other"]
    [note] = [note for note in processed.notes if note.path[1] == "OnLatest"]
    assert note.location == "Resources.OnLatest.Properties.Qualifier"
    assert "Other" in note.message and "does not decide" in note.message
    assert unnoted(check(processed.template), processed.notes) == []


@pytest.mark.parametrize("kind", [pytest.param(CONFIG, id="config"), pytest.param(URL, id="url")])
@pytest.mark.parametrize(
    "qualifier",
    [
        pytest.param({"Ref": "Other"}, id="another-alias-by-parameter"),
        pytest.param({"Fn::GetAtt": ["FnVersion", "Version"]}, id="a-version"),
        pytest.param("7", id="a-version-number"),
    ],
)
def test_one_on_another_qualifier_leaves_the_alias_free(kind: str, qualifier: Any) -> None:
    version = {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}}}
    source = template(
        OnLatest=on_latest(kind), Other=on_qualifier(kind, qualifier), FnVersion=version
    )
    processed = process(source)
    assert processed.template["Resources"]["OnLatest"]["Properties"]["Qualifier"] == "live"
    assert [note for note in processed.notes if note.path[1] == "OnLatest"] == []
    # `blue` is an alias this template does not create: said, like any such site.
    assert unnoted(check(processed.template), processed.notes) == []


# -- whatever names the alias in a qualifier waits for it -----------------------------------
def maintenance_task(qualifier: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::SSM::MaintenanceWindowTask",
        "Properties": {
            "WindowId": "mw-0123456789abcdef0",
            "TaskType": "LAMBDA",
            "TaskArn": GETATT,
            "Priority": 1,
            "TaskInvocationParameters": {
                "MaintenanceWindowLambdaParameters": {"Qualifier": qualifier}
            },
        },
    }


SITES = [
    pytest.param(lambda q: on_qualifier(CONFIG, q), id="config"),
    pytest.param(lambda q: on_qualifier(URL, q), id="url"),
    pytest.param(maintenance_task, id="maintenance-window-task"),
]


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("qualifier", AS_THE_ALIAS)
def test_a_qualifier_that_names_the_alias_waits_for_it(site: Any, qualifier: Any) -> None:
    out = transform(template(Thing=site(qualifier)))["Resources"]["Thing"]
    if "FnAliaslive" in str(qualifier):
        assert "DependsOn" not in out  # its reference already orders it after the alias
    else:
        assert out["DependsOn"] == "FnAliaslive"
    assert transform(template(Thing=out))["Resources"]["Thing"] == out


@pytest.mark.parametrize(
    ("resource", "depends_on"),
    [
        pytest.param(
            on_qualifier(CONFIG, "live", DependsOn=["Queue"]),
            ["Queue", "FnAliaslive"],
            id="keeps-the-users-dependson",
        ),
        pytest.param(
            on_qualifier(CONFIG, "live", DependsOn="FnAliaslive"), "FnAliaslive", id="no-duplicate"
        ),
        pytest.param(on_qualifier(CONFIG, {"Ref": "Other"}), None, id="another-alias"),
        pytest.param(on_qualifier(URL, {"Ref": "Unset"}), None, id="undecided"),
    ],
)
def test_a_qualifier_dependson_stays_valid(resource: Any, depends_on: Any) -> None:
    assert transform(template(Thing=resource))["Resources"]["Thing"].get("DependsOn") == depends_on


def test_a_resource_outside_the_alias_condition_does_not_wait_for_it() -> None:
    source = template(Thing=on_qualifier(URL, "live"))
    source["Resources"]["Fn"]["Condition"] = "IsProd"
    assert "DependsOn" not in transform(source)["Resources"]["Thing"]


# -- the cases a new user met ---------------------------------------------------------------
def rendered(name: str) -> Any:
    source = load_template(str(FIXTURES / name))
    processed = process(source)
    assert added_errors(source, processed.template) == []
    assert unnoted(check(processed.template), processed.notes) == []
    assert transform(processed.template) == processed.template
    return processed


@pytest.mark.parametrize(
    ("name", "left", "holder", "kept"),
    [
        pytest.param(
            "config-on-a-parameter-qualifier.yaml", "CfgLatest", "CfgLive", "$LATEST", id="config"
        ),
        pytest.param("url-on-a-parameter-qualifier.yaml", "UrlLatest", "UrlLive", None, id="url"),
    ],
)
def test_a_parameter_qualifier_on_the_alias_keeps_the_other_one_off_it(
    name: str, left: str, holder: str, kept: Any
) -> None:
    processed = rendered(name)
    out = processed.template["Resources"]
    assert out[left]["Properties"].get("Qualifier") == kept
    assert out[holder]["Properties"]["Qualifier"] == {"Ref": "AliasParam"}
    assert out[holder]["DependsOn"] == "ProcessorAliaslive"
    [note] = processed.notes
    assert note.location == f"Resources.{left}.Properties.Qualifier"
    assert holder in note.message


def test_a_config_on_the_cdk_alias_arn_keeps_the_latest_one_off_it() -> None:
    processed = rendered("config-on-the-alias-arn.yaml")
    out = processed.template["Resources"]
    assert out["WorkerEventInvokeConfig"]["Properties"]["Qualifier"] == "$LATEST"
    (note,) = [note for note in processed.notes if note.path[1] == "WorkerEventInvokeConfig"]
    assert "MySpecialAliasEventInvokeConfig" in note.message and "MySpecialAlias" in note.message


def test_a_qualifier_the_user_wrote_as_the_alias_waits_for_it() -> None:
    processed = rendered("qualifier-written-as-the-alias.yaml")
    out = processed.template["Resources"]
    assert out["Url"]["DependsOn"] == "ProcessorAliaslive"
    assert out["Config"]["DependsOn"] == "ProcessorAliaslive"
    assert out["Config"]["Properties"]["Qualifier"] == "live"
    assert processed.notes == ()


def test_a_permission_kept_with_its_caller_on_purpose_is_not_warned_about() -> None:
    """Its FunctionName joined by hand: it stays with the subscription, silently."""
    processed = rendered("permission-kept-with-its-caller.yaml")
    out = processed.template["Resources"]
    assert out["Permission"]["Properties"]["FunctionName"]["Fn::Join"][0] == ""
    assert out["Subscription"]["Properties"]["Endpoint"] == {
        "Fn::GetAtt": ["PublishInvoices", "Arn"]
    }
    assert processed.notes == ()


def test_the_cdk_destinations_template_keeps_one_config_per_qualifier() -> None:
    matches = sorted((CORPUS / "cdk-integ").glob("aws-lambda-destinations_*destinations*.json"))
    if not matches:
        pytest.skip(f"the CDK destinations template is not in {CORPUS}")
    processed = process(load_template(str(matches[0])))
    out = processed.template["Resources"]
    assert out["SnsSqsEventInvokeConfigDC664368"]["Properties"]["Qualifier"] == "$LATEST"
    (note,) = [
        note for note in processed.notes if note.path[1] == "SnsSqsEventInvokeConfigDC664368"
    ]
    assert "MySpecialAliasEventInvokeConfig05FF4E2F" in note.message
