"""Properties of the canonical form: what must never change a version ID."""

from __future__ import annotations

import json
import random
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from version_alias import TransformContext
from version_alias.versioning.hashing import version_digest
from version_alias.versioning.resolve import Resolver

KEYS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ_", min_size=1, max_size=8)
TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=20)
SCALARS = st.one_of(st.booleans(), st.integers(-(10**6), 10**6), TEXT)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)
PROPERTIES = st.fixed_dictionaries(
    {
        "Runtime": st.sampled_from(["python3.13", "nodejs22.x"]),
        "MemorySize": st.integers(128, 10240),
        "Environment": st.fixed_dictionaries(
            {"Variables": st.dictionaries(KEYS, st.one_of(TEXT, st.integers(0, 999)), max_size=6)}
        ),
        "Code": st.fixed_dictionaries({"S3Bucket": TEXT, "S3Key": TEXT}),
        "ImageConfig": st.dictionaries(KEYS, VALUES, max_size=3),
    }
)


def digest(properties: dict[str, Any]) -> str:
    template = {"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": properties}}}
    return version_digest(properties, Resolver(template, TransformContext()), None, "Fn")


def shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {key: shuffled(value[key], rng) for key in keys}
    if isinstance(value, list):
        return [shuffled(item, rng) for item in value]
    return value


def stringified(value: Any) -> Any:
    """Every number and boolean as the string CloudFormation would pass to Lambda."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return {key: stringified(item) for key, item in value.items()}
    if isinstance(value, list):
        return [stringified(item) for item in value]
    return value


@settings(max_examples=150, deadline=None)
@given(PROPERTIES, st.randoms(use_true_random=False))
def test_key_order_never_matters(properties: dict[str, Any], rng: random.Random) -> None:
    assert digest(shuffled(properties, rng)) == digest(properties)


@settings(max_examples=100, deadline=None)
@given(
    PROPERTIES,
    st.sampled_from(
        [
            lambda v: yaml.safe_load(yaml.safe_dump(v)),
            lambda v: yaml.safe_load(yaml.safe_dump(v, default_flow_style=True, width=20)),
            lambda v: yaml.safe_load(yaml.safe_dump(v, default_style='"', indent=4)),
            lambda v: json.loads(json.dumps(v)),
            lambda v: json.loads(json.dumps(v, indent=7, ensure_ascii=True)),
            lambda v: yaml.safe_load(json.dumps(v, indent=2)),
        ]
    ),
)
def test_yaml_or_json_formatting_never_matters(properties: dict[str, Any], reformat) -> None:
    assert digest(reformat(properties)) == digest(properties)


@settings(max_examples=100, deadline=None)
@given(PROPERTIES)
def test_numbers_and_booleans_hash_as_their_strings(properties: dict[str, Any]) -> None:
    assert digest(stringified(properties)) == digest(properties)


def test_scalar_128_and_string_128_are_the_same() -> None:
    base = {"Runtime": "python3.13", "MemorySize": 128}
    assert digest(base) == digest({**base, "MemorySize": "128"})
    assert digest(base) != digest({**base, "MemorySize": "256"})


@settings(max_examples=100, deadline=None)
@given(PROPERTIES, PROPERTIES)
def test_different_locked_properties_give_different_digests(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    if stringified(first) != stringified(second):
        assert digest(first) != digest(second)
