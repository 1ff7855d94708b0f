"""Tests for version_alias.cli.support.template_io: loading as cfn-lint does, short-form YAML
dumping."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from version_alias.cli.support.template_io import TemplateLoadError, dump_template, load_template

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
# Published with a duplicate key, which cfn-lint (rightly) rejects.
DUPLICATE_KEY_FILE = "serverless-patterns/cloudfront-lambda-url-rust.yaml"
PLAIN_TYPES = (dict, list, str, int, float, bool, type(None))
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def corpus_rows() -> list[dict[str, str]]:
    if not CORPUS.is_dir():
        return []
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def corpus_params(rows: list[dict[str, str]]) -> list[Any]:
    """One param per corpus file, or a single skipped param when the corpus is absent."""
    if not rows:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no corpus at {CORPUS}"))]
    return [pytest.param(row["file"], id=row["file"]) for row in rows]


PARSABLE = [row for row in corpus_rows() if row["file"] != DUPLICATE_KEY_FILE]
DATED = [row for row in PARSABLE if "unquoted YAML date" in row["notes"]]


def load_text(text: str) -> dict[str, Any]:
    """Load through the ``-`` (stdin) path, so the tests cover it too."""
    with mock.patch("sys.stdin", io.StringIO(text)):
        return load_template("-")


def assert_plain(value: Any, where: str = "") -> None:
    """Every node is exactly a plain builtin type (not a subclass such as cfn-lint's nodes)."""
    assert type(value) in PLAIN_TYPES, f"{where}: {type(value)!r}"
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str, f"{where}: key {type(key)!r}"
            assert_plain(item, f"{where}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_plain(item, f"{where}/{index}")


def walk_scalars(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in walk_scalars(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in walk_scalars(item)]
    return [value]


# --------------------------------------------------------------------------------------------
# load_template
# --------------------------------------------------------------------------------------------

SHORT_FORM = """\
AWSTemplateFormatVersion: 2010-09-09
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
      Address: !GetAtt Db.Endpoint.Address
      Name: !Sub "${AWS::StackName}-fn"
      Layers:
        - !If [IsProd, !Ref Layer, !Ref AWS::NoValue]
      When: !Condition IsProd
      Stamp: 2001-12-14t21:59:43.10-05:00
      Count: 3
      Ratio: 0.5
      Flag: yes
      Nothing: null
"""


def test_load_short_form_tags_become_long_form_plain_objects(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(SHORT_FORM, encoding="utf-8")
    template = load_template(str(path))
    assert_plain(template)
    assert template == {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
        "Resources": {
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                    "Address": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
                    "Name": {"Fn::Sub": "${AWS::StackName}-fn"},
                    "Layers": [{"Fn::If": ["IsProd", {"Ref": "Layer"}, {"Ref": "AWS::NoValue"}]}],
                    "When": {"Condition": "IsProd"},
                    "Stamp": "2001-12-14T21:59:43.100000-05:00",
                    "Count": 3,
                    "Ratio": 0.5,
                    "Flag": True,
                    "Nothing": None,
                },
            }
        },
    }


def test_load_keeps_key_order(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("Resources: {}\nZeta: 1\nAlpha: 2\nMiddle: 3\n", encoding="utf-8")
    assert list(load_template(str(path))) == ["Resources", "Zeta", "Alpha", "Middle"]


def test_load_json(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{\n\t"B": {"Ref": "A"},\n\t"A": [1, 2.5, true, null]\n}\n', encoding="utf-8")
    template = load_template(str(path))
    assert_plain(template)
    assert template == {"B": {"Ref": "A"}, "A": [1, 2.5, True, None]}
    assert list(template) == ["B", "A"]


def test_load_stdin() -> None:
    assert load_text("Resources:\n  A:\n    Type: !Ref T\n") == {
        "Resources": {"A": {"Type": {"Ref": "T"}}}
    }


def test_duplicate_key_names_file_line_and_problem(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("Resources:\n  A: 1\n  B: 2\n  A: 3\n", encoding="utf-8")
    with pytest.raises(TemplateLoadError) as caught:
        load_template(str(path))
    assert str(caught.value) == (
        f"{path}:4:3: duplicate key 'A' (first at line 2). Fix: remove or rename one of "
        "them; CloudFormation would keep only one"
    )


def test_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("Resources:\n  A: [1,\n", encoding="utf-8")
    with pytest.raises(TemplateLoadError, match=rf"{path}:3:1: "):
        load_template(str(path))


def test_duplicate_key_on_stdin_is_named_stdin() -> None:
    with pytest.raises(TemplateLoadError, match=r"^<stdin>:2:1: duplicate key 'A'"):
        load_text("A: 1\nA: 2\n")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(TemplateLoadError, match=rf"^{path}: no such file$"):
        load_template(str(path))


def test_directory_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(TemplateLoadError, match="is a directory"):
        load_template(str(tmp_path))


def test_top_level_must_be_a_mapping() -> None:
    with pytest.raises(
        TemplateLoadError, match=r"^<stdin>:1:1: .* mapping at top level, not a list"
    ):
        load_text("- 1\n- 2\n")


def test_empty_document_is_refused() -> None:
    with pytest.raises(TemplateLoadError, match=r"^<stdin>:1:1: the file is empty, no template"):
        load_text("")


# --------------------------------------------------------------------------------------------
# dump_template
# --------------------------------------------------------------------------------------------

SAMPLE: dict[str, Any] = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Conditions": {
        "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
        "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Fn::Not": [{"Condition": "IsProd"}]}]},
    },
    "Resources": {
        "Fn": {
            "Type": "AWS::Lambda::Function",
            "Condition": "IsProd",
            "Properties": {
                "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                "Layers": [{"Fn::If": ["IsProd", {"Ref": "Layer"}, {"Ref": "AWS::NoValue"}]}],
                "Code": {"ZipFile": "def handler(e, c):\n    return 1\n"},
                "Address": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
                "Dotted": {"Fn::GetAtt": ["a.b", "c"]},
                "StrAtt": {"Fn::GetAtt": "Role.Arn"},
                "UserData": {"Fn::Base64": {"Fn::Sub": "echo ${AWS::Region}"}},
                "Strings": ["true", "123", "2012-10-17", "null", "0o17", "", "yes", "1e5"],
                "NumRef": {"Ref": 5},
                "FnRef": {"Fn::Ref": "X"},
                "Long": "x" * 200 + " " + "y" * 200,
                "Empty": {},
                "EmptyList": [],
            },
        }
    },
}

SAMPLE_YAML = f"""\
AWSTemplateFormatVersion: '2010-09-09'
Conditions:
  IsProd: !Equals
    - !Ref Env
    - prod
  Both: !And
    - Condition: IsProd
    - !Not
      - Condition: IsProd
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Condition: IsProd
    Properties:
      Role: !GetAtt Role.Arn
      Layers:
        - !If
          - IsProd
          - !Ref Layer
          - !Ref AWS::NoValue
      Code:
        ZipFile: |
          def handler(e, c):
              return 1
      Address: !GetAtt Db.Endpoint.Address
      Dotted: !GetAtt
        - a.b
        - c
      StrAtt:
        Fn::GetAtt: Role.Arn
      UserData:
        Fn::Base64: !Sub echo ${{AWS::Region}}
      Strings:
        - 'true'
        - '123'
        - '2012-10-17'
        - 'null'
        - '0o17'
        - ''
        - 'yes'
        - '1e5'
      NumRef:
        Ref: 5
      FnRef:
        Fn::Ref: X
      Long: {"x" * 200} {"y" * 200}
      Empty: {{}}
      EmptyList: []
"""


def test_dump_yaml_exact() -> None:
    assert dump_template(SAMPLE) == SAMPLE_YAML


def test_dump_yaml_round_trips_sample() -> None:
    assert load_text(dump_template(SAMPLE)) == SAMPLE


def test_dump_json_exact() -> None:
    template = {"B": "é", "A": [1, {"Ref": "X"}]}
    expected = '{\n  "B": "é",\n  "A": [\n    1,\n    {\n      "Ref": "X"\n    }\n  ]\n}\n'
    assert dump_template(template, "json") == expected


def test_dump_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown template format 'toml'"):
        dump_template({}, "toml")


def test_dump_does_not_mutate_and_is_deterministic() -> None:
    before = json.dumps(SAMPLE)
    assert dump_template(SAMPLE) == dump_template(json.loads(before))
    assert json.dumps(SAMPLE) == before


def test_multiline_sub_is_a_literal_block() -> None:
    text = dump_template({"A": {"Fn::Sub": "line ${X}\nline 2\n"}})
    assert text == "A: !Sub |\n  line ${X}\n  line 2\n"


# --------------------------------------------------------------------------------------------
# Round trip: hypothesis
# --------------------------------------------------------------------------------------------

# fmt: off
TRICKY = [
    "true", "False", "yes", "no", "on", "off", "y", "n", "null", "Null", "~", "",
    "123", "-1", "0x1F", "0o17", "017", "0b101", "1_000", "1:30", "1e5", "1.5e+3", ".5",
    ".inf", "-.inf", ".nan", "2012-10-17", "2010-09-09T12:00:00Z", "=", "<<", "-", "- x",
    "? x", ": x", "a: b", "a #b", "#c", "!Ref X", "!!str", "&a", "*a", "|", ">", "@x", "`x",
    "%x", "{x}", "[x]", "'q'", '"q"', " lead", "trail ", "a\nb", "a\n", "\n", "a\n\n",
    " x\ny", "x \ny", "\tx", "a\tb", "${AWS::Region}", "AWS::NoValue", "Fn::Sub", "é", "日本",
    "\u2028", "\x85", "\ufeff", "\x00", "\x7f",
]
# fmt: on

TEXT = st.one_of(
    st.sampled_from(TRICKY),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20),
)
NAMES = st.one_of(st.sampled_from(["A", "Res", "a.b", "AWS::Region", "x y"]), TEXT)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)


def intrinsics(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Intrinsic functions, well-formed or not, with arbitrary nested arguments."""
    # fmt: off
    function = st.sampled_from(
        ["Fn::Sub", "Fn::Join", "Fn::If", "Fn::Select", "Fn::Split", "Fn::FindInMap",
         "Fn::Base64", "Fn::ImportValue", "Fn::GetAZs", "Fn::Equals", "Fn::And", "Fn::Or",
         "Fn::Not", "Fn::Cidr", "Fn::Length", "Fn::ToJsonString", "Fn::Transform", "Fn::Ref",
         "Fn::Condition", "Fn::Foo Bar", "Fn::", "Fn::Sub\n"]
    )
    # fmt: on
    return st.one_of(
        st.builds(lambda name: {"Ref": name}, NAMES),
        st.builds(lambda arg: {"Ref": arg}, children),
        st.builds(lambda a, b: {"Fn::GetAtt": [a, b]}, NAMES, NAMES),
        st.builds(lambda arg: {"Fn::GetAtt": arg}, children),
        st.builds(lambda name: {"Condition": name}, NAMES),
        st.builds(lambda fn, arg: {fn: arg}, function, children),
    )


VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(TEXT, children, max_size=4),
        intrinsics(children),
    ),
    max_leaves=25,
)
TEMPLATES = st.dictionaries(TEXT, VALUES, max_size=5)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEMPLATES)
def test_yaml_round_trip_property(template: dict[str, Any]) -> None:
    text = dump_template(template)
    assert load_text(text) == template
    assert dump_template(template) == text


@settings(max_examples=100, deadline=None)
@given(TEMPLATES)
def test_json_round_trip_property(template: dict[str, Any]) -> None:
    assert json.loads(dump_template(template, "json")) == template


# --------------------------------------------------------------------------------------------
# Round trip: corpus
# --------------------------------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize("name", corpus_params(PARSABLE))
def test_corpus_round_trip(name: str, tmp_path: Path) -> None:
    template = load_template(str(CORPUS / name))
    assert_plain(template)
    for fmt in ("yaml", "json"):
        path = tmp_path / f"out.{fmt}"
        path.write_text(dump_template(template, fmt), encoding="utf-8")
        assert load_template(str(path)) == template


@pytest.mark.corpus
@pytest.mark.parametrize("name", corpus_params(DATED))
def test_corpus_unquoted_dates_become_strings(name: str) -> None:
    template = load_template(str(CORPUS / name))
    assert_plain(template)
    dates = [value for value in walk_scalars(template) if ISO_DATE.fullmatch(str(value))]
    assert dates, "expected at least one date value"
    assert all(type(value) is str for value in dates)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
def test_corpus_duplicate_key_file_is_rejected() -> None:
    path = CORPUS / DUPLICATE_KEY_FILE
    with pytest.raises(TemplateLoadError) as caught:
        load_template(str(path))
    assert f"{path}:45:9: duplicate key 'Name' (first at line 41)" in str(caught.value)


def test_shared_subtrees_are_written_without_yaml_anchors():
    shared = {"Fn::GetAtt": ["Role", "Arn"]}
    text = dump_template({"Resources": {"A": {"Role": shared}, "B": {"Role": shared}}})
    assert "&id" not in text
    assert "*id" not in text
    assert text.count("!GetAtt Role.Arn") == 2


def _cfn_lint_plain(value: Any) -> Any:
    """cfn-lint's decoded nodes as plain objects (dates as ISO text), for comparison."""
    import datetime

    if isinstance(value, dict):
        return {_cfn_lint_plain(k): _cfn_lint_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cfn_lint_plain(v) for v in value]
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@pytest.mark.corpus
@pytest.mark.parametrize("name", corpus_params(PARSABLE))
def test_corpus_loads_as_cfn_lint_loads_it(name: str) -> None:
    """The CLI's own loader (no cfn-lint import) reads every corpus template exactly as
    cfn-lint's decoder does."""
    from cfnlint.decode import decode

    expected, problems = decode(str(CORPUS / name))
    assert problems == []
    assert load_template(str(CORPUS / name)) == _cfn_lint_plain(expected)
