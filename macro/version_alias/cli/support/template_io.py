"""Read and write CloudFormation templates for the local CLI.

Reading is template_load.py (PyYAML's C loader with CloudFormation's short-form tags, read
as cfn-lint reads them, into plain Python objects); this module re-exports it.

Writing YAML uses PyYAML with a dumper that turns ``{"Ref": x}`` and ``{"Fn::*": x}`` back
into short-form tags, and that quotes every string the YAML resolver would otherwise read as
another type, so ``load_template(dump_template(t)) == t`` for any plain template.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import yaml

from .template_load import TemplateLoadError, load_template

__all__ = ["TemplateLoadError", "dump_template", "load_template"]

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
