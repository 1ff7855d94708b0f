"""Hypothesis strategies for the callers the macro must get right beyond the catalog rows.

`add_invoker_extras` puts into a generated template, each with some probability: function
names that only match once parameters are resolved (a literal name or ARN against
`!Sub '${NamePrefix}-fn0'`, a Join that splits the name), permissions paired with a
caller, function URLs with their permissions, identity policies in every spelling (IAM
patterns too), a scaling target that names the alias by string, an EventInvokeConfig on
the alias next to one on `$LATEST`, an Outputs export, long Descriptions and options
written as intrinsics (`AliasName: !Ref AliasParam`, `ProvisionedConcurrency: !If [...]`).

The parameters they use are declared with safe defaults; `special_values` says what a
deploy may pass for them, so that every example stays a valid template.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

ACCOUNT = "123456789012"
REGION = "us-east-1"
ALIAS_NAMES = st.from_regex(r"[a-z][a-zA-Z0-9_-]{0,11}", fullmatch=True)
SPECIAL_PARAMETERS: dict[str, dict[str, Any]] = {
    "NamePrefix": {"Type": "String", "Default": "app"},
    "AliasParam": {"Type": "String", "Default": "stage"},
    "WarmParam": {"Type": "Number", "Default": "0"},
    "LongParam": {"Type": "String", "Default": "d" * 240},
    "Flag": {"Type": "String", "Default": "on", "AllowedValues": ["on", "off"]},
}
SPECIAL_CONDITIONS = {"FlagOn": {"Fn::Equals": [{"Ref": "Flag"}, "on"]}}
NO_VALUE = {"Ref": "AWS::NoValue"}


def special_values() -> dict[str, st.SearchStrategy[str]]:
    """What a deploy may pass for the special parameters (all valid for their use)."""
    return {
        "NamePrefix": st.from_regex(r"[a-z][a-z0-9-]{0,6}", fullmatch=True),
        "AliasParam": ALIAS_NAMES,
        "WarmParam": st.sampled_from(["0", "1", "2"]),
        "LongParam": st.text(alphabet="abc ", max_size=300),
        "Flag": st.sampled_from(["on", "off"]),
    }


def _name(function_id: str) -> str:
    return function_id.lower()


def name_spellings(function_id: str) -> list[Any]:
    """FunctionName values that resolve to `app-<id>` with the default NamePrefix."""
    return [
        f"app-{_name(function_id)}",
        {"Fn::Sub": "${NamePrefix}-" + _name(function_id)},
        {"Fn::Join": ["-", [{"Ref": "NamePrefix"}, _name(function_id)]]},
    ]


def named_site_forms(function_id: str) -> list[Any]:
    """Site values that name a function called `app-<id>` by name, in other spellings."""
    literal = f"app-{_name(function_id)}"
    region, account = {"Ref": "AWS::Region"}, {"Ref": "AWS::AccountId"}
    return [
        literal,
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{literal}",
        {
            "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
            ":function:${NamePrefix}-" + _name(function_id)
        },
        {
            "Fn::Join": [
                "",
                [
                    *["arn:aws:lambda:", region, ":", account, ":function:"],
                    {"Ref": "NamePrefix"},
                    "-" + _name(function_id),
                ],
            ]
        },
    ]


@st.composite
def add_invoker_extras(
    draw: st.DrawFn, resources: dict[str, Any], template: dict[str, Any], functions: list[str]
) -> dict[str, list[Any]]:
    """Add the extras to `resources` and `template` (both being built); returns the extra
    site forms per function, for the catalog consumers to use too."""
    if draw(st.integers(0, 2)) == 0:
        return {}
    template.setdefault("Parameters", {}).update(SPECIAL_PARAMETERS)
    template.setdefault("Conditions", {}).update(SPECIAL_CONDITIONS)
    forms: dict[str, list[Any]] = {}
    for function_id in functions:
        properties = resources[function_id]["Properties"]
        if draw(st.integers(0, 2)) == 0:
            properties["FunctionName"] = draw(st.sampled_from(name_spellings(function_id)))
            forms[function_id] = named_site_forms(function_id)
        if draw(st.integers(0, 4)) == 0:
            properties["Description"] = draw(
                st.sampled_from(
                    [
                        {"Fn::Sub": "${LongParam} in ${AWS::Region}"},
                        {"Fn::If": ["FlagOn", {"Ref": "LongParam"}, "short"]},
                        {"Fn::Sub": "${AWS::StackName} " + "y" * 150},
                    ]
                )
            )
        _options(draw, resources[function_id])
    for index in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(sorted(_EXTRAS)))
        function_id = draw(st.sampled_from(functions))
        _EXTRAS[kind](draw, resources, template, function_id, index)
    return forms


def _options(draw: st.DrawFn, function: dict[str, Any]) -> None:
    options = function.setdefault("Metadata", {}).setdefault("VersionAlias", {})
    if "Enabled" in options:
        return  # alias settings on a function left alone are an error by design
    if draw(st.integers(0, 4)) == 0:
        options["AliasName"] = {"Ref": "AliasParam"}
    if draw(st.integers(0, 3)) == 0:
        options["ProvisionedConcurrency"] = draw(
            st.sampled_from(
                [0, 2, NO_VALUE, {"Ref": "WarmParam"}, {"Fn::If": ["FlagOn", 1, NO_VALUE]}]
            )
        )
    if not options:
        function["Metadata"].pop("VersionAlias")
        if not function["Metadata"]:
            function.pop("Metadata")


def _getatt(function_id: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [function_id, "Arn"]}


def _permission(draw: st.DrawFn, resources: dict, template: dict, function_id: str, n: int) -> None:
    """A caller (an SNS topic or an EventBridge rule) and its permission."""
    kind = draw(st.sampled_from(["AWS::SNS::Topic", "AWS::Events::Rule"]))
    caller: dict[str, Any]
    if kind == "AWS::SNS::Topic":
        caller = {
            "Type": kind,
            "Properties": {
                "Subscription": [{"Protocol": "lambda", "Endpoint": _getatt(function_id)}]
            },
        }
        principal = "sns.amazonaws.com"
    else:
        caller = {
            "Type": kind,
            "Properties": {
                "ScheduleExpression": "rate(1 hour)",
                "Targets": [{"Id": "t", "Arn": _getatt(function_id)}],
            },
        }
        principal = "events.amazonaws.com"
    if draw(st.integers(0, 2)) == 0:
        caller["Metadata"] = {
            "VersionAlias": {"Target": draw(st.sampled_from(["function", "version"]))}
        }
    properties: dict[str, Any] = {
        "Action": "lambda:InvokeFunction",
        "FunctionName": draw(st.sampled_from([_getatt(function_id), {"Ref": function_id}])),
        "Principal": principal,
    }
    if draw(st.booleans()):
        properties["SourceArn"] = (
            {"Ref": f"Caller{n}"}
            if kind == "AWS::SNS::Topic"
            else {"Fn::GetAtt": [f"Caller{n}", "Arn"]}
        )
    resources[f"Caller{n}"] = caller
    resources[f"CallerPermission{n}"] = {
        "Type": "AWS::Lambda::Permission",
        "Properties": properties,
    }


def _url(draw: st.DrawFn, resources: dict, template: dict, function_id: str, n: int) -> None:
    """A function URL (maybe kept on the function) and its permission."""
    url: dict[str, Any] = {
        "Type": "AWS::Lambda::Url",
        "Properties": {"AuthType": "NONE", "TargetFunctionArn": _getatt(function_id)},
    }
    if draw(st.integers(0, 2)) == 0:
        url["Metadata"] = {"VersionAlias": {"Target": "function"}}
    resources[f"Url{n}"] = url
    resources[f"UrlPermission{n}"] = {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunctionUrl",
            "FunctionName": _getatt(function_id),
            "FunctionUrlAuthType": "NONE",
            "Principal": "*",
        },
    }


def _policy(draw: st.DrawFn, resources: dict, template: dict, function_id: str, n: int) -> None:
    """An identity policy that grants invoke in one of many spellings."""
    name = f"app-{_name(function_id)}"
    spellings = [
        _getatt(function_id),
        {"Fn::Sub": "${" + function_id + ".Arn}:live"},
        {"Fn::Sub": "${" + function_id + ".Arn}:*"},
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}",
        f"arn:aws:lambda:*:{ACCOUNT}:function:{name}",
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:app-*",
    ]
    granted = draw(st.lists(st.sampled_from(spellings), min_size=1, max_size=3, unique_by=repr))
    statement = {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": granted}
    resources[f"Policy{n}"] = {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}},
    }


def _scaling(draw: st.DrawFn, resources: dict, template: dict, function_id: str, n: int) -> None:
    """A scaling target that names the alias by string."""
    alias = draw(st.sampled_from(["live", "stage", "other"]))
    resources[f"Scaling{n}"] = {
        "Type": "AWS::ApplicationAutoScaling::ScalableTarget",
        "Properties": {
            "MaxCapacity": 4,
            "MinCapacity": 1,
            "ResourceId": {"Fn::Sub": "function:${" + function_id + "}:" + alias},
            "ScalableDimension": "lambda:function:ProvisionedConcurrency",
            "ServiceNamespace": "lambda",
        },
    }


def _async_configs(
    draw: st.DrawFn, resources: dict, template: dict, function_id: str, n: int
) -> None:
    """An EventInvokeConfig on $LATEST next to one on the alias."""
    for suffix, qualifier in (("Latest", "$LATEST"), ("Live", "live")):
        resources[f"Async{n}{suffix}"] = {
            "Type": "AWS::Lambda::EventInvokeConfig",
            "Properties": {
                "FunctionName": {"Ref": function_id},
                "Qualifier": qualifier,
                "MaximumRetryAttempts": 1,
            },
        }


def _export(draw: st.DrawFn, resources: dict, template: dict, function_id: str, n: int) -> None:
    value = draw(st.sampled_from([_getatt(function_id), {"Ref": function_id}]))
    template.setdefault("Outputs", {})[f"Export{n}"] = {
        "Value": value,
        "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-fn" + str(n)}},
    }


_EXTRAS = {
    "async": _async_configs,
    "export": _export,
    "permission": _permission,
    "policy": _policy,
    "scaling": _scaling,
    "url": _url,
}
