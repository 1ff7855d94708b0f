"""What a preview takes from the deploy: the macro's name, the transforms, the parameters.

Each test runs the installed `version-alias` console script, as a user or CI would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = Path(sys.executable).parent / "version-alias"

TEMPLATE = """\
Transform: {transform}
Parameters:
  CodeKey: {{Type: String, Default: app-1.zip}}
  Memory: {{Type: Number, Default: 128}}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      MemorySize: !Ref Memory
      Role: arn:aws:iam::123456789012:role/fn
      Code: {{S3Bucket: artifacts, S3Key: !Ref CodeKey}}
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      Targets: [{{Id: fn, Arn: !GetAtt Fn.Arn}}]
"""


def cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if "VERSION_ALIAS" not in key}
    environment.update(env or {})
    return subprocess.run(
        [str(CLI), *argv], capture_output=True, text=True, check=False, env=environment
    )


def write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return str(tmp_path / name)


def version_ids(rendered: str) -> list[str]:
    return [line.strip(" :") for line in rendered.splitlines() if line.startswith("  FnVersion")]


# -- 3. a macro deployed under another name ------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "env"),
    [
        pytest.param(["--macro-name", "VersionAliasNext"], {}, id="option"),
        pytest.param([], {"VERSION_ALIAS_MACRO_NAME": "VersionAliasNext"}, id="environment"),
    ],
)
@pytest.mark.parametrize("command", ["render", "check", "lint"])
def test_a_macro_deployed_under_another_name_is_previewed(
    tmp_path: Path, argv: list[str], env: dict[str, str], command: str
) -> None:
    template = write(tmp_path, "t.yaml", TEMPLATE.format(transform="VersionAliasNext"))
    done = cli(command, template, *argv, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    if command == "render":
        assert len(version_ids(done.stdout)) == 1
        assert "Transform" not in done.stdout


def test_diff_and_prune_take_the_macro_name(tmp_path: Path) -> None:
    template = write(tmp_path, "t.yaml", TEMPLATE.format(transform="VersionAliasNext"))
    done = cli("diff", "--macro-name", "VersionAliasNext", template, template)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.endswith("0 of 1 function(s) publish a new version.\n")
    assert "--macro-name" in cli("prune", "--help").stdout


def test_without_the_name_the_other_macro_is_refused_with_the_option_named(
    tmp_path: Path,
) -> None:
    template = write(tmp_path, "t.yaml", TEMPLATE.format(transform="VersionAliasNext"))
    done = cli("render", template)
    assert done.returncode == 1
    assert "--macro-name VersionAliasNext" in done.stderr


# -- 4. SAM resources without the SAM transform --------------------------------------------
@pytest.mark.parametrize("command", ["render", "check", "diff"])
def test_sam_resources_without_the_sam_transform_fail_as_the_macro_does(
    tmp_path: Path, command: str
) -> None:
    template = write(
        tmp_path,
        "t.yaml",
        "Transform: VersionAlias\n"
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties: {InlineCode: x, Handler: index.handler, Runtime: python3.13}\n",
    )
    argv = [template, template] if command == "diff" else [template]
    done = cli(command, *argv)
    assert done.returncode == 1
    assert (
        "Resources.Fn: is an AWS::Serverless::Function, which VersionAlias cannot see "
        "through. Fix: list VersionAlias after AWS::Serverless-2016-10-31 in Transform"
    ) in done.stderr


# -- 5. parameters -----------------------------------------------------------------------
@pytest.mark.parametrize("command", ["render", "check", "lint"])
def test_an_unknown_parameter_key_is_refused_with_the_template_parameters(
    tmp_path: Path, command: str
) -> None:
    template = write(tmp_path, "t.yaml", TEMPLATE.format(transform="VersionAlias"))
    done = cli(command, template, "-p", "CodeKy=app-2.zip")
    assert done.returncode == 2
    assert done.stderr == (
        f"error: {template}: the template declares no parameter CodeKy (declared: CodeKey, "
        "Memory). Fix: did you mean CodeKey?\n"
    )
    assert "app-2.zip" not in done.stderr


def test_diff_takes_a_value_per_side(tmp_path: Path) -> None:
    template = write(tmp_path, "t.yaml", TEMPLATE.format(transform="VersionAlias"))
    done = cli(
        "diff", template, template, "-p", "CodeKey=app-2.zip", "--old-param", "Memory=128",
        "--new-param", "Memory=512",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "    MemorySize 128 -> 512\n" in done.stdout
    assert "S3Key" not in done.stdout  # -p applies to both sides


def test_diff_refuses_a_side_key_its_side_does_not_declare(tmp_path: Path) -> None:
    template = write(tmp_path, "t.yaml", TEMPLATE.format(transform="VersionAlias"))
    done = cli("diff", template, template, "--new-param", "Memroy=512")
    assert done.returncode == 2
    assert "no parameter Memroy" in done.stderr and "did you mean Memory?" in done.stderr


PARAMETER_FILES = [
    pytest.param(
        "params.json",
        json.dumps([{"ParameterKey": "Memory", "ParameterValue": "1024"}]),
        [],
        id="cloudformation-json",
    ),
    pytest.param(
        "template-config.json",
        json.dumps({"Parameters": {"Memory": "1024"}, "Tags": {"team": "a"}}),
        [],
        id="codepipeline-template-config",
    ),
    pytest.param(
        "samconfig.toml",
        'version = 0.1\n[default.deploy.parameters]\nparameter_overrides = "Memory=1024"\n',
        [],
        id="samconfig-toml",
    ),
    pytest.param(
        "samconfig.toml",
        "version = 0.1\n[prod.deploy.parameters]\n"
        'parameter_overrides = ["ParameterKey=Memory,ParameterValue=1024"]\n',
        ["--config-env", "prod"],
        id="samconfig-toml-env-long-form",
    ),
    pytest.param(
        "samconfig.yaml",
        "version: 0.1\ndefault:\n  global:\n    parameters:\n"
        "      parameter_overrides: Memory=1024 CodeKey='app 1.zip'\n",
        [],
        id="samconfig-yaml-global",
    ),
]


@pytest.mark.parametrize(("name", "text", "extra"), PARAMETER_FILES)
@pytest.mark.parametrize("command", ["render", "diff", "check", "lint"])
def test_every_command_reads_the_parameter_files_deploys_use(
    tmp_path: Path, name: str, text: str, extra: list[str], command: str
) -> None:
    template = write(tmp_path, "t.yaml", TEMPLATE.format(transform="VersionAlias"))
    parameters = write(tmp_path, name, text)
    if command == "diff":
        done = cli("diff", template, template, "--parameters", parameters, *extra, "--old-param",
                   "Memory=128")  # fmt: skip
        assert "    MemorySize 128 -> 1024\n" in done.stdout, done.stderr
        return
    done = cli(command, template, "--parameters", parameters, *extra)
    assert done.returncode == 0, done.stderr
    if command == "render":  # the version ID is the one for Memory=1024
        expected = cli("render", template, "-p", "Memory=1024", "-p", "CodeKey=app 1.zip")
        if "CodeKey" not in text:
            expected = cli("render", template, "-p", "Memory=1024")
        assert version_ids(done.stdout) == version_ids(expected.stdout)
        assert version_ids(done.stdout) != version_ids(cli("render", template).stdout)


def test_a_parameter_file_key_the_template_lacks_is_refused(tmp_path: Path) -> None:
    template = write(tmp_path, "t.yaml", TEMPLATE.format(transform="VersionAlias"))
    parameters = write(
        tmp_path, "p.json", json.dumps([{"ParameterKey": "Stage", "ParameterValue": "x"}])
    )
    done = cli("render", template, "--parameters", parameters)
    assert done.returncode == 2
    assert "no parameter Stage (declared: CodeKey, Memory)" in done.stderr


def test_command_line_values_win_over_files(tmp_path: Path) -> None:
    template = write(tmp_path, "t.yaml", TEMPLATE.format(transform="VersionAlias"))
    parameters = write(tmp_path, "p.json", json.dumps({"Parameters": {"Memory": "1024"}}))
    done = cli("diff", template, template, "--parameters", parameters, "--new-param", "Memory=64")
    assert "    MemorySize 1024 -> 64\n" in done.stdout, done.stderr
