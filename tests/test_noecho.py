"""NoEcho values reach the hash only through a slow, salted derivation, and never the output."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest

from conftest import function, template
from version_alias import TransformContext, transform
from version_alias import handler as handler_module
from version_alias.handler import handle
from version_alias.versioning.hashing import function_hash
from version_alias.versioning.noecho import ITERATIONS, Secret, derive
from version_alias.versioning.resolve import Resolver

SECRET = "correct-horse-battery-staple"


def secret_template(**extra: Any) -> dict[str, Any]:
    body = template(
        Fn=function(Environment={"Variables": {"KEY": {"Ref": "ApiKey"}}}),
        Gn=function(Environment={"Variables": {"KEY": {"Fn::Sub": "key=${ApiKey}"}}}),
    )
    body["Parameters"] = {"ApiKey": {"Type": "String", "NoEcho": True, **extra}}
    return body


def context(value: str, **kwargs: Any) -> TransformContext:
    return TransformContext(parameter_values={"ApiKey": value}, **kwargs)


def test_iterations_meet_the_minimum() -> None:
    assert ITERATIONS >= 100_000


def test_derivation_is_pbkdf2_salted_with_account_and_region_then_bound_to_the_function() -> None:
    salt = b"version-alias/noecho/1\x00123456789012\x00us-east-1"
    key = hashlib.pbkdf2_hmac("sha256", SECRET.encode(), salt, ITERATIONS)
    expected = hmac.new(key, b"Fn", hashlib.sha256).hexdigest()
    assert derive(SECRET, "123456789012", "us-east-1", "Fn") == expected


@pytest.mark.parametrize(
    ("account", "region", "function_id"),
    [
        pytest.param("210987654321", "us-east-1", "Fn", id="other-account"),
        pytest.param("123456789012", "eu-west-1", "Fn", id="other-region"),
        pytest.param("123456789012", "us-east-1", "Gn", id="other-function"),
    ],
)
def test_every_salt_component_changes_the_derivation(
    account: str, region: str, function_id: str
) -> None:
    assert derive(SECRET, account, region, function_id) != derive(
        SECRET, "123456789012", "us-east-1", "Fn"
    )


def test_hash_input_holds_the_derivation_never_the_value() -> None:
    body = secret_template()
    resolver = Resolver(body, context(SECRET))
    result = function_hash(body["Resources"]["Fn"]["Properties"], resolver, None, "Fn")
    text = json.dumps(result.locked)
    assert SECRET not in text
    assert derive(SECRET, "123456789012", "us-east-1", "Fn") in text
    assert result.no_echo == ("ApiKey",)


def test_secret_repr_hides_the_value() -> None:
    assert SECRET not in repr(Secret("ApiKey", SECRET))


def test_value_never_appears_in_the_processed_template_or_logs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(handler_module, "LOG_LEVEL", "DEBUG")
    event = {
        "requestId": "r",
        "region": "us-east-1",
        "accountId": "123456789012",
        "fragment": secret_template(),
        "templateParameterValues": {"ApiKey": SECRET},
    }
    response = handle(event)
    assert response["status"] == "success"
    assert SECRET not in json.dumps(response)
    captured = capsys.readouterr()
    assert json.loads(captured.out)["requestId"] == "r"  # the line was written
    assert SECRET not in captured.out + captured.err


def versions(body: dict[str, Any], ctx: TransformContext) -> dict[str, str]:
    processed = transform(body, ctx)["Resources"]
    return {
        resource["Properties"]["FunctionName"]["Ref"]: key
        for key, resource in processed.items()
        if resource["Type"] == "AWS::Lambda::Version"
    }


def test_a_new_secret_value_publishes_new_versions_of_the_functions_using_it() -> None:
    old = versions(secret_template(), context("one"))
    new = versions(secret_template(), context("two"))
    assert old["Fn"] != new["Fn"]
    assert old["Gn"] != new["Gn"]


def test_a_masked_value_is_stable_and_never_churns() -> None:
    assert versions(secret_template(), context("****")) == versions(
        secret_template(), context("****")
    )


def test_default_value_of_a_noecho_parameter_is_derived_too() -> None:
    body = secret_template(Default=SECRET)
    resolver = Resolver(body, TransformContext())
    result = function_hash(body["Resources"]["Fn"]["Properties"], resolver, None, "Fn")
    assert SECRET not in json.dumps(result.locked)


def test_conditions_on_a_noecho_value_still_evaluate() -> None:
    body = secret_template()
    body["Conditions"] = {"Empty": {"Fn::Equals": [{"Ref": "ApiKey"}, ""]}}
    body["Resources"]["Fn"]["Properties"]["Environment"]["Variables"]["MODE"] = {
        "Fn::If": ["Empty", "open", "locked"]
    }
    resolver = Resolver(body, context(SECRET))
    locked = function_hash(body["Resources"]["Fn"]["Properties"], resolver, None, "Fn").locked
    assert locked["Environment"]["Variables"]["MODE"] == "locked"


def test_each_value_is_stretched_once_per_transform() -> None:
    body = secret_template()
    body["Resources"]["Fn"]["Properties"]["Environment"]["Variables"]["AGAIN"] = {"Ref": "ApiKey"}
    resolver = Resolver(body, context(SECRET))
    function_hash(body["Resources"]["Fn"]["Properties"], resolver, None, "Fn")
    function_hash(body["Resources"]["Gn"]["Properties"], resolver, None, "Gn")
    assert len(resolver._deriver._cache) == 1
