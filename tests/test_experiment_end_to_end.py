"""scripts/experiment.py end to end against the local stand-ins (tests/experiment_standin.py):
moto on 127.0.0.1 for STS, S3, Logs and the macro stack, a fake CloudFormation for the
experiment's stacks, and local HTTP APIs whose function is built from the code and template
the tool uploaded. Without the macro the rename fails requests during the function update;
with it, none fail; everything the run created is gone afterwards."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

import experiment  # noqa: E402
from experiment_load import Load  # noqa: E402
from experiment_plot import HEIGHT, WIDTH  # noqa: E402
from experiment_standin import DEMO_ARGS, MACRO_STACK, standin  # noqa: E402


def test_the_rename_fails_requests_on_latest_and_none_on_the_alias(tmp_path, capsys) -> None:
    with standin(gap=1.5) as (session, fake):
        status = experiment.main([*DEMO_ARGS, "--out", str(tmp_path)], session=session)
        buckets = session.client("s3").list_buckets()["Buckets"]
        stacks = dict(fake.stacks)

    assert status == 0
    results = json.loads((tmp_path / "results.json").read_text())
    latest, alias = results["stacks"]["latest"], results["stacks"]["alias"]
    assert latest["totals"]["5xx"] >= 10, "1.5 s of mixed code and configuration at 20/s"
    assert latest["status_codes"] == {"500": latest["totals"]["5xx"]}
    update = latest["update"]
    assert update["status"] == "UPDATE_COMPLETE"
    assert update["start_s"] <= update["function_start_s"] < update["function_end_s"]
    failing = [row["t"] for row in latest["seconds"] if row["5xx"]]
    assert all(update["function_start_s"] - 1 < t <= update["function_end_s"] for t in failing)
    assert latest["in_update"]["5xx"] == latest["totals"]["5xx"]
    assert alias["totals"]["5xx"] == alias["totals"]["timeout"] == alias["totals"]["error"] == 0
    assert alias["totals"]["ok"] == alias["totals"]["sent"] == latest["totals"]["sent"]
    assert results["stopped_by"] == "tail"

    out = capsys.readouterr().out
    assert "| SAM only: the API invokes `$LATEST` |" in out
    assert f"| {latest['totals']['5xx']} |" in out
    with Image.open(tmp_path / "errors.png") as image:
        assert image.size == (WIDTH, HEIGHT)
    assert (tmp_path / "results.md").read_text() in out

    assert buckets == [], "the code bucket is gone"
    assert {stack.status for stack in stacks.values()} == {"DELETE_COMPLETE"}
    assert len(stacks) == 2


def test_ctrl_c_during_the_load_still_deletes_everything(tmp_path, capsys) -> None:
    loads: list[Load] = []
    interrupted: list[bool] = []

    def sleep(seconds: float) -> None:
        if loads and loads[0].running() and not interrupted:
            interrupted.append(True)
            raise KeyboardInterrupt
        time.sleep(seconds)

    def load_factory(targets, settings) -> Load:
        loads.append(Load(targets, settings))
        return loads[-1]

    with standin() as (session, fake):
        status = experiment.main([*DEMO_ARGS, "--out", str(tmp_path)], session=session,
                                 load_factory=load_factory, sleep=sleep)  # fmt: skip
        buckets = session.client("s3").list_buckets()["Buckets"]
        stacks = dict(fake.stacks)

    assert status == 130
    assert loads[0].stopped_by == "interrupted" and not loads[0].running()
    assert buckets == []
    assert {stack.status for stack in stacks.values()} == {"DELETE_COMPLETE"}
    assert not (tmp_path / "results.json").exists()
    assert "interrupted" in capsys.readouterr().err


@pytest.mark.parametrize(
    "macro_stack",
    [pytest.param("some-other-stack", id="wrong-name"), pytest.param(MACRO_STACK, id="default")],
)
def test_the_macro_stack_is_checked_in_moto_first(tmp_path, capsys, macro_stack) -> None:
    with standin() as (session, fake):
        status = experiment.main(
            ["--macro-stack", macro_stack, "--out", str(tmp_path)], session=session,
            ask=lambda _: "no",
        )  # fmt: skip
        stacks = dict(fake.stacks)
    err = capsys.readouterr().err
    assert stacks == {}
    if macro_stack == MACRO_STACK:
        assert status == 0 and "the alias stack uses the macro VersionAlias" in err
    else:
        assert status == 1 and "`make deploy`" in err
