"""The version-locked property table covers every property the CloudFormation schema has."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from version_alias.data.schema_data import LAMBDA_FUNCTION_PROPERTIES
from version_alias.data.tables import function_properties, is_version_locked

TABLE = Path(__file__).resolve().parents[1] / "macro" / "version_alias" / "data"
API = ("CreateFunction", "UpdateFunction", "Put", "TagResource", "PublishVersion")


def test_every_schema_property_is_classified() -> None:
    locked, function_level = function_properties()
    unclassified = sorted(set(LAMBDA_FUNCTION_PROPERTIES) - set(locked) - set(function_level))
    assert unclassified == [], "classify these in data/function_properties.json"


def test_no_property_is_both_locked_and_function_level() -> None:
    locked, function_level = function_properties()
    assert set(locked).isdisjoint(function_level)


def test_every_row_names_the_lambda_api_that_sets_it() -> None:
    locked, function_level = function_properties()
    for name, source in {**locked, **function_level}.items():
        assert source.startswith(API), name


def test_comment_cites_the_lambda_api_reference() -> None:
    raw = json.loads((TABLE / "function_properties.json").read_text(encoding="utf-8"))
    for api in ("UpdateFunctionCode", "UpdateFunctionConfiguration", "PutFunctionConcurrency"):
        assert f"https://docs.aws.amazon.com/lambda/latest/api/API_{api}.html" in raw["_comment"]


@pytest.mark.parametrize(
    ("name", "locked"),
    [
        pytest.param("Code", True, id="code"),
        pytest.param("Layers", True, id="layers"),
        pytest.param("Environment", True, id="environment"),
        pytest.param("Description", True, id="description"),
        pytest.param("Tags", False, id="tags"),
        pytest.param("ReservedConcurrentExecutions", False, id="reserved-concurrency"),
        pytest.param("RecursiveLoop", False, id="recursive-loop"),
        pytest.param("CodeSigningConfigArn", False, id="code-signing"),
        pytest.param("SomeFutureProperty", True, id="unknown-counts-as-locked"),
    ],
)
def test_classification(name: str, locked: bool) -> None:
    assert is_version_locked(name) is locked
