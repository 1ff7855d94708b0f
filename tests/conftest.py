"""Shared fixtures: template builders and the corpus location."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


def function(**properties: Any) -> dict[str, Any]:
    """A minimal AWS::Lambda::Function resource."""
    base = {
        "Runtime": "python3.13",
        "Handler": "index.handler",
        "Role": "arn:aws:iam::123456789012:role/fn",
        "Code": {"S3Bucket": "bucket", "S3Key": "code.zip"},
    }
    base.update(properties)
    return {"Type": "AWS::Lambda::Function", "Properties": base}


def template(**resources: Any) -> dict[str, Any]:
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


@pytest.fixture
def frozen():
    """Returns a checker that the transform did not mutate its input."""

    def check(value: Any):
        snapshot = copy.deepcopy(value)
        return lambda: value == snapshot

    return check


def corpus_or_skip() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS
