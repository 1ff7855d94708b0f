"""The CodeDeploy resources behind a `DeploymentPreference`, shaped as SAM generates them.

Logical IDs are SAM's (`ServerlessDeploymentApplication`, `<Fn>DeploymentGroup`,
`CodeDeployServiceRole`) so a stack can move from SAM's `DeploymentPreference` to the
macro without replacing its deployment groups. Two deliberate differences from SAM:
- a predefined Type becomes the plain string `CodeDeployDefault.Lambda<Type>` (SAM writes
  the same value as an `Fn::Sub`), and a Type given as a parameter is resolved first, so
  `!Ref DeploymentType` with the value `AllAtOnce` works;
- the generated service role may invoke exactly the template's hook functions. The AWS
  managed policy only allows `function:CodeDeployHook_*`, which made every hook with
  another name fail at deploy time (SAM issue 219).
"""

from __future__ import annotations

from ..template.paths import if_parts
from ..versioning.resolve import Resolver
from .options import PREDEFINED_TYPES, Preference

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

APPLICATION_ID = "ServerlessDeploymentApplication"
SERVICE_ROLE_ID = "CodeDeployServiceRole"
MANAGED_POLICY = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"
ROLLBACK_EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"]
HOOK_ATTRIBUTES = {"PreTraffic": "BeforeAllowTrafficHook", "PostTraffic": "AfterAllowTrafficHook"}
HOOK_STATUS_ACTION = "codedeploy:PutLifecycleEventHookExecutionStatus"
LIMITED_POLICY = MANAGED_POLICY + "Limited"
LIMITED_PARTITIONS = ("aws-iso", "aws-iso-b")  # as SAM: the full policy is not offered there
POLICY_VERSION = "2012-10-17"
NO_VALUE = {"Ref": "AWS::NoValue"}


def deployment_group_id(function_id: str) -> str:
    return f"{function_id}DeploymentGroup"


def hook_policy_id(hook_id: str) -> str:
    return f"{hook_id}CodeDeployHookPolicy"


def application() -> dict[str, Any]:
    return {"Type": "AWS::CodeDeploy::Application", "Properties": {"ComputePlatform": "Lambda"}}


def service_role(hook_ids: list[str], partition: str) -> dict[str, Any]:
    """CodeDeploy's role: the managed policy, plus invoking exactly these hook functions."""
    properties: dict[str, Any] = {
        "AssumeRolePolicyDocument": {
            "Version": POLICY_VERSION,
            "Statement": [
                {
                    "Action": ["sts:AssumeRole"],
                    "Effect": "Allow",
                    "Principal": {"Service": ["codedeploy.amazonaws.com"]},
                }
            ],
        },
        "ManagedPolicyArns": [
            {"Fn::Sub": LIMITED_POLICY if partition in LIMITED_PARTITIONS else MANAGED_POLICY}
        ],
    }
    if hook_ids:
        properties["Policies"] = [
            {
                "PolicyName": "InvokeDeploymentHooks",
                "PolicyDocument": {
                    "Version": POLICY_VERSION,
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "lambda:InvokeFunction",
                            "Resource": [{"Fn::GetAtt": [hook, "Arn"]} for hook in hook_ids],
                        }
                    ],
                },
            }
        ]
    return {"Type": "AWS::IAM::Role", "Properties": properties}


def config_name(value: Any, resolver: Resolver) -> Any:
    """`DeploymentConfigName` for a Type: predefined names get CodeDeploy's prefix, custom
    names and references pass through; `Fn::If` branches are mapped one by one."""
    if isinstance(value, str):
        return f"CodeDeployDefault.Lambda{value}" if value in PREDEFINED_TYPES else value
    parts = if_parts(value)
    if parts is not None:
        condition, when_true, when_false = parts
        return {
            "Fn::If": [
                condition,
                config_name(when_true, resolver),
                config_name(when_false, resolver),
            ]
        }
    resolved = resolver.resolve(value)
    if isinstance(resolved, str) and resolved in PREDEFINED_TYPES:
        return f"CodeDeployDefault.Lambda{resolved}"
    return value


def _alarm_configuration(alarms: Any) -> Any:
    """SAM's shape; `Fn::If` (validated in deploy_options) maps each branch."""
    if isinstance(alarms, dict) and "Fn::If" in alarms:
        condition, first, second = alarms["Fn::If"]
        return {"Fn::If": [condition, _alarm_configuration(first), _alarm_configuration(second)]}
    if not alarms or alarms == NO_VALUE:
        return NO_VALUE
    return {"Enabled": True, "Alarms": [{"Name": alarm} for alarm in alarms]}


def deployment_group(
    preference: Preference, resolver: Resolver, condition: str | None
) -> dict[str, Any]:
    import copy  # here, not at the top: only a DeploymentPreference needs it (import time)

    properties: dict[str, Any] = {"ApplicationName": {"Ref": APPLICATION_ID}}
    # Copies: a value shared with the function's Metadata would come out as a YAML alias.
    alarms = _alarm_configuration(copy.deepcopy(preference.alarms))
    if alarms != NO_VALUE:
        properties["AlarmConfiguration"] = alarms
    properties["AutoRollbackConfiguration"] = {"Enabled": True, "Events": list(ROLLBACK_EVENTS)}
    properties["DeploymentConfigName"] = config_name(copy.deepcopy(preference.type), resolver)
    properties["DeploymentStyle"] = {
        "DeploymentType": "BLUE_GREEN",
        "DeploymentOption": "WITH_TRAFFIC_CONTROL",
    }
    properties["ServiceRoleArn"] = (
        copy.deepcopy(preference.role)
        if preference.role is not None
        else {"Fn::GetAtt": [SERVICE_ROLE_ID, "Arn"]}
    )
    if preference.triggers is not None:
        properties["TriggerConfigurations"] = copy.deepcopy(preference.triggers)
    group: dict[str, Any] = {"Type": "AWS::CodeDeploy::DeploymentGroup"}
    if condition is not None:
        group["Condition"] = condition
    group["Properties"] = properties
    return group


def update_policy(function_id: str, preference: Preference) -> dict[str, Any]:
    """The alias's `CodeDeployLambdaAliasUpdate`.

    Hooks are named as SAM names them, `!Ref HookFunction` (the function's name), because
    CloudFormation documents the field as "the name of the Lambda function" and says
    nothing of qualifiers. The hook is still a versioned function of the template: its
    events and other invokers use its alias. CodeDeploy invokes it once per deployment,
    after CloudFormation has updated it, so the hook that runs is this deployment's.
    """
    policy: dict[str, Any] = {
        "ApplicationName": {"Ref": APPLICATION_ID},
        "DeploymentGroupName": {"Ref": deployment_group_id(function_id)},
    }
    for key, hook_id in preference.hooks:
        policy[HOOK_ATTRIBUTES[key]] = {"Ref": hook_id}
    return {"CodeDeployLambdaAliasUpdate": policy}


def hook_policy(hook_id: str, role_id: str, condition: str | None) -> dict[str, Any]:
    """Lets a hook function report its result to CodeDeploy.

    A separate AWS::IAM::Policy keeps the user's role untouched. It is scoped to this
    stack's CodeDeploy application; naming each deployment group would make the policy
    depend on the groups, and an alarm on the alias would then close a dependency cycle.
    """
    resource: dict[str, Any] = {"Type": "AWS::IAM::Policy"}
    if condition is not None:
        resource["Condition"] = condition
    resource["Properties"] = {
        "PolicyName": f"{hook_id}CodeDeployHook"[:128],
        "Roles": [{"Ref": role_id}],
        "PolicyDocument": {
            "Version": POLICY_VERSION,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": HOOK_STATUS_ACTION,
                    "Resource": {
                        "Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:"
                        "${AWS::AccountId}:deploymentgroup:${" + APPLICATION_ID + "}/*"
                    },
                }
            ],
        },
    }
    return resource
