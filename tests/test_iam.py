"""Identity policies that grant invoke on a function also get its alias ARN."""

from __future__ import annotations

from typing import Any

import pytest

from site_helpers import ALIAS_ID, FUNCTION_ID, template
from version_alias import transform
from version_alias.invokers.iam import grants_invoke

GETATT = {"Fn::GetAtt": [FUNCTION_ID, "Arn"]}
ALIAS = {"Ref": ALIAS_ID}
QUALIFIED = {"Fn::Sub": "${Fn.Arn}:*"}  # what the widening adds: every qualifier of Fn
LITERAL_ARN = "arn:aws:lambda:us-east-1:123456789012:function:site-fn"


def _statement(action: Any = "lambda:InvokeFunction", resource: Any = GETATT, **extra: Any):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def _role(*statements: Any) -> dict[str, Any]:
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {"Statement": []},
            "Policies": [{"PolicyName": "invoke", "PolicyDocument": document}],
        },
    }


def _statements_after(resource: dict[str, Any]) -> list[Any]:
    after = transform(template(Caller=resource))["Resources"]["Caller"]["Properties"]
    document = (
        after["Policies"][0]["PolicyDocument"] if "Policies" in after else after["PolicyDocument"]
    )
    statements = document["Statement"]
    return statements if isinstance(statements, list) else [statements]


@pytest.mark.parametrize(
    "action",
    [
        pytest.param("lambda:InvokeFunction", id="invoke"),
        pytest.param("lambda:invokefunction", id="case-insensitive"),
        pytest.param(["sqs:SendMessage", "lambda:Invoke*"], id="invoke-wildcard-in-list"),
        pytest.param("lambda:*", id="lambda-star"),
        pytest.param("*", id="star"),
        pytest.param("lambda:InvokeFunctionUrl", id="function-url"),
    ],
)
def test_invoke_actions_are_widened(action: Any) -> None:
    (statement,) = _statements_after(_role(_statement(action)))
    assert statement["Resource"] == [GETATT, QUALIFIED]
    assert statement["Action"] == action


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param(_statement("lambda:GetFunction"), id="other-action"),
        pytest.param(_statement("lambda:InvokeAsync"), id="invoke-async"),
        pytest.param({**_statement(), "Effect": "Audit"}, id="not-allow-or-deny"),
        pytest.param(
            {
                "Effect": "Allow",
                "NotAction": ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"],
                "Resource": GETATT,
            },
            id="not-action-excludes-both-invokes",
        ),
        pytest.param(
            {"Effect": "Allow", "NotAction": "lambda:Invoke*", "Resource": GETATT},
            id="not-action-excludes-invoke-wildcard",
        ),
        pytest.param(
            {"Effect": "Allow", "NotAction": {"Ref": "Excluded"}, "Resource": GETATT},
            id="not-action-unresolved",
        ),
        pytest.param(
            {"Effect": "Allow", "Action": "lambda:InvokeFunction"},
            id="no-resource-at-all",
        ),
        pytest.param(_statement(resource="*"), id="any-resource"),
        pytest.param(_statement(resource={"Fn::Sub": "${Fn.Arn}:*"}), id="qualified-wildcard"),
        pytest.param(
            _statement(resource={"Fn::Sub": "arn:aws:lambda:*:*:function:site-fn*"}),
            id="name-wildcard",
        ),
        pytest.param(_statement(resource=[GETATT, ALIAS]), id="already-widened"),
        pytest.param(
            _statement(resource="arn:aws:lambda:us-east-1:123456789012:function:other"),
            id="other-function",
        ),
    ],
)
def test_statements_left_alone(statement: dict[str, Any]) -> None:
    assert _statements_after(_role(statement)) == [statement]


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        pytest.param(GETATT, [GETATT, QUALIFIED], id="getatt"),
        pytest.param([GETATT, "arn:aws:s3:::b"], [GETATT, QUALIFIED, "arn:aws:s3:::b"], id="list"),
        pytest.param(
            {"Fn::Sub": "${Fn.Arn}"},
            [{"Fn::Sub": "${Fn.Arn}"}, QUALIFIED],
            id="sub-arn",
        ),
        pytest.param(
            {
                "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
                ":function:${Fn}"
            },
            [
                {
                    "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
                    ":function:${Fn}"
                },
                {
                    "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
                    ":function:${Fn}:*"
                },
            ],
            id="sub-name-arn",
        ),
        pytest.param(LITERAL_ARN, [LITERAL_ARN, LITERAL_ARN + ":*"], id="literal-arn"),
        pytest.param(
            {"Fn::Join": ["", ["arn:aws:lambda:us-east-1:123456789012:function:", {"Ref": "Fn"}]]},
            [
                {
                    "Fn::Join": [
                        "",
                        ["arn:aws:lambda:us-east-1:123456789012:function:", {"Ref": "Fn"}],
                    ]
                },
                {
                    "Fn::Join": [
                        "",
                        ["arn:aws:lambda:us-east-1:123456789012:function:", {"Ref": "Fn"}, ":*"],
                    ]
                },
            ],
            id="join-name-built",
        ),
    ],
)
def test_resource_spellings(resource: Any, expected: list[Any]) -> None:
    """The twin is the resource's own spelling with `:*`: it never adds a dependency (on
    the alias, or on a function the resource only named by string)."""
    (statement,) = _statements_after(_role(_statement(resource=resource)))
    assert statement["Resource"] == expected


@pytest.mark.parametrize(
    "resource_type",
    [
        pytest.param("AWS::IAM::Policy", id="policy"),
        pytest.param("AWS::IAM::ManagedPolicy", id="managed-policy"),
        pytest.param("AWS::IAM::RolePolicy", id="role-policy"),
        pytest.param("AWS::IAM::UserPolicy", id="user-policy"),
        pytest.param("AWS::IAM::GroupPolicy", id="group-policy"),
    ],
)
def test_standalone_policies(resource_type: str) -> None:
    """Every standalone identity-policy type that can grant lambda:InvokeFunction is
    widened: a user or group calling the function through the alias needs the grant too."""
    resource = {
        "Type": resource_type,
        "Properties": {"PolicyDocument": {"Statement": _statement()}},
    }
    (statement,) = _statements_after(resource)
    assert statement["Resource"] == [GETATT, QUALIFIED]


def test_only_matching_statements_change_and_nothing_is_removed() -> None:
    other = _statement("s3:GetObject", "arn:aws:s3:::bucket/*")
    statements = _statements_after(_role(other, _statement()))
    assert statements == [other, _statement(resource=[GETATT, QUALIFIED])]


def test_widening_is_idempotent() -> None:
    once = transform(template(Caller=_role(_statement())))
    assert transform(once) == once


def test_grants_invoke_ignores_non_strings() -> None:
    assert grants_invoke({"Ref": "Action"}) is False
    assert grants_invoke(None) is False


def test_deny_is_widened_so_it_keeps_blocking_the_alias():
    """A Deny on the unqualified ARN alone would stop matching once callers use the alias."""
    (statement,) = _statements_after(_role({**_statement(), "Effect": "Deny"}))
    assert statement["Effect"] == "Deny"
    assert statement["Resource"] == [GETATT, QUALIFIED]


def test_resource_inside_fn_if_gets_a_qualified_twin_per_branch():
    resource = {"Fn::If": ["IsProd", GETATT, "arn:aws:s3:::b"]}
    (statement,) = _statements_after(_role(_statement(resource=resource)))
    assert statement["Resource"] == [
        resource,
        {"Fn::If": ["IsProd", QUALIFIED, {"Ref": "AWS::NoValue"}]},
    ]


@pytest.mark.parametrize("effect", ["Allow", "Deny"])
def test_not_resource_also_excludes_the_alias(effect: str) -> None:
    """`NotResource: Fn` means "every function but Fn". Left as it is, the alias would fall
    outside the exclusion: an Allow would start to grant it, a Deny would start to block
    the callers that now invoke it."""
    statement = {"Effect": effect, "Action": "lambda:InvokeFunction", "NotResource": GETATT}
    (after,) = _statements_after(_role(statement))
    assert after == {**statement, "NotResource": [GETATT, QUALIFIED]}


@pytest.mark.parametrize(
    "not_action",
    [
        pytest.param("iam:*", id="other-service"),
        pytest.param("lambda:InvokeFunction", id="leaves-invoke-function-url"),
        pytest.param(["lambda:Get*", "s3:*"], id="list"),
    ],
)
def test_not_action_that_leaves_an_invoke_is_widened(not_action: Any) -> None:
    statement = {"Effect": "Allow", "NotAction": not_action, "Resource": GETATT}
    (after,) = _statements_after(_role(statement))
    assert after == {**statement, "Resource": [GETATT, QUALIFIED]}


def test_resource_and_not_resource_widening_is_idempotent() -> None:
    statement = {"Effect": "Deny", "NotAction": "iam:*", "NotResource": [GETATT, "arn:aws:s3:::b"]}
    once = transform(template(Caller=_role(statement)))
    assert transform(once) == once


def test_every_identity_policy_type_in_the_schemas_is_in_the_catalog() -> None:
    """AWS::IAM types with a PolicyDocument (or Policies) property are exactly the catalog's
    identity-policy rows, so a new policy type cannot be missed by the widening."""
    from version_alias.data.tables import identity_policy_documents

    with_documents = {
        name
        for name, props in _iam_schema_properties().items()
        if "PolicyDocument" in props or "Policies" in props
    }
    assert with_documents == set(identity_policy_documents())


def _iam_schema_properties() -> dict[str, set[str]]:
    """Each AWS::IAM resource type's top-level properties, from the provider schemas
    cfn-lint ships."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    return {
        name: set(
            PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", name).schema["properties"]
        )
        for name in PROVIDER_SCHEMA_MANAGER.get_resource_types("us-east-1")
        if name.startswith("AWS::IAM::")
    }
