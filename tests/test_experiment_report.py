"""The experiment's report and figure, from a recorded results.json (a run of the tool
against the local stand-ins, tests/fixtures/experiment/results.json), and the doc that
says what the experiment needs, costs, and has not measured yet."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import experiment  # noqa: E402
from experiment_plot import COLOURS, HEIGHT, WIDTH, WINDOW_COLOUR, plot  # noqa: E402
from experiment_report import ResultsError, in_window, markdown_table, read_results  # noqa: E402

RECORDED = ROOT / "tests" / "fixtures" / "experiment" / "results.json"
DOC = ROOT / "docs" / "experiment.md"


@pytest.fixture(scope="module")
def results() -> dict:
    return read_results(RECORDED)


def sums(stack: dict) -> dict[str, int]:
    return {name: sum(row[name] for row in stack["seconds"]) for name in COLOURS}


def test_the_table_has_one_row_per_stack_with_the_recorded_counts(results: dict) -> None:
    table = markdown_table(results)
    rows = [line for line in table.splitlines() if line.startswith("| SAM")]
    assert len(rows) == 2
    for row, stack in zip(rows, results["stacks"].values(), strict=True):
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        counted = sums(stack)
        assert cells[1:6] == [
            f"{stack['totals']['sent']:,}",
            f"{stack['totals']['ok']:,}",
            f"{counted['5xx']:,}",
            f"{counted['timeout']:,}",
            f"{counted['error']:,}",
        ]
        assert cells[8] == "UPDATE_COMPLETE"
    assert "not a measurement" in table.splitlines()[0], "a stand-in run says so"


def test_errors_during_the_update_are_the_seconds_that_overlap_it(results: dict) -> None:
    latest = results["stacks"]["latest"]
    update = latest["update"]
    expected = sum(
        row["5xx"]
        for row in latest["seconds"]
        if row["t"] + 1 > update["start_s"] and row["t"] <= update["end_s"]
    )
    assert latest["in_update"]["5xx"] == expected == latest["totals"]["5xx"] > 0
    assert in_window(latest["seconds"], None, None)["5xx"] == 0
    assert in_window(latest["seconds"], 100, 200)["ok"] == 0


def colour(hex_colour: str, alpha: float = 1.0) -> tuple[int, int, int]:
    """`hex_colour` at `alpha` over white, as the PNG holds it."""
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return tuple(round(alpha * c + (1 - alpha) * 255) for c in rgb)  # type: ignore[return-value]


def count(image: Image.Image, box: tuple[int, int, int, int], rgb: tuple[int, int, int]) -> int:
    colours = image.crop(box).getcolors(WIDTH * HEIGHT) or []
    return sum(
        n for n, pixel in colours if all(abs(a - b) <= 3 for a, b in zip(pixel, rgb, strict=True))
    )


def test_the_figure_shows_errors_for_latest_only_and_shades_both_updates(results, tmp_path):
    path = plot(results, tmp_path / "errors.png")
    with Image.open(path) as opened:
        image = opened.convert("RGB")
    assert image.size == (WIDTH, HEIGHT)
    top, bottom = (0, 0, WIDTH, HEIGHT // 2), (0, HEIGHT // 2, WIDTH, HEIGHT)
    red = colour(COLOURS["5xx"])
    assert count(image, top, red) > 2000, "the latest panel has 5xx bars"
    assert count(image, bottom, red) == 0, "the alias panel has none (the one legend is on top)"
    shade = colour(WINDOW_COLOUR, 0.15)
    assert count(image, top, shade) > 1000
    assert count(image, bottom, shade) > 1000, "the alias stack's update is shaded too"
    assert len(image.getcolors(WIDTH * HEIGHT) or []) > 50, "not a blank image"


def test_report_redraws_the_table_and_figure_from_a_recorded_run(tmp_path, capsys) -> None:
    copy = tmp_path / "results.json"
    copy.write_text(RECORDED.read_text())
    assert experiment.main(["--report", str(copy)]) == 0
    assert (tmp_path / "results.md").read_text() in capsys.readouterr().out
    with Image.open(tmp_path / "errors.png") as image:
        assert image.size == (WIDTH, HEIGHT)


def test_report_refuses_another_file(tmp_path, capsys) -> None:
    other = tmp_path / "results.json"
    other.write_text(json.dumps({"schema": "something-else"}))
    assert experiment.main(["--report", str(other)]) == 1
    assert "not a results.json of this experiment" in capsys.readouterr().err
    with pytest.raises(ResultsError):
        read_results(tmp_path / "missing.json")


def test_the_doc_says_it_needs_an_account_what_it_costs_and_that_nothing_is_measured():
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert "needs an AWS account" in text
    assert "does not contain a measured result" in text
    for page in ("aws.amazon.com/api-gateway/pricing", "aws.amazon.com/lambda/pricing",
                 "aws.amazon.com/dynamodb/pricing"):  # fmt: skip
        assert page in text
    most = experiment.LoadSettings().most_requests(2)
    assert f"{most:,} requests" in text, "the doc's worst case is the tool's default cap"
    assert experiment.dollars(experiment.cost(most)) in text
    per_million = re.search(r"\$([0-9.]+) per million requests in all", text)
    assert per_million and float(per_million.group(1)) == round(experiment.cost(10**6), 2)


@pytest.mark.parametrize(
    "doc",
    [pytest.param("README.md", id="readme"), pytest.param("docs/experiment.md", id="doc")],
)
def test_the_docs_show_where_to_paste_the_table(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert "<!-- experiment:start" in text and "<!-- experiment:end -->" in text
    between = text.split("<!-- experiment:start", 1)[1].split("<!-- experiment:end -->")[0]
    assert "| SAM only" not in between, "no result is pasted until someone runs it on AWS"
