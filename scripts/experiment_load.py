"""A steady, bounded HTTP load at several URLs at once, counted per second and per target.

Each target gets `rps` GET requests a second on a fixed schedule (request i is due at
start + i/rps), from its own sender thread and a bounded pool of workers. The load stops by
itself at the first of: `stop()`, `max_duration` seconds, or `max_requests` sent in total
(split evenly between the targets so that each sees the same load). A request that finds
every worker busy is not sent and counts as `skipped`, so a slow API never turns into an
unbounded queue.

Every request lands in the second it was due in, as one outcome:
- `ok`: an HTTP answer below 500 (the sample answers 404 for an order it does not have);
- `5xx`: an HTTP answer of 500 or more (the status codes are kept too);
- `timeout`: no answer within `timeout` seconds;
- `error`: no answer for another reason (connection refused or reset, TLS, DNS).
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import urllib3

OUTCOMES = ("ok", "5xx", "timeout", "error")


@dataclass(frozen=True)
class LoadSettings:
    """The load's bounds: requests per second per target, seconds, requests in total."""

    rps: float = 10.0
    max_duration: float = 900.0
    max_requests: int = 20_000
    timeout: float = 15.0
    workers: int = 64  # per target; more in flight than this is `skipped`

    def per_target_cap(self, targets: int) -> int:
        return self.max_requests // max(targets, 1)

    def most_requests(self, targets: int) -> int:
        """The most requests the load can send to `targets` URLs."""
        by_time = int(self.rps * self.max_duration) + 1
        return targets * min(by_time, self.per_target_cap(targets))


def classify(status: int | None, problem: BaseException | None) -> str:
    """One outcome from an HTTP status or the exception that replaced it."""
    if problem is not None:
        if isinstance(problem, urllib3.exceptions.NewConnectionError):
            return "error"  # refused or unreachable; urllib3 makes it a ConnectTimeoutError too
        timeouts = (urllib3.exceptions.TimeoutError, TimeoutError)
        return "timeout" if isinstance(problem, timeouts) else "error"
    return "5xx" if status is not None and status >= 500 else "ok"


@dataclass
class Tally:
    """One target's counts: per second (by due time) and per outcome, and status codes."""

    seconds: dict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    statuses: Counter[int] = field(default_factory=Counter)
    skipped: int = 0
    sent: int = 0

    def totals(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for counts in self.seconds.values():
            total.update(counts)
        return {
            **{name: total[name] for name in OUTCOMES},
            "sent": self.sent,
            "skipped": self.skipped,
        }

    def per_second(self) -> list[dict[str, int]]:
        """[{"t": second, "ok": n, "5xx": n, "timeout": n, "error": n}] with no gaps."""
        if not self.seconds:
            return []
        last = max(self.seconds)
        return [
            {"t": second, **{name: self.seconds[second][name] for name in OUTCOMES}}
            for second in range(last + 1)
        ]


class Load:
    """The load at `targets` ({name: url}); `start()`, then `stop()` (or let it end)."""

    def __init__(
        self,
        targets: dict[str, str],
        settings: LoadSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.targets = dict(targets)
        self.settings = settings
        self.tallies = {name: Tally() for name in targets}
        self.started_at = 0.0  # epoch seconds of the start: stack events are placed on it
        self.stopped_by: str | None = None
        self._clock, self._wall = clock, wall
        self._start = 0.0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._pools: list[ThreadPoolExecutor] = []
        self._http = urllib3.PoolManager(
            num_pools=max(len(targets), 1),
            maxsize=settings.workers,
            retries=False,
            timeout=urllib3.Timeout(connect=settings.timeout, read=settings.timeout),
        )

    def elapsed(self) -> float:
        return self._clock() - self._start

    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def start(self) -> None:
        self._start, self.started_at = self._clock(), self._wall()
        cap = self.settings.per_target_cap(len(self.targets))
        for name, url in self.targets.items():
            pool = ThreadPoolExecutor(self.settings.workers, thread_name_prefix=f"load-{name}")
            thread = threading.Thread(
                target=self._send, args=(name, url, pool, cap), name=f"send-{name}", daemon=True
            )
            self._pools.append(pool)
            self._threads.append(thread)
        for thread in self._threads:
            thread.start()

    def stop(self, reason: str = "stopped") -> None:
        """Stop sending and wait for the requests in flight (at most `timeout` seconds)."""
        if self.stopped_by is None:
            self.stopped_by = reason
        self._stop.set()
        for thread in self._threads:
            thread.join()
        for pool in self._pools:
            pool.shutdown(wait=True)
        self._http.clear()

    def _send(self, name: str, url: str, pool: ThreadPoolExecutor, cap: int) -> None:
        settings, tally = self.settings, self.tallies[name]
        free = threading.BoundedSemaphore(settings.workers)
        index = 0
        while not self._stop.is_set():
            due = index / settings.rps
            if due > settings.max_duration:
                self._ended("max_duration")
                return
            if index >= cap:
                self._ended("max_requests")
                return
            wait = due - self.elapsed()
            if wait > 0 and self._stop.wait(wait):
                return
            second = int(due)
            index += 1
            if not free.acquire(blocking=False):
                with self._lock:
                    tally.skipped += 1
                continue
            with self._lock:
                tally.sent += 1
            pool.submit(self._request, name, url, second, free)

    def _ended(self, reason: str) -> None:
        with self._lock:
            if self.stopped_by is None:
                self.stopped_by = reason

    def _request(self, name: str, url: str, second: int, free: threading.Semaphore) -> None:
        status: int | None = None
        problem: BaseException | None = None
        try:
            response = self._http.request("GET", url, preload_content=True)
            status = response.status
        except Exception as error:  # every failure is an outcome, never a crash
            problem = error
        finally:
            free.release()
        outcome = classify(status, problem)
        with self._lock:
            tally = self.tallies[name]
            tally.seconds[second][outcome] += 1
            if status is not None and status >= 500:
                tally.statuses[status] += 1

    def results(self) -> dict[str, Any]:
        """{target: {"totals", "seconds", "status_codes"}} as results.json holds them."""
        with self._lock:
            return {
                name: {
                    "totals": tally.totals(),
                    "seconds": tally.per_second(),
                    "status_codes": {str(code): n for code, n in sorted(tally.statuses.items())},
                }
                for name, tally in self.tallies.items()
            }
