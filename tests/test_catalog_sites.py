"""One test per catalog row (and per look-alike), generated from invocation_sites.json.

Adding a row to the table adds its tests: a template with the function referenced at
the row's path, what the site resolves to after the transform, and what the checker
says before and after.
"""

from __future__ import annotations

from typing import Any

import pytest

from site_helpers import (
    ALIAS_ID,
    CONSUMER_ID,
    FUNCTION_ID,
    FUNCTION_NAME,
    concrete,
    consumer,
    put,
    resolves,
    satisfying,
    template,
    version_id,
)
from version_alias import TransformError, transform
from version_alias.data.tables import InvocationSite, invocation_sites, not_sites
from version_alias.invokers.checker import check
from version_alias.template import paths

LITERAL_ARN = f"arn:aws:lambda:us-east-1:123456789012:function:{FUNCTION_NAME}"


def _row_id(site: InvocationSite) -> str:
    return f"{site.resource_type.removeprefix('AWS::')}:{site.path}"


ROWS = [pytest.param(site, id=_row_id(site)) for site in invocation_sites()]
VALUE_ROWS = [row for row in ROWS if row.values[0].accepts != "qualifier"]
QUALIFIER_ROWS = [row for row in ROWS if row.values[0].accepts == "qualifier"]

# Every spelling of "the function" that a site may hold.
SPELLINGS = [
    pytest.param({"Fn::GetAtt": [FUNCTION_ID, "Arn"]}, id="getatt"),
    pytest.param({"Fn::GetAtt": f"{FUNCTION_ID}.Arn"}, id="getatt-dotted"),
    pytest.param({"Ref": FUNCTION_ID}, id="ref"),
    pytest.param({"Fn::Sub": "${Fn.Arn}"}, id="sub-arn"),
    pytest.param({"Fn::Sub": "${Fn.Arn}:$LATEST"}, id="sub-latest"),
    pytest.param(
        {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}"},
        id="sub-name-arn",
    ),
    pytest.param({"Fn::Join": ["", [{"Fn::GetAtt": ["Fn", "Arn"]}, ":$LATEST"]]}, id="join-latest"),
    pytest.param(
        {"Fn::If": ["Always", {"Fn::GetAtt": ["Fn", "Arn"]}, {"Ref": "Fn"}]}, id="if-branches"
    ),
    pytest.param(FUNCTION_NAME, id="literal-name"),
    pytest.param(LITERAL_ARN, id="literal-arn"),
    pytest.param(f"{LITERAL_ARN}:$LATEST", id="literal-arn-latest"),
]


def _at(output: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    return paths.get(output["Resources"][CONSUMER_ID]["Properties"], path)


def _finding_paths(tpl: dict[str, Any]) -> list[tuple[str | int, ...]]:
    return [finding.path for finding in check(tpl) if finding.resource_id == CONSUMER_ID]


@pytest.mark.parametrize("site", VALUE_ROWS)
def test_value_site_points_at_alias_or_version(site: InvocationSite) -> None:
    before = template(**{CONSUMER_ID: consumer(site, {"Fn::GetAtt": [FUNCTION_ID, "Arn"]})})
    path = concrete(site.path)
    assert _finding_paths(before) == [path]
    output = transform(before)
    expected = f"<{version_id(output)}>" if site.accepts == "version" else f"<{ALIAS_ID}>"
    assert resolves(_at(output, path)) == {expected}
    assert _finding_paths(output) == []


@pytest.mark.parametrize("site", QUALIFIER_ROWS)
@pytest.mark.parametrize(
    "qualifier", [pytest.param("$LATEST", id="latest"), pytest.param(None, id="absent")]
)
def test_qualifier_site_gets_alias_name(site: InvocationSite, qualifier: str | None) -> None:
    before = template(**{CONSUMER_ID: consumer(site, {"Ref": FUNCTION_ID}, qualifier)})
    path = concrete(site.path)
    assert _finding_paths(before) == [path]
    output = transform(before)
    assert _at(output, path) == "live"
    assert output["Resources"][CONSUMER_ID]["DependsOn"] == ALIAS_ID
    assert _finding_paths(output) == []


@pytest.mark.parametrize("site", QUALIFIER_ROWS)
def test_qualifier_site_keeps_pinned_qualifier(site: InvocationSite) -> None:
    before = template(**{CONSUMER_ID: consumer(site, {"Ref": FUNCTION_ID}, "3")})
    assert _finding_paths(before) == []
    assert transform(before)["Resources"][CONSUMER_ID] == before["Resources"][CONSUMER_ID]


@pytest.mark.parametrize("site", VALUE_ROWS)
def test_missing_resource_at_site_is_named(site: InvocationSite) -> None:
    before = template(**{CONSUMER_ID: consumer(site, {"Fn::GetAtt": ["Missing", "Arn"]})})
    where = ".".join(str(part) for part in concrete(site.path))
    with pytest.raises(TransformError, match=r"references Missing, which is not a resource") as err:
        transform(before)
    assert err.value.path == ("Resources", CONSUMER_ID, "Properties", *concrete(site.path))
    assert where.split(".")[0] in str(err.value)


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("site", VALUE_ROWS)
def test_every_spelling_is_recognised(site: InvocationSite, spelling: Any) -> None:
    before = template(**{CONSUMER_ID: consumer(site, spelling)})
    path = concrete(site.path)
    assert _finding_paths(before), "the checker must see the unqualified reference"
    output = transform(before)
    expected = f"<{version_id(output)}>" if site.accepts == "version" else f"<{ALIAS_ID}>"
    assert resolves(_at(output, path)) == {expected}
    assert _finding_paths(output) == []


NOT_SITES = [
    pytest.param(
        row, id=f"{(row.resource_type or row.section or '').removeprefix('AWS::')}:{row.path}"
    )
    for row in not_sites()
]


@pytest.mark.parametrize("row", NOT_SITES)
def test_look_alike_is_left_alone(row: Any) -> None:
    value = {"Fn::GetAtt": [FUNCTION_ID, "Arn"]}
    tpl = template()
    if row.resource_type is None:  # a template section such as Outputs
        section: dict[str, Any] = {}
        put(section, concrete(row.path), value)
        tpl[row.section] = section
        output = transform(tpl)
        assert output[row.section] == section
        return
    resource_type = row.resource_type.replace("*", "Thing")
    resource: dict[str, Any] = {"Type": resource_type, "Properties": {}}
    if row.when is not None:
        put(resource["Properties"], concrete(row.when.path), satisfying(row.when))
    holder = resource.setdefault(row.section, {}) if row.section else resource["Properties"]
    put(holder, concrete(row.path), value)
    tpl["Resources"][CONSUMER_ID] = resource
    output = transform(tpl)
    if resource_type == "AWS::Lambda::Version":
        # One function, one version: the macro's version takes this one over and names the
        # function the same unqualified way.
        versions = [r for r in output["Resources"].values() if r["Type"] == resource_type]
        assert CONSUMER_ID not in output["Resources"]
        assert [v["Properties"]["FunctionName"] for v in versions] == [{"Ref": FUNCTION_ID}]
        return
    after = output["Resources"][CONSUMER_ID]
    after_holder = after[row.section] if row.section else after["Properties"]
    assert paths.get(after_holder, concrete(row.path)) == value
    if resource_type != "AWS::Lambda::Function":  # a function gets its Description stamp
        assert after == resource
    assert _finding_paths(tpl) == []
