"""Read and write CloudFormation templates for the local CLI.

Parsing goes through ``cfnlint.decode`` so that short-form tags (``!Ref``, ``!GetAtt``, ...),
duplicate-key checks and the JSON fallback behave exactly as they do in cfn-lint. The result is
converted to plain Python objects so that the macro core and ``json.dumps`` never see cfn-lint's
node classes or YAML dates.

Writing YAML uses PyYAML with a dumper that turns ``{"Ref": x}`` and ``{"Fn::*": x}`` back
into short-form tags, and that quotes every string the YAML resolver would otherwise read as
another type, so ``load_template(dump_template(t)) == t`` for any plain template.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

__all__ = ["TemplateLoadError", "dump_template", "load_template", "to_plain"]

STDIN = "-"
_STDIN_NAME = "<stdin>"
# Tag suffixes we are willing to emit. Anything else keeps the long form, because the tag
# would need URI escaping and cfn-lint would hand the escaped text back as the function name.
_TAG_SUFFIX = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# Scalars that YAML 1.2's core schema reads as null/bool/int/float but PyYAML's YAML 1.1
# resolver leaves as strings (``0o17``, ``1e5``). Quoting them keeps them strings for any reader.
_YAML12_NON_STRING = re.compile(
    r"(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
    r"|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)"
)
_ODD_LINE_BREAKS = frozenset("\x85\u2028\u2029")
# cfn-lint reads ``!Ref``/``!Condition`` without the ``Fn::`` prefix, so ``Fn::Ref`` stays long.
_UNPREFIXED_TAGS = frozenset({"Ref", "Condition"})


class TemplateLoadError(Exception):
    """A template could not be read or parsed; the message names the file and the problem."""


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def load_template(path_or_dash: str) -> dict[str, Any]:
    """Parse a YAML or JSON template from a file, or from standard input when given ``-``."""
    from cfnlint.decode import decode, decode_str  # cfn-lint loads in ~0.7 s: only when reading

    if path_or_dash == STDIN:
        name = _STDIN_NAME
        template, matches = decode_str(sys.stdin.read())
    else:
        name = path_or_dash
        _check_readable(Path(path_or_dash))
        template, matches = decode(path_or_dash)
    if matches:
        raise TemplateLoadError(_format_matches(name, matches))
    if not isinstance(template, dict):
        kind = type(to_plain(template)).__name__
        raise TemplateLoadError(f"{name}: a template must be a mapping at top level, not a {kind}")
    return to_plain(template)


def _check_readable(path: Path) -> None:
    """Fail early with our own message: cfn-lint logs to stderr on a missing file."""
    if not path.exists():
        raise TemplateLoadError(f"{path}: no such file")
    if path.is_dir():
        raise TemplateLoadError(f"{path}: is a directory, not a template file")


def _format_matches(name: str, matches: list[Any]) -> str:
    """One line per cfn-lint match: ``file:line:column: message``."""
    lines = [f"{name}:{m.linenumber}:{m.columnnumber}: {m.message}" for m in matches]
    return "could not parse template\n" + "\n".join(lines)


def to_plain(value: Any) -> Any:
    """Copy a decoded template into plain dict/list/str/int/float/bool/None, keeping key order.

    cfn-lint returns ``str``/``dict``/``list`` subclasses that carry line marks; YAML gives
    ``datetime.date`` for unquoted ``2010-09-09``. Both are turned into what JSON would give.
    """
    if isinstance(value, dict):
        return {to_plain(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, datetime.date):  # datetime.datetime is a subclass of date
        return value.isoformat()
    raise TemplateLoadError(f"unsupported value in template: {type(value).__name__} {value!r}")


# --------------------------------------------------------------------------------------------
# Dumping
# --------------------------------------------------------------------------------------------


def dump_template(template: dict[str, Any], fmt: str = "yaml") -> str:
    """Serialise a plain template as ``yaml`` (short-form tags) or ``json`` (2-space indent)."""
    if fmt == "json":
        return json.dumps(template, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return yaml.dump(
            template,
            Dumper=CfnDumper,
            default_flow_style=False,
            sort_keys=False,
            allow_unicode=True,
            width=sys.maxsize,
        )
    raise ValueError(f"unknown template format {fmt!r}; expected 'yaml' or 'json'")


class CfnDumper(yaml.SafeDumper):
    """SafeDumper that writes intrinsic functions as CloudFormation short-form tags."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never write `&id001` anchors: the core shares unchanged subtrees between
        resources, and CloudFormation templates are read by people."""
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent block sequences under their key, as CloudFormation templates usually do."""
        super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        """Let a tagged scalar stay plain (``!Ref Foo``): the tag already fixes its type."""
        style = super().choose_scalar_style()
        event = self.event
        if style != "'" or event.style or not _is_local_tag(event.tag) or not event.value:
            return style
        analysis = self.analysis
        if self.simple_key_context and analysis.multiline:
            return style
        plain_ok = analysis.allow_flow_plain if self.flow_level else analysis.allow_block_plain
        return "" if plain_ok else style


def _is_local_tag(tag: str | None) -> bool:
    return bool(tag) and tag.startswith("!") and not tag.startswith("!!")


def _represent_str(dumper: CfnDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=_str_style(value))


def _str_style(text: str) -> str | None:
    """Pick a scalar style that reads back as exactly ``text``.

    Multi-line strings become literal blocks (PyYAML falls back to double quotes when a block
    would be lossy). NEL/LS/PS are line breaks to YAML 1.1 and PyYAML folds them inside plain,
    single-quoted and block scalars, so only double quotes (which escape them) are safe.
    YAML 1.2 look-alikes (``0o17``, ``1e5``) are quoted although PyYAML's resolver reads them
    as strings, for readers (and people) that follow the newer spec.
    """
    if any(ch in _ODD_LINE_BREAKS for ch in text):
        return '"'
    if "\n" in text:
        return "|"
    if _YAML12_NON_STRING.fullmatch(text):
        return "'"
    return None


def _represent_dict(dumper: CfnDumper, value: dict[str, Any]) -> yaml.Node:
    node = _intrinsic_node(dumper, value)
    if node is not None:
        return node
    return dumper.represent_mapping("tag:yaml.org,2002:map", value)


def _intrinsic_node(dumper: CfnDumper, value: dict[str, Any]) -> yaml.Node | None:
    """The short-form node for a one-key intrinsic, or None to keep the long form.

    The long form is kept whenever the tag would not load back to the same value: a non-string
    ``Ref``, a scalar that is not a string (a tagged scalar always loads as a string), a mapping
    argument (``!Base64 !Sub`` puts two tags on one node, so write ``Fn::Base64: !Sub ...``)
    and a string ``Fn::GetAtt`` (cfn-lint splits ``!GetAtt a.b`` into a list).
    """
    if len(value) != 1:
        return None
    ((key, arg),) = value.items()
    if key == "Ref":
        return _scalar(dumper, "!Ref", arg) if isinstance(arg, str) else None
    if not isinstance(key, str) or not key.startswith("Fn::"):
        return None
    name = key[len("Fn::") :]
    if not _TAG_SUFFIX.fullmatch(name) or name in _UNPREFIXED_TAGS:
        return None
    tag = "!" + name
    if name == "GetAtt":
        return _getatt_node(dumper, arg)
    if isinstance(arg, str):
        return _scalar(dumper, tag, arg)
    if isinstance(arg, list):
        return dumper.represent_sequence(tag, arg)
    return None


def _getatt_node(dumper: CfnDumper, arg: Any) -> yaml.Node | None:
    """``!GetAtt Res.Attr`` when cfn-lint will split it back into the same two strings."""
    if not isinstance(arg, list):
        return None
    if len(arg) == 2 and all(isinstance(part, str) for part in arg):
        resource, attribute = arg
        simple = resource and attribute and "\n" not in resource + attribute
        if simple and "." not in resource:
            return _scalar(dumper, "!GetAtt", f"{resource}.{attribute}")
    return dumper.represent_sequence("!GetAtt", arg)


def _scalar(dumper: CfnDumper, tag: str, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(tag, text, style=_str_style(text))


CfnDumper.add_representer(str, _represent_str)
CfnDumper.add_representer(dict, _represent_dict)
