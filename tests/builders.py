"""Small resources that tests build their templates from."""

from __future__ import annotations

from typing import Any

ROLE_ARN = "arn:aws:iam::123456789012:role/fn"


def zip_function(**properties: Any) -> dict[str, Any]:
    """An AWS::Lambda::Function with inline code; `properties` add to or replace its own."""
    base = {
        "Runtime": "python3.13",
        "Handler": "index.handler",
        "Role": ROLE_ARN,
        "Code": {"ZipFile": "def handler(e, c): return e"},
    }
    return {"Type": "AWS::Lambda::Function", "Properties": {**base, **properties}}
