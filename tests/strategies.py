"""Hypothesis strategies: templates the macro must survive.

`valid_templates` only references things that exist, so the output can be held to every
property (references resolve, every invocation goes through the alias). `junk_templates`
mixes in wrong types, None, huge and unicode strings, non-string keys and deep nesting,
where the only promise is an answer: success, or failure with a message.

Consumers are built from the rows of `data/invocation_sites.json`, so a new catalog row is
exercised without touching this file.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from strategies_invokers import add_invoker_extras, special_values
from version_alias.data.tables import InvocationSite, invocation_sites
from version_alias.template import paths

PSEUDO = ("AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName")
ALIAS_NAMES = st.from_regex(r"[a-z][a-zA-Z0-9_-]{0,11}", fullmatch=True)
PLAIN_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_/.", max_size=12)


def catalog_rows() -> tuple[InvocationSite, ...]:
    """Every row of the invocation-site catalog, as the macro reads it."""
    return invocation_sites()


# -- names the template declares ---------------------------------------------------------
class Names:
    """What a generated template declares, so values reference only existing things."""

    def __init__(self, functions, parameters, conditions, mappings, others) -> None:
        self.functions: list[str] = functions
        self.parameters: list[str] = parameters
        self.conditions: list[str] = conditions
        self.mappings: dict[str, dict[str, dict[str, str]]] = mappings
        self.others: list[str] = others
        self.name_forms: dict[str, list[Any]] = {}  # by-name site spellings per function


def refs(names: Names) -> st.SearchStrategy[dict]:
    targets = [*names.parameters, *PSEUDO, *names.others, *names.functions]
    return st.sampled_from(targets).map(lambda name: {"Ref": name})


def getatts(names: Names) -> st.SearchStrategy[Any]:
    resources = [*names.others, *names.functions]
    return st.tuples(st.sampled_from(resources), st.sampled_from(["Arn", "QueueUrl"])).flatmap(
        lambda pair: st.sampled_from([{"Fn::GetAtt": list(pair)}, {"Fn::GetAtt": ".".join(pair)}])
    )


def subs(names: Names) -> st.SearchStrategy[dict]:
    variables = [*names.parameters, *PSEUDO, *names.others]
    piece = st.one_of(
        PLAIN_TEXT,
        st.sampled_from(variables).map(lambda name: "${" + name + "}"),
        st.just("${!Literal}"),
    )
    text = st.lists(piece, min_size=1, max_size=4).map("".join)
    with_map = st.tuples(text, st.just({"Local": "value"})).map(
        lambda pair: {"Fn::Sub": [pair[0] + "${Local}", pair[1]]}
    )
    return st.one_of(text.map(lambda value: {"Fn::Sub": value}), with_map)


def find_in_maps(names: Names) -> st.SearchStrategy[dict]:
    if not names.mappings:
        return st.nothing()
    entries = [
        [name, top, second]
        for name, table in names.mappings.items()
        for top, row in table.items()
        for second in row
    ]
    plain = st.sampled_from(entries).map(lambda keys: {"Fn::FindInMap": keys})
    with_default = st.tuples(PLAIN_TEXT, PLAIN_TEXT).map(
        lambda pair: {
            "Fn::FindInMap": [next(iter(names.mappings)), pair[0], "k", {"DefaultValue": pair[1]}]
        }
    )
    regional = st.just({"Fn::FindInMap": [next(iter(names.mappings)), {"Ref": "AWS::Region"}, "k"]})
    return st.one_of(plain, with_default, regional)


def values(names: Names) -> st.SearchStrategy[Any]:
    """Property values: scalars and intrinsics nested in one another."""
    leaves = st.one_of(
        PLAIN_TEXT,
        st.integers(min_value=-5, max_value=10_000),
        st.booleans(),
        refs(names),
        getatts(names),
        subs(names),
        find_in_maps(names),
        st.just({"Ref": "AWS::NoValue"}),
    )

    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        options = [
            st.lists(inner, max_size=3),
            st.dictionaries(st.sampled_from(["A", "B", "Key", "Value"]), inner, max_size=3),
            st.tuples(st.sampled_from(["", ",", ":"]), st.lists(inner, max_size=3)).map(
                lambda pair: {"Fn::Join": [pair[0], pair[1]]}
            ),
            st.tuples(st.integers(0, 2), st.lists(inner, min_size=1, max_size=3)).map(
                lambda pair: {"Fn::Select": [pair[0], pair[1]]}
            ),
        ]
        if names.conditions:
            options.append(
                st.tuples(st.sampled_from(names.conditions), inner, inner).map(
                    lambda triple: {"Fn::If": list(triple)}
                )
            )
        return st.one_of(*options)

    return st.recursive(leaves, extend, max_leaves=6)


# -- sections ----------------------------------------------------------------------------
@st.composite
def parameters(draw: st.DrawFn) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for index in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["String", "Number", "CommaDelimitedList"]))
        declared: dict[str, Any] = {"Type": kind}
        if draw(st.booleans()):
            default = "1,2" if kind == "CommaDelimitedList" else draw(PLAIN_TEXT)
            declared["Default"] = "7" if kind == "Number" else default
        if draw(st.booleans()):
            declared["NoEcho"] = True
        out[f"Param{index}"] = declared
    return out


@st.composite
def conditions(draw: st.DrawFn, parameter_names: list[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    operand = st.one_of(
        PLAIN_TEXT,
        st.sampled_from([*parameter_names, "AWS::Region"]).map(lambda name: {"Ref": name}),
    )
    for index in range(draw(st.integers(0, 3))):
        earlier = list(out)
        shape = draw(st.sampled_from(["equals", "not", "and", "or"] if earlier else ["equals"]))
        if shape == "equals":
            out[f"Cond{index}"] = {"Fn::Equals": [draw(operand), draw(operand)]}
        elif shape == "not":
            out[f"Cond{index}"] = {"Fn::Not": [{"Condition": draw(st.sampled_from(earlier))}]}
        else:
            key = "Fn::And" if shape == "and" else "Fn::Or"
            picked = draw(st.lists(st.sampled_from(earlier), min_size=2, max_size=3))
            equals = {"Fn::Equals": [draw(operand), draw(operand)]}
            out[f"Cond{index}"] = {key: [*({"Condition": name} for name in picked), equals]}
    return out


@st.composite
def mappings(draw: st.DrawFn) -> dict[str, dict]:
    if not draw(st.booleans()):
        return {}
    rows = {
        region: {"k": draw(PLAIN_TEXT), "other": draw(PLAIN_TEXT)}
        for region in draw(st.lists(st.sampled_from(["us-east-1", "eu-west-1"]), unique=True))
    }
    return {"Map0": rows or {"us-east-1": {"k": "v"}}}


@st.composite
def function(draw: st.DrawFn, names: Names) -> dict[str, Any]:
    """An AWS::Lambda::Function with version-locked and function-level properties."""
    value = values(names)
    code = draw(
        st.one_of(
            st.fixed_dictionaries({"ZipFile": st.one_of(PLAIN_TEXT, value)}),
            st.fixed_dictionaries({"S3Bucket": value, "S3Key": value}),
        )
    )
    properties: dict[str, Any] = {"Code": code, "Handler": "index.handler", "Role": "arn:r"}
    optional = {
        "Runtime": st.sampled_from(["python3.13", "nodejs22.x"]),
        "MemorySize": st.one_of(st.integers(128, 4096), st.just("256")),
        "Description": st.one_of(PLAIN_TEXT, value, st.text(max_size=300)),
        "Environment": st.fixed_dictionaries(
            {"Variables": st.dictionaries(st.sampled_from(["A", "B", "TABLE"]), value)}
        ),
        "Tags": st.lists(st.fixed_dictionaries({"Key": PLAIN_TEXT, "Value": value}), max_size=2),
        "ReservedConcurrentExecutions": st.integers(0, 10),
        "Layers": st.lists(value, max_size=2),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            properties[key] = draw(strategy)
    resource: dict[str, Any] = {"Type": "AWS::Lambda::Function", "Properties": properties}
    options: dict[str, Any] = {}
    if draw(st.integers(0, 5)) == 0:
        options["Enabled"] = draw(st.sampled_from([False, "false", True]))
    if draw(st.integers(0, 3)) == 0:
        options["AliasName"] = draw(ALIAS_NAMES)
    if draw(st.integers(0, 5)) == 0:
        options["Salt"] = draw(st.one_of(PLAIN_TEXT, refs(names)))
    if options:
        resource["Metadata"] = {"VersionAlias": options}
    if names.conditions and draw(st.integers(0, 4)) == 0:
        resource["Condition"] = draw(st.sampled_from(names.conditions))
    return resource


def function_reference(function_id: str, names: Names) -> st.SearchStrategy[Any]:
    """Every spelling of "invoke this function" that the rewriter must recognise."""
    region, account = {"Ref": "AWS::Region"}, {"Ref": "AWS::AccountId"}
    forms: list[Any] = [
        {"Ref": function_id},
        {"Fn::GetAtt": [function_id, "Arn"]},
        {"Fn::GetAtt": f"{function_id}.Arn"},
        {"Fn::Sub": "${" + function_id + ".Arn}"},
        {"Fn::Sub": ["${Target}", {"Target": {"Fn::GetAtt": [function_id, "Arn"]}}]},
        {
            "Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
            "${" + function_id + ".Arn}/invocations"
        },
        {
            "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
            ":function:${" + function_id + "}"
        },
        {
            "Fn::Join": [
                "",
                ["arn:aws:lambda:", region, ":", account, ":function:", {"Ref": function_id}],
            ]
        },
        {
            "Fn::Join": [
                "",
                [
                    *["arn:aws:lambda:", region, ":", account, ":function:"],
                    {"Ref": function_id},
                    ":$LATEST",
                ],
            ]
        },
        {
            "Fn::Join": [
                ":",
                ["arn", "aws", "lambda", region, account, "function", {"Ref": function_id}],
            ]
        },
    ]
    forms.extend(names.name_forms.get(function_id, []))
    plain = st.sampled_from(forms)
    if not names.conditions:
        return plain
    branched = st.tuples(st.sampled_from(names.conditions), plain, plain).map(
        lambda triple: {"Fn::If": list(triple)}
    )
    return st.one_of(plain, branched)


@st.composite
def consumer(draw: st.DrawFn, names: Names) -> dict[str, Any]:
    """A resource of a catalog type whose invocation site names one of the functions, with
    the row's `when` condition made true."""
    row = draw(st.sampled_from(catalog_rows()))
    function_id = draw(st.sampled_from(names.functions))
    site_segments = paths.parse(row.path)
    site_path = concrete(site_segments, draw)
    properties: dict[str, Any] = {}
    if row.accepts == "qualifier":
        named = [{"Ref": function_id}, {"Fn::GetAtt": [function_id, "Arn"]}]
        set_in(
            properties, concrete(paths.parse(row.function_path), draw), draw(st.sampled_from(named))
        )
        qualifier = draw(st.sampled_from([None, "$LATEST", "$LATEST", "live"]))
        if qualifier is not None:
            set_in(properties, site_path, qualifier)
    else:
        set_in(properties, site_path, draw(function_reference(function_id, names)))
    when = row.when
    if when is not None:
        if when.suffixes:  # an ARN in some partition ending with an accepted suffix
            partition = draw(st.sampled_from(["aws", "aws-cn", "aws-us-gov"]))
            wanted = f"arn:{partition}" + draw(st.sampled_from(when.suffixes))
        else:
            wanted = draw(st.sampled_from(when.values))
        set_in(properties, when_path(site_segments, site_path, when.path, draw), wanted)
    resource: dict[str, Any] = {"Type": row.resource_type, "Properties": properties}
    if draw(st.integers(0, 6)) == 0:
        resource["Metadata"] = {
            "VersionAlias": {"Target": draw(st.sampled_from(["alias", "version", "function"]))}
        }
    return resource


def concrete(segments: tuple[str, ...], draw: st.DrawFn) -> list[str | int]:
    """One concrete path that a parsed catalog pattern matches (`**` as no extra level)."""
    out: list[str | int] = []
    for segment in segments:
        if segment == paths.ANY_ITEM:
            out.append(0)
        elif segment == paths.ANY_KEY:
            out.append(draw(st.sampled_from(["/orders", "get", "post"])))
        elif segment != paths.ANY_DEPTH:
            out.append(segment)
    return out


def when_path(
    site_segments: tuple[str, ...], site_path: list[str | int], pattern: str, draw: st.DrawFn
) -> list[str | int]:
    """Where the condition's value goes: leading segments it shares with the site's path
    stand for the key or item the site matched (the catalog's `when` rule)."""
    segments = paths.parse(pattern)
    shared = 0
    while (
        shared < min(len(site_segments), len(segments))
        and site_segments[shared] == segments[shared]
        and segments[shared] != paths.ANY_DEPTH
    ):
        shared += 1
    return site_path[:shared] + concrete(segments[shared:], draw)


def set_in(root: dict[str, Any], path: list[str | int], value: Any) -> None:
    """Put `value` at `path`, creating mappings (str keys) and lists (item 0) on the way."""
    node: Any = root
    for position, part in enumerate(path):
        last = position == len(path) - 1
        following = None if last else path[position + 1]
        fresh: Any = [] if isinstance(following, int) else {}
        if isinstance(node, list):
            while len(node) <= part:  # type: ignore[operator]
                node.append(fresh if not last else None)
            if last:
                node[part] = value  # type: ignore[index]
            elif not isinstance(node[part], dict | list):  # type: ignore[index]
                node[part] = fresh  # type: ignore[index]
            node = node[part] if not last else node  # type: ignore[index]
        else:
            if last:
                node[part] = value
            else:
                if not isinstance(node.get(part), dict | list):
                    node[part] = fresh
                node = node[part]


@st.composite
def valid_templates(draw: st.DrawFn) -> dict[str, Any]:
    """Templates whose every reference exists; the macro should mostly succeed on them."""
    params = draw(parameters())
    conds = draw(conditions(list(params)))
    maps = draw(mappings())
    suffixes = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=4)
    functions = [f"Fn{index}{draw(suffixes)}" for index in range(draw(st.integers(1, 5)))]
    others = ["Queue", "Role"]
    names = Names(functions, list(params), list(conds), maps, others)
    resources: dict[str, Any] = {
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"Path": draw(values(names))}},
    }
    for function_id in functions:
        resources[function_id] = draw(function(names))
    template: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
    names.name_forms = draw(add_invoker_extras(resources, template, functions))
    for index in range(draw(st.integers(0, 6))):
        resources[f"Consumer{index}"] = draw(consumer(names))
    if draw(st.booleans()):
        template["Transform"] = "VersionAlias"
    if params:
        template.setdefault("Parameters", {}).update(params)
    if conds:
        template.setdefault("Conditions", {}).update(conds)
    if maps:
        template["Mappings"] = maps
    if draw(st.booleans()):
        template.setdefault("Outputs", {})["Out"] = {"Value": draw(refs(names))}
    if draw(st.integers(0, 4)) == 0:
        template["Metadata"] = {"VersionAlias": {"AliasName": draw(ALIAS_NAMES)}}
    return template


@st.composite
def parameter_values(draw: st.DrawFn, template: dict[str, Any]) -> dict[str, Any]:
    """`templateParameterValues` for some of the declared parameters."""
    out: dict[str, Any] = {}
    special = special_values()
    for name, declared in (template.get("Parameters") or {}).items():
        if name in special:
            if draw(st.booleans()):
                out[name] = draw(special[name])
            continue
        if draw(st.booleans()):
            kind = declared.get("Type")
            if kind == "CommaDelimitedList":
                out[name] = draw(st.lists(PLAIN_TEXT, min_size=1, max_size=3))
            else:
                out[name] = "42" if kind == "Number" else draw(PLAIN_TEXT)
    return out


# -- junk --------------------------------------------------------------------------------
JUNK_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.text(alphabet="\u00e9\u4e2d\U0001f600\u202e\x00", max_size=10),
    st.just("x" * 100_000),
)
JUNK_KEYS = st.one_of(
    st.text(max_size=8), st.integers(), st.none(), st.booleans(), st.sampled_from(["Ref", "Fn::If"])
)
JUNK = st.recursive(
    JUNK_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(JUNK_KEYS, inner, max_size=3),
        st.tuples(
            st.sampled_from(
                [
                    "Ref",
                    "Fn::GetAtt",
                    "Fn::Sub",
                    "Fn::Join",
                    "Fn::If",
                    "Fn::FindInMap",
                    "Fn::Select",
                    "Condition",
                ]
            ),
            inner,
        ).map(lambda pair: {pair[0]: pair[1]}),
    ),
    max_leaves=8,
)


def nested(depth: int, leaf: Any) -> Any:
    """`depth` levels of alternating dicts and lists, built without recursion."""
    value = leaf
    for level in range(depth):
        value = {"Nested": value} if level % 2 else [value]
    return value


@st.composite
def junk_templates(draw: st.DrawFn) -> Any:
    """A valid template with junk put in random places, or junk instead of a template."""
    if draw(st.integers(0, 9)) == 0:
        return draw(JUNK)
    template = draw(valid_templates())
    for _ in range(draw(st.integers(1, 3))):
        junk = draw(st.one_of(JUNK, st.integers(1, 300).map(lambda depth: nested(depth, "x"))))
        template = plant(template, junk, draw)
    return template


def plant(value: Any, junk: Any, draw: st.DrawFn) -> Any:
    """A copy of `value` with one randomly chosen node (or a new key) replaced by `junk`."""
    if not isinstance(value, dict | list) or not value or draw(st.integers(0, 3)) == 0:
        return junk
    if isinstance(value, list):
        index = draw(st.integers(0, len(value) - 1))
        return [*value[:index], plant(value[index], junk, draw), *value[index + 1 :]]
    out = dict(value)
    if draw(st.integers(0, 4)) == 0:
        out[draw(JUNK_KEYS)] = junk
        return out
    key = draw(st.sampled_from(list(value)))
    out[key] = plant(value[key], junk, draw)
    return out


def event(template: Any, values_: Any = None) -> dict[str, Any]:
    """A template-level macro event, as CloudFormation sends it."""
    return {
        "region": "us-east-1",
        "accountId": "123456789012",
        "fragment": template,
        "transformId": "123456789012::VersionAlias",
        "params": {},
        "requestId": "req-1",
        "templateParameterValues": values_ if values_ is not None else {},
    }
