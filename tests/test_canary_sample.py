"""The canary sample: its rendered output is current, correct and passes cfn-lint."""

from __future__ import annotations

from pathlib import Path

from cfnlint.api import ManualArgs, lint_file

from version_alias.cli.pipeline import render
from version_alias.cli.template_io import dump_template, load_template
from version_alias.context import TransformContext

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "canary"
SOURCE = SAMPLE / "cloudformation.yaml"
RENDERED = SAMPLE / "rendered" / "cloudformation.yaml"
CONTEXT = TransformContext(region="us-east-1", account_id="123456789012")


def test_rendered_copy_is_current() -> None:
    rendered = render(load_template(str(SOURCE)), CONTEXT)
    assert rendered.warnings == []
    assert dump_template(rendered.template, "yaml") == RENDERED.read_text(encoding="utf-8")


def test_rendered_canary_deploys_through_codedeploy() -> None:
    resources = load_template(str(RENDERED))["Resources"]
    alias = resources["CheckoutFunctionAliaslive"]
    assert alias["UpdatePolicy"] == {
        "CodeDeployLambdaAliasUpdate": {
            "ApplicationName": {"Ref": "ServerlessDeploymentApplication"},
            "DeploymentGroupName": {"Ref": "CheckoutFunctionDeploymentGroup"},
            "BeforeAllowTrafficHook": {"Ref": "PreTrafficHook"},
        }
    }
    assert alias["DependsOn"] == "PreTrafficHookCodeDeployHookPolicy"
    group = resources["CheckoutFunctionDeploymentGroup"]["Properties"]
    assert group["DeploymentConfigName"] == "CodeDeployDefault.LambdaCanary10Percent5Minutes"
    assert group["AlarmConfiguration"] == {
        "Enabled": True,
        "Alarms": [{"Name": {"Ref": "CheckoutErrorsAlarm"}}],
    }
    assert "Metadata" not in resources["CheckoutFunction"]
    assert resources["ReconcileRule"]["Properties"]["Targets"][0]["Arn"] == {
        "Ref": "CheckoutFunctionAliaslive"
    }


def test_rendered_canary_passes_cfn_lint() -> None:
    assert lint_file(RENDERED, ManualArgs(regions=["us-east-1"])) == []
