"""How long the guardrail hook takes on the largest templates: the hook must answer within
the 30 seconds CloudFormation waits for a Lambda Hook.

Runs the whole hook (request, fetch from a local HTTP server on 127.0.0.1, read, judge,
answer) on the five largest corpus templates, as submitted and listing the macro, and on
two synthetic templates near CloudFormation's 1 MB template limit (500 resources in dense
YAML, and the same as JSON). Prints the median and the slowest of five runs each. A
measurement to read, not a test: nothing here fails on a number.

    .venv/bin/python scripts/guardrail_timing.py [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import http.server
import json
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macro"))

from version_alias.guardrail.hook import handle  # noqa: E402

ENVIRONMENT = {"MACRO_NAME": "VersionAlias", "SKIP_STACKS": "", "LOG_LEVEL": "WARNING"}
RUNS = 5


def serve(bodies: dict[str, bytes]) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = bodies[self.path]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def request(url: str) -> dict[str, object]:
    return {
        "clientRequestToken": "timing",
        "awsAccountId": "123456789012",
        "stackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/timing/1",
        "actionInvocationPoint": "UPDATE_PRE_PROVISION",
        "requestData": {"targetType": "STACK", "targetLogicalId": "timing", "payload": url},
    }


def dense_yaml() -> str:
    """500 resources (CloudFormation's maximum) in block style, about 1 MB."""
    lines = ["Resources:"]
    for index in range(166):
        lines.append(
            f"  Fn{index}:\n    Type: AWS::Lambda::Function\n    Properties:\n"
            f"      Runtime: python3.13\n      Handler: index.handler\n"
            f"      Role: !GetAtt Role.Arn\n      Code: {{S3Bucket: b, S3Key: k{index}.zip}}\n"
            "      Tags:\n"
            + "".join(
                f"        - Key: tag-{tag}\n          Value: !Sub '${{AWS::StackName}}-{tag}'\n"
                for tag in range(40)
            )
        )
    for index in range(333):
        lines.append(
            f"  Permission{index}:\n    Type: AWS::Lambda::Permission\n    Properties:\n"
            "      Action: lambda:InvokeFunction\n"
            f"      FunctionName: !GetAtt Fn{index % 166}.Arn\n"
            "      Principal: events.amazonaws.com\n      SourceArn: !Join\n        - ''\n"
            "        - - !Sub 'arn:${AWS::Partition}:events:${AWS::Region}:'\n"
            + "".join(f"          - part-{part}\n" for part in range(68))
        )
    lines.append(
        "  Role:\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: {}}\n"
    )
    return "\n".join(lines)


def listing_the_macro(text: str) -> str:
    if text.lstrip().startswith("{"):
        return '{"Transform": "VersionAlias", ' + text.lstrip()[1:]
    return "Transform: VersionAlias\n" + text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    cases: list[tuple[str, str]] = []
    if args.corpus.is_dir():
        largest = sorted(
            (path for path in args.corpus.rglob("*") if path.suffix in {".yaml", ".json"}),
            key=lambda path: -path.stat().st_size,
        )[:5]
        for path in largest:
            text = path.read_text(encoding="utf-8-sig")
            name = str(path.relative_to(args.corpus))
            cases.append((name, text))
            if "Transform" not in text:
                cases.append((f"{name} + VersionAlias", listing_the_macro(text)))
    dense = dense_yaml()
    cases.append(("synthetic: 500 resources, block-style YAML", dense))
    # The macro's whole pipeline runs; its output would exceed 500 resources, so the core
    # refuses it at the end and the hook judges callers outside the template only.
    cases.append(("synthetic: the same + VersionAlias", listing_the_macro(dense)))
    from version_alias.guardrail.template_text import read_template

    cases.append(("synthetic: the same as JSON", json.dumps(read_template(dense), indent=1)))
    bodies: dict[str, bytes] = {}
    server = serve(bodies)
    for number, (name, text) in enumerate(cases):
        bodies[f"/{number}"] = json.dumps({"template": text}).encode()
        url = f"http://127.0.0.1:{server.server_address[1]}/{number}"
        seconds = []
        for _ in range(RUNS):
            started = time.perf_counter()
            answer = handle(request(url), ENVIRONMENT)
            seconds.append(time.perf_counter() - started)
        print(
            f"{name if len(name) <= 70 else '...' + name[-67:]:70} "
            f"{len(text.encode()) / 1024:7.1f} KiB  "
            f"median {statistics.median(seconds) * 1000:7.1f} ms  "
            f"max {max(seconds) * 1000:7.1f} ms  {answer['hookStatus']}"
        )
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
