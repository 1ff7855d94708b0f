"""`make bench`, the CLI part: where users wait, against cfn-lint on the same input.

Each row times two commands as fresh processes (what a user or CI starts), alternately,
and reports the median of the per-pair ratios, so that load from another process hits
both sides of a ratio alike. The peer is the `cfn-lint` console script of the same
environment (cfn-lint 1 has no `python -m cfnlint`); it imports the same way.

Rows: `check` and `render` on a one-function template (target <= 0.5x cfn-lint), `lint`
on it (<= 1.15x), and `lint` over the corpus templates in CORPUS_SET in one call (<= 1.2x
cfn-lint over the same files in one call). The corpus ships without its code, so `lint`
gets `--allow-missing-artifacts` there.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent
TARGETS = {"check": 0.5, "render": 0.5, "lint": 1.15, "lint-corpus": 1.2}
ONE_FUNCTION = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: VersionAlias
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      MemorySize: 256
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        ZipFile: "def handler(event, context):\\n    return event\\n"
"""
# Of every kind the corpus holds: SAM translator inputs (events of every type, API,
# alias, deployment preference), SAM patterns, plain CloudFormation samples, cfn-lint's
# fixtures (JSON too), CDK snapshots and Serverless Framework stacks with their own
# versions, and one large application.
CORPUS_SET = (
    "sam-translator/function_with_deployment_preference_passthrough_condition_with_supported_intrinsics.yaml",
    "sam-translator/function_with_event_dest_basic.yaml",
    "sam-translator/function_with_event_filtering.yaml",
    "sam-translator/function_with_documentdb.yaml",
    "sam-translator/function_with_event_schedule_state.yaml",
    "serverless-patterns/sqs-lambda-python-sam.yaml",
    "serverless-patterns/apigw-execution-access-logs.yaml",
    "serverless-patterns/apigw-http-api-eventbridge.yaml",
    "cfn-templates/APIGateway_apigateway_lambda_integration.yaml",
    "cfn-templates/Config_Config.yaml",
    "cfn-templates/IoT_lambda-iot-topicrule.yaml",
    "cfn-templates/Lambda_LambdaSample.yaml",
    "cfn-templates/S3_S3_LambdaTrigger.yaml",
    "cfn-templates/Solutions_CloudFrontCustomOriginLambda_Edge_CloudFront.yaml",
    "cfn-lint/good_some_logs_stream_lambda.yaml",
    "cfn-lint/quickstart_config-rules.json",
    "cfn-lint/public_lambda-poller.yaml",
    "cdk-integ/aws-lambda_test_integ.current-version.js.snapshot_lambda-test-current-version.template.json",
    "cdk-integ/aws-codedeploy_test_lambda_integ.deployment-group.js.snapshot_aws-cdk-codedeploy-lambda.template.json",
    "framework-compiled/serverless-heaven_serverless-aws-alias_test_data_sls-stack-1.json",
    "framework-compiled/localstack_localstack_tests_aws_templates_cfn_lambda_alias.yml",
    "cloudfront-auth-at-edge/template.yaml",
)


def _env() -> dict[str, str]:
    """Bytecode caching on, as an installed CLI has it."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _seconds(argv: Sequence[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=False, env=_env(), cwd=ROOT)
    return time.perf_counter() - started


def paired(ours: Sequence[str], peer: Sequence[str], repeat: int) -> dict[str, float]:
    """Median seconds of both commands, run alternately, and the median per-pair ratio."""
    _seconds(ours), _seconds(peer)  # warm the page cache and __pycache__
    a, b = [], []
    for _ in range(repeat):
        a.append(_seconds(ours))
        b.append(_seconds(peer))
    return {
        "ours": statistics.median(a),
        "peer": statistics.median(b),
        "ratio": statistics.median(x / y for x, y in zip(a, b, strict=True)),
    }


def measure(repeat: int = 7, corpus_repeat: int = 3) -> dict[str, Any]:
    cli, cfn_lint = str(BIN / "version-alias"), str(BIN / "cfn-lint")
    with tempfile.TemporaryDirectory(prefix="version-alias-bench-") as folder:
        one = str(Path(folder) / "template.yaml")
        Path(one).write_text(ONE_FUNCTION, encoding="utf-8")
        rows = {
            command: paired([cli, command, one], [cfn_lint, one], repeat)
            for command in ("check", "render", "lint")
        }
    files = [str(CORPUS / name) for name in CORPUS_SET if (CORPUS / name).is_file()]
    if len(files) == len(CORPUS_SET):
        rows["lint-corpus"] = paired(
            [cli, "lint", "--allow-missing-artifacts", *files], [cfn_lint, *files], corpus_repeat
        )
    return {"rows": rows, "corpus_files": len(files)}


LABELS = {
    "check": "`version-alias check`, one-function template / `cfn-lint` on it",
    "render": "`version-alias render`, one-function template / `cfn-lint` on it",
    "lint": "`version-alias lint`, one-function template / `cfn-lint` on it",
    "lint-corpus": "`version-alias lint` over {n} corpus templates in one call / `cfn-lint` "
    "over them",
}


def report(result: dict[str, Any]) -> list[str]:
    """Rows for the targets table (`| measure | result | target |`)."""
    lines = []
    for key, row in result["rows"].items():
        label = LABELS[key].format(n=result["corpus_files"])
        lines.append(
            f"| {label} ({row['ours']:.2f} s / {row['peer']:.2f} s) | {row['ratio']:.2f}x "
            f"| <= {TARGETS[key]}x |"
        )
    if "lint-corpus" not in result["rows"]:
        lines.append(f"| `lint` over the corpus set: corpus not found at {CORPUS} | | |")
    return lines


def corpus_note() -> str:
    kinds = sorted({name.split("/")[0] for name in CORPUS_SET})
    return (
        f"The corpus set ({len(CORPUS_SET)} templates from {', '.join(kinds)}) is listed in "
        "scripts/bench_cli.py."
    )
