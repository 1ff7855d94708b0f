"""The CodeDeploy resources the macro generates, compared with SAM's own output.

For every SAM translator test input in the corpus that uses `DeploymentPreference` and has
SAM's expected output (the oracle), the same template is translated by samtranslator with
`DeploymentPreference` and `AutoPublishAlias` removed and moved into
`Metadata.VersionAlias` (function-level, and template-level for `Globals`), then run through
the macro. The CodeDeploy application, deployment groups and service role, and every
alias's UpdatePolicy, must equal the oracle's, after these documented differences:
- values are compared resolved (`Resolver`), so SAM's `Fn::Sub` around
  `CodeDeployDefault.Lambda${ConfigName}` equals the macro's plain string;
- the macro's service role may also invoke the template's hook functions (asserted, then
  removed);
- the macro never puts a Condition on the application or the service role (SAM does when
  every preference passes a condition through), and always passes the function's
  Condition to its deployment group (SAM only with `PassthroughCondition: true`);
- SAM's `PropagateTags` tags are not carried (a function-level SAM property).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from version_alias.cli.support.sam_translate import translate_sam
from version_alias.cli.support.template_io import load_template
from version_alias.context import TransformContext
from version_alias.transform import transform
from version_alias.versioning.resolve import Resolver

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
SAM_DIR = CORPUS / "sam-translator"
SERVERLESS = "AWS::Serverless::Function"
CODEDEPLOY_TYPES = ("AWS::CodeDeploy::Application", "AWS::CodeDeploy::DeploymentGroup")
ROLE_ID = "CodeDeployServiceRole"
# SAM-only function properties that version a function; the macro does that itself.
SAM_VERSIONING = (
    "AutoPublishAlias",
    "AutoPublishAliasAllProperties",
    "AutoPublishCodeSha256",
    "VersionDeletionPolicy",
    "VersionDescription",
)


def _cases() -> list[Any]:
    if not SAM_DIR.is_dir():
        return [pytest.param(None, id="corpus-absent")]
    names = sorted(
        path.stem
        for path in SAM_DIR.glob("*.yaml")
        if "DeploymentPreference" in path.read_text(encoding="utf-8")
        and (SAM_DIR / "output" / f"{path.stem}.json").is_file()
    )
    return [pytest.param(name, id=name) for name in names]


def _move_to_metadata(resource: dict[str, Any], options: dict[str, Any]) -> None:
    if options:
        metadata = resource.setdefault("Metadata", {})
        metadata["VersionAlias"] = {**metadata.get("VersionAlias", {}), **options}


def as_macro_input(sam: dict[str, Any]) -> dict[str, Any]:
    """The SAM template with its deployment options moved into Metadata.VersionAlias."""
    template = copy.deepcopy(sam)
    function_globals = (template.get("Globals") or {}).get("Function") or {}
    defaults: dict[str, Any] = {}
    if "AutoPublishAlias" in function_globals:
        defaults["AliasName"] = function_globals["AutoPublishAlias"]
    if "DeploymentPreference" in function_globals:
        defaults["DeploymentPreference"] = function_globals.pop("DeploymentPreference")
    for key in SAM_VERSIONING:
        function_globals.pop(key, None)
    if template.get("Globals") and not function_globals:
        template["Globals"].pop("Function", None)
        if not template["Globals"]:
            del template["Globals"]
    _move_to_metadata(template, defaults)
    for resource in template["Resources"].values():
        if resource.get("Type") != SERVERLESS:
            continue
        properties = resource.setdefault("Properties", {})
        options: dict[str, Any] = {}
        if "AutoPublishAlias" in properties:
            options["AliasName"] = properties["AutoPublishAlias"]
        if "DeploymentPreference" in properties:
            options["DeploymentPreference"] = properties.pop("DeploymentPreference")
        for key in SAM_VERSIONING:
            properties.pop(key, None)
        # SAM attaches provisioned concurrency to its own alias only; tested separately.
        properties.pop("ProvisionedConcurrencyConfig", None)
        _move_to_metadata(resource, options)
    return template


def _resolved(value: Any, template: dict[str, Any]) -> Any:
    return Resolver(template, TransformContext()).resolve(value)


def _normalised(resource: dict[str, Any], template: dict[str, Any]) -> dict[str, Any]:
    resource = copy.deepcopy(resource)
    # A deployment group's Condition is checked on its own in test_condition_passthrough.
    resource.pop("Condition", None)
    resource.get("Properties", {}).pop("Tags", None)
    return {key: _resolved(value, template) for key, value in resource.items()}


def _widened(arn: Any) -> bool:
    """A `${Fn.Arn}:*` grant added by the IAM widening (seen here resolved)."""
    sub = arn.get("Fn::Sub") if isinstance(arn, dict) else None
    return isinstance(sub, list) and isinstance(sub[0], str) and sub[0].endswith(".Arn}:*")


def _codedeploy(template: dict[str, Any]) -> dict[str, Any]:
    resources = template["Resources"]
    return {
        logical_id: _normalised(resource, template)
        for logical_id, resource in resources.items()
        if resource["Type"] in CODEDEPLOY_TYPES or logical_id == ROLE_ID
    }


def _update_policies(template: dict[str, Any]) -> dict[str, Any]:
    return {
        logical_id: _resolved(resource.get("UpdatePolicy"), template)
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Lambda::Alias"
    }


def _hooks(template: dict[str, Any]) -> list[str]:
    found = set()
    for resource in template["Resources"].values():
        update = (resource.get("UpdatePolicy") or {}).get("CodeDeployLambdaAliasUpdate") or {}
        groups = template["Resources"].get(update.get("DeploymentGroupName", {}).get("Ref"), {})
        role = groups.get("Properties", {}).get("ServiceRoleArn")
        if role != {"Fn::GetAtt": [ROLE_ID, "Arn"]}:
            continue  # hooks of a deployment group with the user's own role
        for key in ("BeforeAllowTrafficHook", "AfterAllowTrafficHook"):
            if key in update:
                found.add(update[key]["Ref"])
    return sorted(found)


def _render(name: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(the macro's input after SAM, the macro's output, SAM's oracle)."""
    sam = load_template(str(SAM_DIR / f"{name}.yaml"))
    oracle = json.loads((SAM_DIR / "output" / f"{name}.json").read_text(encoding="utf-8"))
    before = translate_sam(as_macro_input(sam), {})
    return before, transform(before, TransformContext()), oracle


@pytest.mark.corpus
@pytest.mark.parametrize("name", _cases())
def test_codedeploy_resources_match_sam(name: str | None) -> None:
    if name is None:
        pytest.skip(f"corpus not found at {CORPUS}")
    _, ours, oracle = _render(name)
    expected = _codedeploy(oracle)
    actual = _codedeploy(ours)
    if ROLE_ID in actual:
        role = actual[ROLE_ID]["Properties"]
        hook_arns = [{"Fn::GetAtt": [hook, "Arn"]} for hook in _hooks(ours)]
        policies = role.pop("Policies", None)
        if hook_arns:
            statement = policies[0]["PolicyDocument"]["Statement"]
            # The IAM widening also grants `${Hook.Arn}:*` (harmless: CodeDeploy invokes
            # hooks by name); SAM's policy has only the functions.
            for item in statement:
                item["Resource"] = [arn for arn in item["Resource"] if not _widened(arn)]
            assert statement == [
                {
                    "Effect": "Allow",
                    "Action": "lambda:InvokeFunction",
                    "Resource": _resolved(hook_arns, ours),
                }
            ]
        else:
            assert policies is None
    assert actual == expected
    expected_policies = _update_policies(oracle)
    actual_policies = _update_policies(ours)
    # SAM versions only functions with AutoPublishAlias; the macro versions every function.
    assert {key: actual_policies[key] for key in expected_policies} == expected_policies
    assert all(
        actual_policies[key] is None for key in set(actual_policies) - set(expected_policies)
    )


@pytest.mark.corpus
@pytest.mark.parametrize("name", _cases())
def test_condition_passthrough(name: str | None) -> None:
    """A deployment group carries its function's Condition unless PassthroughCondition is
    false (SAM's default is false; the macro's is true)."""
    if name is None:
        pytest.skip(f"corpus not found at {CORPUS}")
    before, ours, oracle = _render(name)
    groups = 0
    for logical_id, resource in ours["Resources"].items():
        if resource["Type"] != "AWS::CodeDeploy::DeploymentGroup":
            continue
        groups += 1
        function = before["Resources"][logical_id.removesuffix("DeploymentGroup")]
        preference = {
            **before.get("Metadata", {}).get("VersionAlias", {}).get("DeploymentPreference", {}),
            **function.get("Metadata", {}).get("VersionAlias", {}).get("DeploymentPreference", {}),
        }
        passthrough = _resolved(preference.get("PassthroughCondition", True), ours)
        expected = function.get("Condition") if passthrough in ("true", "True") else None
        assert resource.get("Condition") == expected
        if "PassthroughCondition" in preference:  # said explicitly, so SAM must agree
            assert oracle["Resources"][logical_id].get("Condition") == expected
    assert groups == sum(
        1
        for res in oracle["Resources"].values()
        if res["Type"] == "AWS::CodeDeploy::DeploymentGroup"
    )
