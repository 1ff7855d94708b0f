"""Hook requests as CloudFormation builds them, and a local HTTP server on 127.0.0.1 that
serves their payloads (and, for the opt-out tag, DescribeStacks answers).

The request shape is the one the CloudFormation Hooks User Guide documents for
stack-level Lambda Hooks ("Evaluating stack operations with Lambda Hooks",
https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-create-lambda-function.html#lambda-hooks-create-lambda-function-stack):
the template is not in the request but behind `requestData.payload`, a URL whose body is
`{"template": ..., "previousTemplate": ...}`.
"""

from __future__ import annotations

import contextlib
import http.server
import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

ACCOUNT = "123456789012"
REGION = "us-east-1"
_COUNTER = itertools.count()


@dataclass
class PayloadServer:
    """Serves `bodies[path]` for GET and `post_answer` (status, body) for POST; records
    every request as (method, path, headers, body)."""

    port: int = 0
    bodies: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    post_answer: tuple[int, bytes] = (500, b"")
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)

    def serve(self, body: bytes | str, status: int = 200) -> str:
        """A fresh URL on 127.0.0.1 that answers with `body`."""
        path = f"/payload/{next(_COUNTER)}?X-Amz-Signature=presigned-secret"
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.bodies[path] = (status, data)
        return f"http://127.0.0.1:{self.port}{path}"

    def payload(self, template: str, previous: str = "") -> str:
        """The URL of a documented payload holding `template`."""
        return self.serve(json.dumps({"template": template, "previousTemplate": previous}))

    def gets(self) -> list[str]:
        return [path for method, path, _, _ in self.requests if method == "GET"]

    def posts(self) -> list[tuple[dict[str, str], bytes]]:
        return [(headers, body) for method, _, headers, body in self.requests if method == "POST"]


@contextlib.contextmanager
def payload_server() -> Iterator[PayloadServer]:
    """A PayloadServer listening on 127.0.0.1 (a free port) until the block ends."""
    state = PayloadServer()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(("GET", self.path, dict(self.headers), b""))
            self._answer(*state.bodies.get(self.path, (404, b"not found")))

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.requests.append(("POST", self.path, dict(self.headers), body))
            self._answer(*state.post_answer)

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def stack_request(
    payload_url: str | None,
    stack: str = "my-app",
    action: str = "CREATE",
    token: str = "f8da6d11-b23f-48f4-814c-0fb6a667f50e",
    region: str = REGION,
) -> dict[str, Any]:
    """A stack-level Lambda Hook request, field for field as the guide's example."""
    request: dict[str, Any] = {
        "clientRequestToken": token,
        "awsAccountId": ACCOUNT,
        "stackId": f"arn:aws:cloudformation:{region}:{ACCOUNT}:stack/{stack}/"
        "1a2345b6-0000-00a0-a123-00abc0abc000",
        "changeSetId": None,
        "hookTypeName": "Private::VersionAlias::Guardrail",
        "hookTypeVersion": "00000008",
        "hookModel": {
            "LambdaFunction": f"arn:aws:lambda:{region}:{ACCOUNT}:function:guardrail:live"
        },
        "actionInvocationPoint": f"{action}_PRE_PROVISION",
        "requestData": {
            "targetName": "STACK",
            "targetType": "STACK",
            "targetLogicalId": stack,
            "payload": payload_url,
        },
        "requestContext": {"invocation": 1, "callbackContext": None},
    }
    if payload_url is None:
        del request["requestData"]["payload"]
    return request


# The environment guardrail.yaml gives the function (guardrail stack `guardrail`, macro
# stack `version-alias-macro`), logging off unless a test turns it on.
ENVIRONMENT = {
    "MACRO_NAME": "VersionAlias",
    "SKIP_STACKS": "guardrail,version-alias-macro",
    "OPT_OUT_TAG": "",
    "LOG_LEVEL": "WARNING",
}
