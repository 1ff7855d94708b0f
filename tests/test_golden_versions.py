"""The stability promise: the version logical IDs of every sample, pinned.

A failure here means every deployed function would publish a new version on its next
deploy. If that is deliberate, bump SCHEME_VERSION in hashing.py, add a CHANGELOG.md
entry, and update the IDs below by hand after reading why they changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from version_alias.cli.support.pipeline import render
from version_alias.cli.support.samples import SAMPLE_CONTEXT, sample_sources
from version_alias.cli.support.template_io import load_template
from version_alias.versioning.hashing import SCHEME_VERSION

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

GOLDEN = {
    "canary/cloudformation.yaml": [
        "CheckoutFunctionVersionc7c49b6a94",
        "PreTrafficHookVersioncaa9ed7ad4",
    ],
    "env-var-rename/cloudformation.yaml": ["OrdersFunctionVersiona65771b027"],
    "env-var-rename/sam.yaml": ["OrdersFunctionVersion2157b13b0c"],
    "event-driven-app/cloudformation.yaml": ["IngestFunctionVersionc9b2afa478"],
    "rest-api-authorizer/cloudformation.yaml": [
        "AuthorizerFunctionVersionfc5830f5c5",
        "HelloFunctionVersion17028ff283",
    ],
}


def test_scheme_version_is_1() -> None:
    assert SCHEME_VERSION == 1


def test_every_sample_is_pinned() -> None:
    found = {str(path.relative_to(SAMPLES)) for path in sample_sources(SAMPLES)}
    assert found == set(GOLDEN)


@pytest.mark.parametrize(
    ("sample", "expected"), [pytest.param(*row, id=row[0]) for row in GOLDEN.items()]
)
def test_version_ids_of_samples(sample: str, expected: list[str]) -> None:
    path = SAMPLES / sample
    rendered = render(load_template(str(path)), SAMPLE_CONTEXT, base=path.parent)
    versions = sorted(
        logical_id
        for logical_id, resource in rendered.template["Resources"].items()
        if resource["Type"] == "AWS::Lambda::Version"
    )
    assert versions == expected
