"""Identities of referenced resources: create-only properties, recursion, cycles, caching."""

from __future__ import annotations

from typing import Any

import pytest

from version_alias import TransformContext
from version_alias.versioning.hashing import function_hash
from version_alias.versioning.identity import IDENTITY, MAX_CHAIN, create_only_paths
from version_alias.versioning.resolve import Resolver


def resolver_for(**resources: Any) -> Resolver:
    return Resolver({"Resources": resources}, TransformContext())


def identity(resolver: Resolver, name: str, attribute: str | None = None) -> dict[str, Any]:
    return resolver.resource_identity(name, attribute)[IDENTITY]


@pytest.mark.parametrize(
    ("resource_type", "expected"),
    [
        pytest.param("AWS::IAM::Role", ("Path", "RoleName"), id="role"),
        pytest.param(
            "AWS::Lambda::LayerVersion",
            (
                "CompatibleArchitectures",
                "CompatibleRuntimes",
                "Content",
                "Description",
                "LayerName",
                "LicenseInfo",
            ),
            id="layer-every-property",
        ),
        pytest.param(
            "AWS::DynamoDB::Table",
            ("ImportSourceSpecification", "KeySchema", "TableName"),
            id="conditional-too",
        ),
        pytest.param("AWS::Lambda::CodeSigningConfig", (), id="known-type-nothing-create-only"),
        pytest.param("Custom::Thing", None, id="custom-all-properties"),
        pytest.param("AWS::CloudFormation::CustomResource", None, id="custom-resource"),
        pytest.param("AWS::CloudFormation::Stack", None, id="nested-stack-outputs"),
        pytest.param("Acme::Private::Widget", None, id="unknown-type-all-properties"),
    ],
)
def test_create_only_paths(resource_type: str, expected: tuple[str, ...] | None) -> None:
    assert create_only_paths(resource_type) == expected


def test_role_identity_has_name_and_path_but_not_policies() -> None:
    resolver = resolver_for(
        Role={
            "Type": "AWS::IAM::Role",
            "Properties": {"RoleName": "r", "Policies": [{"PolicyName": "p"}]},
        }
    )
    assert identity(resolver, "Role", "Arn") == {
        "LogicalId": "Role",
        "Type": "AWS::IAM::Role",
        "CreateOnly": {"RoleName": "r"},
        "Attribute": "Arn",
    }


def test_identity_follows_references_recursively_and_resolves_parameters() -> None:
    template = {
        "Parameters": {"Bucket": {"Type": "String", "Default": "artifacts"}},
        "Resources": {
            "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {}}},
            "Layer": {
                "Type": "AWS::Lambda::LayerVersion",
                "Properties": {
                    "Content": {"S3Bucket": {"Ref": "Bucket"}, "S3Key": "k"},
                    "Description": {"Fn::GetAtt": ["Key", "Arn"]},
                },
            },
        },
    }
    record = Resolver(template, TransformContext()).resource_identity("Layer", None)[IDENTITY]
    assert record["CreateOnly"] == {
        "Content": {"S3Bucket": "artifacts", "S3Key": "k"},
        "Description": {
            IDENTITY: {
                "LogicalId": "Key",
                "Type": "AWS::KMS::Key",
                "CreateOnly": {},
                "Attribute": "Arn",
            }
        },
    }


def test_updatable_properties_are_left_out() -> None:
    resolver = resolver_for(
        Esm={
            "Type": "AWS::Lambda::EventSourceMapping",
            "Properties": {
                "FunctionName": "f",
                "BatchSize": 10,
                "EventSourceArn": "arn:aws:sqs:us-east-1:1:q",
            },
        }
    )
    assert identity(resolver, "Esm")["CreateOnly"] == {
        "EventSourceArn": "arn:aws:sqs:us-east-1:1:q"
    }


def test_getatt_of_a_property_contributes_its_value() -> None:
    resolver = resolver_for(
        Setting={"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "v"}}
    )
    record = identity(resolver, "Setting", "Value")
    assert record["AttributeValue"] == "v"
    assert record["CreateOnly"] == {}


def test_custom_resource_contributes_all_properties() -> None:
    resolver = resolver_for(
        Lookup={"Type": "Custom::Lookup", "Properties": {"ServiceToken": "arn", "Key": "k"}}
    )
    assert identity(resolver, "Lookup", "Value")["Properties"] == {
        "ServiceToken": "arn",
        "Key": "k",
    }


def test_unknown_reference_stays_an_expression() -> None:
    resolver = resolver_for()
    assert resolver.resource_identity("Missing", None) == {"Ref": "Missing"}
    assert resolver.resource_identity("Missing", "Arn") == {"Fn::GetAtt": ["Missing", "Arn"]}


def cyclic() -> dict[str, Any]:
    def layer(other: str) -> dict[str, Any]:
        return {
            "Type": "AWS::Lambda::LayerVersion",
            "Properties": {"Description": {"Fn::GetAtt": [other, "LayerVersionArn"]}},
        }

    return {"A": layer("B"), "B": layer("A")}


def test_cycles_end_in_a_marker_instead_of_recursing_forever() -> None:
    resolver = resolver_for(**cyclic())
    record = identity(resolver, "A")
    inner = record["CreateOnly"]["Description"][IDENTITY]
    assert inner["LogicalId"] == "B"
    assert inner["CreateOnly"]["Description"][IDENTITY] == {
        "LogicalId": "A",
        "Type": "AWS::Lambda::LayerVersion",
        "Cycle": True,
        "Attribute": "LayerVersionArn",
    }


def test_cycle_results_do_not_depend_on_which_resource_was_reached_first() -> None:
    first = resolver_for(**cyclic())
    a_then_b = (identity(first, "A"), identity(first, "B"))
    second = resolver_for(**cyclic())
    b_then_a = (identity(second, "B"), identity(second, "A"))
    assert a_then_b == (b_then_a[1], b_then_a[0])


def test_long_chains_are_truncated_not_crashing() -> None:
    resources = {
        f"L{i}": {
            "Type": "AWS::Lambda::LayerVersion",
            "Properties": {"Description": {"Fn::GetAtt": [f"L{i + 1}", "LayerVersionArn"]}},
        }
        for i in range(200)
    }
    record = identity(resolver_for(**resources), "L0")
    depth = 0
    while "CreateOnly" in record:
        record = record["CreateOnly"]["Description"][IDENTITY]
        depth += 1
    assert record.get("Truncated") is True
    assert depth == MAX_CHAIN


def test_identities_are_computed_once_per_resource() -> None:
    resolver = resolver_for(
        Role={"Type": "AWS::IAM::Role", "Properties": {"RoleName": {"Fn::Sub": "r-${AWS::Region}"}}}
    )
    calls = 0
    original = resolver.resolve

    def counting(value: Any, depth: int = 0) -> Any:
        nonlocal calls
        calls += 1
        return original(value, depth)

    resolver.resolve = counting  # type: ignore[method-assign]
    first = identity(resolver, "Role")
    after_first = calls
    for _ in range(5):
        assert identity(resolver, "Role", "Arn")["CreateOnly"] == first["CreateOnly"]
    assert calls == after_first


def test_wildcard_paths_pick_inside_lists() -> None:
    resolver = resolver_for(
        Replicator={
            "Type": "AWS::MSK::Replicator",
            "Properties": {
                "ReplicatorName": "r",
                "ReplicationInfoList": [
                    {"SourceKafkaClusterArn": "a", "TargetKafkaClusterArn": "b", "Other": 1},
                    {"SourceKafkaClusterArn": "c", "TargetKafkaClusterArn": "d", "Other": 2},
                ],
            },
        }
    )
    create_only = identity(resolver, "Replicator")["CreateOnly"]
    assert create_only["ReplicationInfoList.*.SourceKafkaClusterArn"] == ["a", "c"]
    assert create_only["ReplicationInfoList.*.TargetKafkaClusterArn"] == ["b", "d"]
    assert create_only["ReplicationInfoList.*.TargetCompressionType"] == [None, None]
    assert "Other" not in str(create_only)


def test_function_hash_names_the_identities_it_followed() -> None:
    resolver = resolver_for(
        Role={"Type": "AWS::IAM::Role", "Properties": {}},
        Layer={"Type": "AWS::Lambda::LayerVersion", "Properties": {"Content": {}}},
    )
    properties = {
        "Role": {"Fn::GetAtt": ["Role", "Arn"]},
        "Layers": [{"Ref": "Layer"}],
        "Tags": [{"Key": "k", "Value": {"Ref": "Missing"}}],
        "Mystery": 1,
    }
    result = function_hash(properties, resolver, None, "Fn")
    assert result.identities == ("Layer", "Role")
    assert result.unclassified == ("Mystery",)
    assert "Tags" not in result.locked


def _version_of(template: dict[str, Any], function_id: str) -> str:
    from version_alias import transform

    resources = transform(template)["Resources"]
    (found,) = [key for key in resources if key.startswith(f"{function_id}Version")]
    return found


def _fn(**variables: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Handler": "index.handler",
            "Runtime": "python3.13",
            "Role": "arn:aws:iam::123456789012:role/r",
            "Code": {"ZipFile": "x"},
            "Environment": {"Variables": variables},
        },
    }


def _chain(length: int) -> dict[str, Any]:
    return {
        f"R{index}": {"Type": "Custom::Thing", "Properties": {"Next": {"Ref": f"R{index + 1}"}}}
        for index in range(length)
    }


@pytest.mark.parametrize(
    ("others", "resources"),
    [
        pytest.param({"G": _fn(A={"Ref": "R1"})}, _chain(18), id="chain-over-the-limit-via-ref"),
        pytest.param(
            {"G": _fn(A={"Fn::Sub": "x-${R1}"})}, _chain(18), id="chain-over-the-limit-via-sub"
        ),
        pytest.param(
            {"G": _fn(A={"Fn::GetAtt": ["R1", "Next"]})}, _chain(18), id="chain-via-getatt"
        ),
        pytest.param(
            {"G": _fn(A={"Ref": "B"})},
            {
                "A": {"Type": "Custom::Thing", "Properties": {"Peer": {"Ref": "B"}}},
                "B": {"Type": "Custom::Thing", "Properties": {"Peer": {"Ref": "A"}}},
            },
            id="cycle",
        ),
    ],
)
def test_a_functions_version_does_not_depend_on_other_functions(
    others: dict[str, Any], resources: dict[str, Any]
) -> None:
    """Resolution caches must not carry a result computed from one starting point (marked
    by the cycle guard or the chain limit) into another function's identity chain."""
    first = "A" if "A" in resources else "R0"
    alone = {"Resources": {**resources, "F": _fn(B={"Ref": first})}}
    with_other_first = {"Resources": {**resources, **others, "F": _fn(B={"Ref": first})}}
    assert _version_of(with_other_first, "F") == _version_of(alone, "F")
