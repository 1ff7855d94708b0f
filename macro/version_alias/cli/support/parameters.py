"""Template parameter values for a local render: `-p KEY=VALUE` and the files deploys use.

A deploy takes its parameter values from one of these, so the CLI reads the same files:
- CloudFormation's JSON, as `aws cloudformation create-stack --parameters file://p.json`
  takes it: `[{"ParameterKey": "Stage", "ParameterValue": "prod"}, ...]`; also the
  `["Stage=prod", ...]` list that `aws cloudformation deploy --parameter-overrides` reads;
- a CodePipeline template configuration file: `{"Parameters": {"Stage": "prod"}}`
  (CodePipeline User Guide, "AWS CloudFormation artifacts");
- SAM CLI's `samconfig.toml` / `samconfig.yaml`: `parameter_overrides` of the `deploy`
  command (else `global`) in one environment (`default` unless `--config-env` names
  another), as a string `Stage=prod Name="two words"` or a list of `KEY=VALUE` strings
  (SAM Developer Guide, "AWS SAM CLI configuration file"). SAM CLI also reads the long form
  `ParameterKey=Stage,ParameterValue=prod`.

A key the template does not declare is refused with the template's parameters named, as
CloudFormation refuses it ("Parameters: [X] do not exist in the template"): a typo must not
silently leave the default in place and show the wrong version ID. Values are never
printed (they may be NoEcho secrets); only keys are.
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .parameter_constraints import refused

DEFAULT_CONFIG_ENV = "default"
_LONG_FORM = re.compile(r"ParameterKey=(?P<key>[^,]+),ParameterValue=(?P<value>.*)", re.DOTALL)


class ParameterError(Exception):
    """A parameter file that cannot be read, or a key the template does not declare."""


@dataclass(frozen=True)
class ParameterSource:
    """Where the values of one side come from, in order: files, then `-p`, then the side's
    own `--old-param`/`--new-param`; a later value for the same key wins."""

    files: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    config_env: str = DEFAULT_CONFIG_ENV

    def values(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for name in self.files:
            found.update(read_parameter_file(Path(name), self.config_env))
        found.update(self.pairs)
        return found


def read_parameter_file(path: Path, config_env: str = DEFAULT_CONFIG_ENV) -> dict[str, str]:
    """KEY -> VALUE from a CloudFormation, CodePipeline or samconfig parameter file.

    Raises ParameterError naming the file and what is wrong with it.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise ParameterError(f"{path}: cannot read parameter file ({_reason(problem)})") from None
    if path.suffix == ".toml":
        return _samconfig(path, _toml(path, text), config_env)
    if path.name.startswith("samconfig") and path.suffix in (".yaml", ".yml"):
        return _samconfig(path, _yaml(path, text), config_env)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as problem:
        raise ParameterError(
            f"{path}:{problem.lineno}:{problem.colno}: not JSON ({problem.msg}). Fix: give "
            'CloudFormation\'s [{"ParameterKey": ..., "ParameterValue": ...}] list, '
            "or a samconfig.toml"
        ) from None
    return _json_parameters(path, document)


def _reason(problem: Exception) -> str:
    if isinstance(problem, UnicodeDecodeError):
        return "not UTF-8 text"
    return getattr(problem, "strerror", None) or type(problem).__name__


def _toml(path: Path, text: str) -> Any:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise ParameterError(f"{path}: not valid TOML ({problem})") from None


def _yaml(path: Path, text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as problem:
        raise ParameterError(f"{path}: not valid YAML ({problem})".replace("\n", " ")) from None


def _json_parameters(path: Path, document: Any) -> dict[str, str]:
    if isinstance(document, dict) and isinstance(document.get("Parameters"), dict):
        return {str(key): _text(value) for key, value in document["Parameters"].items()}
    if isinstance(document, list):
        return _items(path, document)
    raise ParameterError(
        f"{path}: not a parameter file. Fix: give a list of "
        '{"ParameterKey": ..., "ParameterValue": ...} (CloudFormation), '
        '{"Parameters": {...}} (CodePipeline) or a samconfig.toml'
    )


def _items(path: Path, items: list[Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for index, item in enumerate(items):
        if isinstance(item, str):
            found.update(parse_overrides([item], f"{path}[{index}]"))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("ParameterKey"), str):
            raise ParameterError(
                f"{path}: item {index} has no ParameterKey. Fix: write "
                '{"ParameterKey": "Name", "ParameterValue": "value"}'
            )
        key = item["ParameterKey"]
        if "ParameterValue" in item:
            found[key] = _text(item["ParameterValue"])
        elif not item.get("UsePreviousValue"):
            raise ParameterError(f"{path}: {key} has no ParameterValue")
        # UsePreviousValue: the deployed value is unknown here; the Default stands in.
    return found


def _text(value: Any) -> str:
    """CloudFormation parameter values are strings; a list is a CommaDelimitedList."""
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _samconfig(path: Path, document: Any, config_env: str) -> dict[str, str]:
    environment = document.get(config_env) if isinstance(document, dict) else None
    if not isinstance(environment, dict):
        raise ParameterError(
            f"{path}: no environment {config_env!r}. Fix: pass --config-env with one of "
            f"{_names(document)}"
        )
    for command in ("deploy", "global"):
        section = environment.get(command)
        parameters = section.get("parameters") if isinstance(section, dict) else None
        if isinstance(parameters, dict) and "parameter_overrides" in parameters:
            overrides = parameters["parameter_overrides"]
            items = overrides if isinstance(overrides, list) else [overrides]
            return parse_overrides([str(item) for item in items], str(path))
    return {}


def _names(document: Any) -> str:
    names = [key for key in document if key != "version"] if isinstance(document, dict) else []
    return ", ".join(names) or "(none)"


def parse_overrides(items: Iterable[str], where: str) -> dict[str, str]:
    """SAM CLI's `parameter_overrides`: `KEY=VALUE` words (shell quoting) or the long form
    `ParameterKey=KEY,ParameterValue=VALUE`."""
    found: dict[str, str] = {}
    for item in items:
        try:
            words = shlex.split(item)
        except ValueError as problem:
            raise ParameterError(f"{where}: parameter_overrides: {problem}") from None
        for word in words:
            long_form = _LONG_FORM.fullmatch(word)
            if long_form:
                found[long_form["key"]] = long_form["value"]
                continue
            key, sep, value = word.partition("=")
            if not sep or not key:
                raise ParameterError(f"{where}: {word.split('=')[0]!r} is not KEY=VALUE")
            found[key] = value
    return found


def declared_parameters(template: Mapping[str, Any]) -> list[str]:
    parameters = template.get("Parameters")
    return list(parameters) if isinstance(parameters, dict) else []


def unknown_keys(values: Iterable[str], declared: Iterable[str]) -> list[str]:
    known = set(declared)
    return [key for key in values if key not in known]


def unknown_key_message(
    keys: list[str], declared: list[str], where: str, subject: str = "the template declares"
) -> str:
    """`-p CodeKy` refused: names the keys, the template's parameters and a likely match."""
    names = ", ".join(sorted(declared)) or "none"
    matches = {
        key: found[0]
        for key in keys
        if (found := difflib.get_close_matches(key, declared, n=1, cutoff=0.6))
    }
    if len(keys) == 1 and matches:
        fix = f"did you mean {matches[keys[0]]}?"
    elif matches:
        fix = "did you mean " + ", ".join(f"{m} (for {k})" for k, m in matches.items()) + "?"
    else:
        fix = "pass only parameters that are declared."
    plural = "s" if len(keys) > 1 else ""
    return (
        f"{where}: {subject} no parameter{plural} {', '.join(keys)} (declared: {names}). Fix: {fix}"
    )


def for_template(
    values: Mapping[str, str], template: Mapping[str, Any], where: str, strict: bool = True
) -> dict[str, str]:
    """The values this template declares. `strict`: a key it does not declare raises
    ParameterError; otherwise (several templates share one set of values) it is left out.
    A value its declaration refuses (parameter_constraints.py) raises ParameterError."""
    declared = declared_parameters(template)
    unknown = unknown_keys(values, declared)
    if unknown and strict:
        raise ParameterError(unknown_key_message(unknown, declared, where))
    given = {key: value for key, value in values.items() if key not in unknown}
    check_values(given, template, where)
    return given


def check_values(values: Mapping[str, str], template: Mapping[str, Any], where: str) -> None:
    """Raise ParameterError naming each parameter whose given value CloudFormation would
    refuse and the constraint it breaks (never the value)."""
    problems = refused(values, template)
    if not problems:
        return
    fix = "Fix: pass a value that meets the parameter's constraints, as a deploy must."
    if len(problems) == 1:
        raise ParameterError(
            f"{where}: parameter {problems[0]}, so CloudFormation would refuse it. {fix}"
        )
    listed = "".join(f"\n  {problem}" for problem in problems)
    raise ParameterError(
        f"{where}: CloudFormation would refuse these parameter values:{listed}\n{fix}"
    )
