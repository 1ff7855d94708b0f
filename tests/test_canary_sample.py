"""The canary sample's rendered output deploys through CodeDeploy (test_samples.py checks
that it is current and passes cfn-lint)."""

from __future__ import annotations

from pathlib import Path

from version_alias.cli.support.template_io import load_template

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "canary"
RENDERED = SAMPLE / "rendered" / "cloudformation.yaml"


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
