"""The invariant's measure: cfn-lint errors the macro adds to a template."""

from __future__ import annotations

from lint_diff import added_errors
from version_alias import transform

NEVER = {
    "Always": {"Fn::Equals": ["", ""]},
    "NotAlways": {"Fn::Not": [{"Condition": "Always"}]},
    "Never": {"Fn::And": [{"Condition": "NotAlways"}, {"Condition": "Always"}]},
}


def test_cfn_lint_exception_on_a_condition_that_never_holds_is_not_an_added_error() -> None:
    """cfn-lint raises on every resource under a Condition that can never hold (found by
    make fuzz); the version and alias inherit the function's Condition and meet the same
    exception, which the template as written already had."""
    template = {
        "Conditions": NEVER,
        "Resources": {
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Condition": "Never",
                "Properties": {
                    "Runtime": "python3.13",
                    "Handler": "index.handler",
                    "Role": "arn:aws:iam::123456789012:role/fn",
                    "Code": {"ZipFile": "def handler(e, c): return e"},
                },
            }
        },
    }
    assert added_errors(template, transform(template), depth=4) == []


def test_an_error_the_macro_adds_is_reported() -> None:
    before = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}
    after = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"Nope": 1}}}}
    assert [text.split(" ")[0] for text in added_errors(before, after)] == ["E3002"]
