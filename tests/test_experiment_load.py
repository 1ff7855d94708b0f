"""scripts/experiment_load.py against a local HTTP server on 127.0.0.1 that fails a known
share of requests inside a known window: results.json must count exactly what the server
did, in the seconds of that window."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import urllib3

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from experiment_load import Load, LoadSettings, classify  # noqa: E402
from experiment_report import build_results, read_results, write_results  # noqa: E402

WINDOW = (1.5, 3.5)  # seconds after the load's start; half-second edges leave room for lag
TIMEOUT = 0.5


class Server:
    """Inside WINDOW, of every 8 requests that arrive: #1 and #5 get 500, #3 and #7 get 503,
    #6 stalls past the client's timeout; everything else, and everything outside, gets 200.
    It counts what it did, by its own clock."""

    def __init__(self) -> None:
        self.t0: float | None = None
        self.done: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.http.daemon_threads = True
        host, port = self.http.server_address[:2]
        self.url = f"http://{host}:{port}/orders"

    def decide(self) -> int | str:
        with self.lock:
            now = time.monotonic() - self.t0 if self.t0 is not None else -1.0
            if not WINDOW[0] <= now < WINDOW[1]:
                self.done[200] += 1
                return 200
            k = self.done["in_window"] % 8
            self.done["in_window"] += 1
            answer: int | str = {1: 500, 5: 500, 3: 503, 7: 503, 6: "stall"}.get(k, 200)
            self.done[answer] += 1
            return answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                answer = server.decide()
                if answer == "stall":
                    time.sleep(TIMEOUT + 0.4)
                    answer = 200
                try:
                    self.send_response(int(answer))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the client gave up (the stalled ones)
                    pass

            def log_message(self, *_: Any) -> None:
                pass

        return Handler


@pytest.fixture
def server() -> Iterator[Server]:
    served = Server()
    thread = threading.Thread(target=served.http.serve_forever, daemon=True)
    thread.start()
    yield served
    served.http.shutdown()
    served.http.server_close()


def run_load(server: Server, settings: LoadSettings, seconds: float) -> Load:
    load = Load({"latest": server.url}, settings)
    load.start()
    server.t0 = load._start  # the load's own monotonic start: the window's zero
    while load.running() and load.elapsed() < seconds:
        time.sleep(0.05)
    load.stop("tail")
    return load


def test_counts_and_window_in_results_json_match_the_server(server: Server, tmp_path: Path):
    settings = LoadSettings(rps=20, max_duration=30, max_requests=1000, timeout=TIMEOUT)
    load = run_load(server, settings, 5.0)
    window = {"start_s": WINDOW[0], "end_s": WINDOW[1], "status": "UPDATE_COMPLETE"}
    results = build_results(
        run_id="test", region="local", started_at="now", label="", stopped_by=load.stopped_by,
        settings={"rps": 20}, load=load.results(),
        stacks={"latest": {"stack_name": "s", "description": "", "endpoint": server.url,
                           "update": window}},
    )  # fmt: skip
    write_results(tmp_path / "results.json", results)
    latest = read_results(tmp_path / "results.json")["stacks"]["latest"]

    done = server.done
    assert done["in_window"] >= 30, "about 40 requests fall in the 2 s window at 20/s"
    assert latest["totals"] == {
        "ok": done[200],
        "5xx": done[500] + done[503],
        "timeout": done["stall"],
        "error": 0,
        "sent": sum(done[key] for key in (200, 500, 503, "stall")),
        "skipped": 0,
    }
    assert latest["status_codes"] == {"500": done[500], "503": done[503]}
    # the known share: half of the window's requests answered 5xx, one in eight stalled
    assert done[500] + done[503] == done["in_window"] // 2
    assert done["stall"] == (done["in_window"] + 1) // 8
    assert latest["update"] == window
    failing = [row["t"] for row in latest["seconds"] if row["5xx"] or row["timeout"]]
    assert failing and set(failing) <= {1, 2, 3}, "errors only in the seconds of the window"
    assert latest["in_update"]["5xx"] == latest["totals"]["5xx"]
    assert latest["in_update"]["timeout"] == latest["totals"]["timeout"]
    assert all(row["ok"] == 20 for row in latest["seconds"] if row["t"] in (0, 4))
    assert json.loads((tmp_path / "results.json").read_text())["schema"].endswith("/1")


def test_the_cap_on_requests_stops_the_load(server: Server) -> None:
    settings = LoadSettings(rps=50, max_duration=30, max_requests=30, timeout=TIMEOUT)
    load = run_load(server, settings, 5.0)
    assert load.stopped_by == "max_requests"
    assert load.results()["latest"]["totals"]["sent"] == 30
    assert load.elapsed() < 3.0, "it stopped by itself, long before the test's 5 s"


def test_the_duration_bound_stops_the_load(server: Server) -> None:
    settings = LoadSettings(rps=10, max_duration=1.0, max_requests=1000, timeout=TIMEOUT)
    load = run_load(server, settings, 5.0)
    assert load.stopped_by == "max_duration"
    assert load.results()["latest"]["totals"]["sent"] == 11  # due at 0.0, 0.1, ... 1.0


def test_busy_workers_skip_requests_instead_of_queueing_them(server: Server) -> None:
    server.t0 = None
    slow = LoadSettings(rps=20, max_duration=30, max_requests=1000, timeout=TIMEOUT, workers=1)

    def stall_all() -> str:
        return "stall"

    server.decide = stall_all  # type: ignore[method-assign]
    load = Load({"latest": server.url}, slow)
    load.start()
    time.sleep(1.0)
    load.stop("tail")
    totals = load.results()["latest"]["totals"]
    assert totals["skipped"] > 0
    assert totals["sent"] <= 3, "one worker, each request held 0.5 s"
    assert totals["timeout"] == totals["sent"]


def test_an_unreachable_api_counts_as_no_answer() -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as closed:
        port = closed.server_address[1]
    load = Load({"latest": f"http://127.0.0.1:{port}/orders"}, LoadSettings(rps=20, timeout=1))
    load.start()
    time.sleep(0.3)
    load.stop("tail")
    totals = load.results()["latest"]["totals"]
    assert totals["error"] == totals["sent"] > 0


@pytest.mark.parametrize(
    ("status", "problem", "outcome"),
    [
        pytest.param(200, None, "ok", id="200-ok"),
        pytest.param(404, None, "ok", id="404-is-the-sample's-answer"),
        pytest.param(429, None, "ok", id="4xx-is-an-answer"),
        pytest.param(500, None, "5xx", id="500"),
        pytest.param(504, None, "5xx", id="504"),
        pytest.param(None, TimeoutError(), "timeout", id="timeout"),
        pytest.param(None, ConnectionResetError(), "error", id="reset"),
        pytest.param(
            None, urllib3.exceptions.NewConnectionError(None, "refused"), "error", id="refused"
        ),
        pytest.param(
            None, urllib3.exceptions.ReadTimeoutError(None, "/", "slow"), "timeout", id="read"
        ),
    ],
)
def test_classify(status: int | None, problem: BaseException | None, outcome: str) -> None:
    assert classify(status, problem) == outcome
