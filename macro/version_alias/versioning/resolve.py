"""Evaluate intrinsic functions as far as the macro can, so hashes follow real values.

A version must change when what Lambda will run changes, and only then. Parameters and
pseudo parameters are known when the macro runs, so `!Ref CodeKey` hashes as the key's
value, not as the text `CodeKey`. What cannot be known (imports, dynamic references,
attributes of other resources) stays as its canonical expression, except that a
reference to another resource of the template becomes that resource's identity
(identity.py). NoEcho values are wrapped in `Secret` so that they reach a hash only
through noecho.py's slow derivation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..context import TransformContext
from ..errors import TransformError
from ..template.validate import MAX_NESTING as MAX_DEPTH
from .identity import Identities
from .noecho import Deriver, Secret

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

NO_VALUE = object()
_UNSET = object()
_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")
_LIST_TYPES = ("CommaDelimitedList", "List<")
SSM_TYPE_PREFIX = "AWS::SSM::Parameter::Value<"
SSM_MARKER = "SSMParameter"


def scalar(value: Any) -> Any:
    """CloudFormation passes every scalar to Lambda as a string: `128` and `"128"` are equal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


class Resolver:
    """Resolves values of one template; caches condition results."""

    def __init__(self, template: Mapping[str, Any], context: TransformContext) -> None:
        self.template = template
        self.context = context
        self.pseudo = context.pseudo_parameters()
        params = template.get("Parameters")
        self.parameters: Mapping[str, Any] = params if isinstance(params, dict) else {}
        mappings = template.get("Mappings")
        self.mappings: Mapping[str, Any] = mappings if isinstance(mappings, dict) else {}
        conditions = template.get("Conditions")
        self.conditions: Mapping[str, Any] = conditions if isinstance(conditions, dict) else {}
        resources = template.get("Resources")
        self.resources: Mapping[str, Any] = resources if isinstance(resources, dict) else {}
        self._condition_cache: dict[str, bool | None] = {}
        self.identities = Identities(self.resources, self.resolve)
        self._deriver = Deriver(context.account_id, context.region)
        self._parameter_cache: dict[str, Any] = {}  # every function hashes the same ones
        self._references: dict[str, Any] = {}
        self._attributes: dict[tuple[str, str], Any] = {}
        self._subs: dict[str, Any] = {}
        # NoEcho parameters exist: resolved values may hold a Secret to derive (hashing.py).
        self.has_secrets = any(
            isinstance(value, dict) and _is_no_echo(value) for value in self.parameters.values()
        )

    # -- references --------------------------------------------------------------
    def parameter(self, name: str) -> Any:
        """The parameter's deploy-time value, its Default, or the unresolved `Ref`."""
        cached = self._parameter_cache.get(name)
        if cached is None:
            cached = self._parameter_cache[name] = self._parameter(name)
        return cached

    def _parameter(self, name: str) -> Any:
        if name in self.pseudo:
            return self.pseudo[name]
        declared = self.parameters.get(name)
        if not isinstance(declared, dict):
            return {"Ref": name}
        supplied = self.context.parameter_values
        value = supplied[name] if name in supplied else declared.get("Default")
        if value is None:
            return {"Ref": name}
        kind = str(declared.get("Type", "String"))
        if kind.startswith(SSM_TYPE_PREFIX):
            # The value behind an SSM name is read by CloudFormation after the macro ran.
            return {"Ref": name, SSM_MARKER: _secret_or_scalar(name, declared, value)}
        if _is_no_echo(declared):
            text = ",".join(map(str, value)) if isinstance(value, list) else scalar(value)
            return Secret(name, str(text))
        if kind.startswith(_LIST_TYPES) and isinstance(value, str):
            return [part.strip() for part in value.split(",")]
        if isinstance(value, list):
            return [scalar(item) for item in value]
        return scalar(value)

    def reference(self, name: str) -> Any:
        """What `Ref name` resolves to; cached, since every function refers to the same few
        names (the result is shared: resolved data is only ever read)."""
        if self.identities.busy:
            return self._reference(name)
        cached = self._references.get(name, _UNSET)
        if cached is _UNSET:
            cached = self._references[name] = self._reference(name)
        return cached

    def _reference(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.pseudo or name in self.parameters:
            return self.parameter(name)
        return self.resource_identity(name, None)

    def resource_identity(self, name: str, attribute: str | None) -> Any:
        """What a Ref/GetAtt to another resource contributes to a hash (identity.py)."""
        if name in self.resources:
            return self.identities.of(name, attribute)
        if attribute is None:
            return {"Ref": name}
        return {"Fn::GetAtt": [name, attribute]}

    def derive_secret(self, secret: Secret, function_id: str) -> str:
        """A NoEcho value's slow, salted derivation, cached for this transform."""
        return self._deriver(secret, function_id)

    # -- values ------------------------------------------------------------------
    def resolve(self, value: Any, depth: int = 0) -> Any:
        """The canonical, resolved form of a value; `NO_VALUE` for `AWS::NoValue`.

        The hot path of every hash: strings, the commonest leaves, are handled inline in
        the loops below rather than through a call each."""
        kind = type(value)
        if kind is str:
            return value
        if kind is dict or isinstance(value, dict):
            if depth > MAX_DEPTH:
                _too_deep()
            if len(value) == 1:
                for key, args in value.items():
                    if key == "Ref":
                        if type(args) is str:
                            return self.reference(args)
                        return self._intrinsic(key, args, depth + 1)
                    if isinstance(key, str) and key.startswith("Fn::"):
                        return self._intrinsic(key, args, depth + 1)
            out = {}
            depth += 1
            for key, item in value.items():
                if type(key) is not str:
                    key = str(key)
                if type(item) is str:
                    out[key] = item
                    continue
                item = self.resolve(item, depth)
                if item is not NO_VALUE:
                    out[key] = item
            return out
        if kind is list or isinstance(value, list):
            if depth > MAX_DEPTH:
                _too_deep()
            depth += 1
            items = []
            for item in value:
                if type(item) is not str:
                    item = self.resolve(item, depth)
                    if item is NO_VALUE:
                        continue
                items.append(item)
            return items
        return scalar(value)

    def _intrinsic(self, name: str, args: Any, depth: int) -> Any:
        if name == "Ref" and isinstance(args, str):
            return self.reference(args)
        if name == "Fn::GetAtt":
            parts = args.split(".", 1) if isinstance(args, str) else args
            if isinstance(parts, list) and len(parts) == 2 and isinstance(parts[0], str):
                attribute = self.resolve(parts[1], depth)
                if isinstance(attribute, str):
                    return self.attribute(parts[0], attribute)
        if name == "Fn::Sub" and type(args) is str:
            if self.identities.busy:
                return _sub(self, args, depth)
            cached = self._subs.get(args, _UNSET)
            if cached is _UNSET:
                cached = self._subs[args] = _sub(self, args, depth)
            return cached
        handler = _HANDLERS.get(name)
        if handler is not None:
            result = handler(self, args, depth)
            if result is not None:
                return result
        return {name: self.resolve(args, depth)}

    def attribute(self, name: str, attribute: str) -> Any:
        """What `Fn::GetAtt [name, attribute]` resolves to; cached like `reference`."""
        if self.identities.busy:
            return self.resource_identity(name, attribute)
        key = (name, attribute)
        cached = self._attributes.get(key, _UNSET)
        if cached is _UNSET:
            cached = self._attributes[key] = self.resource_identity(name, attribute)
        return cached

    # -- conditions --------------------------------------------------------------
    def condition(self, name: str, depth: int = 0) -> bool | None:
        """True/False when the parameters decide it, None when they do not."""
        if name in self._condition_cache:
            return self._condition_cache[name]
        self._condition_cache[name] = None  # guards against cycles
        result = self._evaluate(self.conditions.get(name), depth + 1)
        self._condition_cache[name] = result
        return result

    def _evaluate(self, expr: Any, depth: int) -> bool | None:
        if depth > MAX_DEPTH or not isinstance(expr, dict) or len(expr) != 1:
            return None
        key, args = next(iter(expr.items()))
        if key == "Condition" and isinstance(args, str):
            return self.condition(args, depth)
        if not isinstance(args, list):
            return None
        if key == "Fn::Equals" and len(args) == 2:
            # A NoEcho value decides a condition by its real value; only the branch taken
            # (visible in the deployed resource anyway) reaches the hash.
            left, right = (_plain(self.resolve(arg, depth)) for arg in args)
            if _known(left) and _known(right):
                return left == right
            return None
        results = [self._evaluate(arg, depth + 1) for arg in args]
        if key == "Fn::Not" and len(results) == 1:
            return None if results[0] is None else not results[0]
        if key == "Fn::And":
            return False if False in results else (None if None in results else True)
        if key == "Fn::Or":
            return True if True in results else (None if None in results else False)
        return None


def _too_deep() -> None:
    raise TransformError(
        f"nesting deeper than {MAX_DEPTH} levels",
        hint="flatten the value; CloudFormation templates are never this deep.",
    )


def _is_no_echo(declared: Mapping[str, Any]) -> bool:
    return str(scalar(declared.get("NoEcho", False))).lower() == "true"


def _secret_or_scalar(name: str, declared: Mapping[str, Any], value: Any) -> Any:
    return Secret(name, str(scalar(value))) if _is_no_echo(declared) else scalar(value)


def _plain(value: Any) -> Any:
    """A NoEcho value as its text, for comparisons only; never for hashing."""
    if isinstance(value, Secret):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _known(value: Any) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return False


def _sub(resolver: Resolver, args: Any, depth: int) -> Any:
    if isinstance(args, str):
        text, variables = args, {}
    elif isinstance(args, list) and len(args) == 2 and isinstance(args[0], str):
        text, variables = args[0], args[1] if isinstance(args[1], dict) else {}
    else:
        return None
    resolved_vars = {key: resolver.resolve(val, depth) for key, val in variables.items()}
    unresolved: dict[str, Any] = {}

    def substitute(found: re.Match[str]) -> str:
        name = found.group(1).strip()
        if name in resolved_vars:
            value = resolved_vars[name]
        elif "." in name and name.split(".", 1)[0] not in resolver.parameters:
            logical_id, attribute = name.split(".", 1)
            value = resolver.resource_identity(logical_id, attribute)
        else:
            value = resolver.reference(name)
        if isinstance(value, str):
            return value
        unresolved[name] = value
        return found.group(0)

    result = _SUB_VAR.sub(substitute, text).replace("${!", "${")
    if not unresolved:
        return result
    return {"Fn::Sub": [result, unresolved]}


def _join(resolver: Resolver, args: Any, depth: int) -> Any:
    if not (isinstance(args, list) and len(args) == 2):
        return None
    delimiter = resolver.resolve(args[0], depth)
    items = resolver.resolve(args[1], depth)
    if isinstance(delimiter, str) and isinstance(items, list) and _known(items):
        return delimiter.join(items)
    return {"Fn::Join": [delimiter, items]}


def _select(resolver: Resolver, args: Any, depth: int) -> Any:
    if not (isinstance(args, list) and len(args) == 2):
        return None
    index = resolver.resolve(args[0], depth)
    items = resolver.resolve(args[1], depth)
    if isinstance(index, str) and index.isdigit() and isinstance(items, list):
        position = int(index)
        if position < len(items):
            return items[position]
    return {"Fn::Select": [index, items]}


def _split(resolver: Resolver, args: Any, depth: int) -> Any:
    if not (isinstance(args, list) and len(args) == 2):
        return None
    delimiter = resolver.resolve(args[0], depth)
    text = resolver.resolve(args[1], depth)
    if isinstance(delimiter, str) and delimiter and isinstance(text, str):
        return text.split(delimiter)
    return {"Fn::Split": [delimiter, text]}


def _if(resolver: Resolver, args: Any, depth: int) -> Any:
    if not (isinstance(args, list) and len(args) == 3 and isinstance(args[0], str)):
        return None
    decided = resolver.condition(args[0], depth)
    if decided is None:
        return {
            "Fn::If": [args[0], resolver.resolve(args[1], depth), resolver.resolve(args[2], depth)]
        }
    return resolver.resolve(args[1] if decided else args[2], depth)


def _find_in_map(resolver: Resolver, args: Any, depth: int) -> Any:
    if not (isinstance(args, list) and len(args) in (3, 4)):
        return None
    keys = [resolver.resolve(arg, depth) for arg in args[:3]]
    if all(isinstance(key, str) for key in keys):
        top = resolver.mappings.get(keys[0])
        second = top.get(keys[1]) if isinstance(top, dict) else None
        if isinstance(second, dict) and keys[2] in second:
            return resolver.resolve(second[keys[2]], depth)
    if len(args) == 4 and isinstance(args[3], dict) and "DefaultValue" in args[3]:
        return resolver.resolve(args[3]["DefaultValue"], depth)
    return {"Fn::FindInMap": keys}


def _base64(resolver: Resolver, args: Any, depth: int) -> Any:
    """`Fn::Base64 x` deploys the same bytes as the literal encoding of x."""
    text = resolver.resolve(args, depth)
    if isinstance(text, str):
        import base64  # here, not at the top: only Fn::Base64 needs it (import time)

        return base64.b64encode(text.encode("utf-8", "surrogatepass")).decode("ascii")
    return {"Fn::Base64": text}


_HANDLERS = {
    "Fn::Base64": _base64,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::If": _if,
    "Fn::FindInMap": _find_in_map,
}
