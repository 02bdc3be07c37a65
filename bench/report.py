"""The report: one Markdown table (printed and written to ``latest.md``) and a chart
(``latest.png``) of latency and throughput.

Every figure reads ``median (min-max)`` over the repetitions.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.adds_report import adds_rows
from bench.bulk_report import bulk_rows
from bench.curve_report import curve_rows
from bench.stack import ROOT
from bench.stats import DASH, Figure, rate_text

TIMES = "\u00d7"


@dataclass
class Run:
    results: dict
    failed: list[str]
    machine: dict[str, str]
    other_work: float
    seconds: float
    reps: int
    quick: bool
    database: str
    redis: str
    web: str = ""  # the web server and its processes (older results do not say)
    notes: list[str] = field(default_factory=list)
    when: str = ""
    commit: str = ""

    def __post_init__(self) -> None:
        if not self.when:
            self.when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        if not self.commit:
            self.commit = _commit()


def _ms(figure: Figure) -> str:
    return figure.text("{:.1f}", "ms")


def _mb(megabytes: float) -> str:
    return f"{megabytes:.0f} MB"


def _goal(ok: bool | None, text: str) -> str:
    if ok is None:
        return text
    return f"{text} {'✅' if ok else '❌'}"


def _commit() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{sha}{' + uncommitted changes' if dirty else ''}" if sha else "unknown"


Row = tuple[str, str, str, str]  # scenario, figure, result, goal


def _api_rows(api: dict) -> list[Row]:
    where = (
        f"{api['rate']} req/s offered, open loop, half each; {api['background']} downloads "
        f"running ({api['background_mb']} MB at {rate_text(api['background_rate'])} each)"
    )
    rows = []
    lat = api["latency"]
    for kind, path in (
        ("POST download", "POST /api/videos/&lt;id&gt;/download"),
        ("GET job", "GET /api/jobs/&lt;id&gt;/"),
    ):
        p99 = lat[(kind, 99)]
        result = f"{_ms(lat[(kind, 50)])} / {_ms(lat[(kind, 95)])} / {_ms(p99)}"
        rows.append(
            (
                "1 API",
                f"{path} p50 / p95 / p99 ({where})",
                result,
                _goal(p99.median < 50, "p99 < 50 ms"),
            )
        )
    rows.append(("1 API", "failed requests in those runs", api["errors"].text("{:.0f}"), "0"))
    top = api["max_rate"]
    note = f" (the top rate tried, {api['ladder_top']})" if top.high >= api["ladder_top"] else ""
    rows.append(
        (
            "1 API",
            "highest offered rate with p99 < 100 ms over both endpoints (rates "
            "tried: 25, 50, 100, 150, 200, 300, 400, 600, 800 req/s; 0: none)",
            top.text("{:.0f}", "req/s") + note,
            "",
        )
    )
    return rows


def _concurrency_rows(conc: dict) -> list[Row]:
    held = conc["held"]
    note = " (every level tried)" if held.low >= conc["levels"][-1] else ""
    levels = ", ".join(map(str, conc["levels"]))
    memory = conc["memory"].text("{:.0f}", "MB")
    with_children = conc["memory_tree"].text("{:.0f}", "MB")
    return [
        (
            "2 Concurrency",
            "simultaneous downloads in one worker process, every one progressing "
            f"(levels {levels}; {conc['size_mb']} MB at {rate_text(conc['rate'])} per connection)",
            held.text("{:.0f}") + note,
            _goal(held.median >= 100, "100+"),
        ),
        (
            "2 Concurrency",
            f"worker process peak PSS at {conc['memory_level']} downloads "
            "(in brackets: with its ffmpeg children)",
            f"{memory} ({with_children})",
            _goal(conc["memory"].median < 300, "< 300 MB"),
        ),
        (
            "2 Concurrency",
            f"worker process peak PSS at {conc['levels'][-1]} downloads",
            conc["top_memory"].text("{:.0f}", "MB"),
            "",
        ),
    ]


def _throughput_rows(thr: dict) -> list[Row]:
    total_mb = thr["bytes"] / 1_000_000

    def speed(figure: Figure) -> str:
        return f"{figure.text('{:.1f}', 's')}, {total_mb / figure.median:.0f} MB/s"

    rows = []
    for mode in ("unthrottled", "capped"):
        f = thr[mode]
        label = "unthrottled" if mode == "unthrottled" else f"capped at {rate_text(thr['cap'])}"
        scenario = f"3 Throughput, {label}"
        goal = _goal(f["mv_plain"].median >= 0.95, "\u2265 0.95") if mode == "capped" else ""
        rows += [
            (
                scenario,
                f"MVidarr: {thr['n']} videos, {_mb(total_mb)}, {thr['parallel']} at a "
                "time (one bulk request to the bulk job completed)",
                speed(f["mvidarr"]),
                "",
            ),
            (scenario, f"plain HTTP client, {thr['parallel']} at a time", speed(f["plain"]), ""),
            (
                scenario,
                f"blocking: yt-dlp CLI one by one (timed on {thr[f'{mode}_sample']}, "
                f"scaled to {thr['n']})",
                speed(f["blocking"]),
                "",
            ),
            (
                scenario,
                "**MVidarr / plain HTTP** (throughput ratio)",
                f["mv_plain"].text("{:.3f}"),
                goal,
            ),
            (
                scenario,
                "**blocking / MVidarr** (capacity factor)",
                f["blk_mv"].text("{:.1f}", TIMES),
                "",
            ),
        ]
    return rows


def _overhead_rows(over: dict) -> list[Row]:
    return [
        (
            "4 Overhead",
            f"tiny jobs per second, submit to completed ({over['tiny']} {TIMES} "
            f"{over['tiny_size'] / 1000:.0f} kB, {over['threads']} worker threads)",
            over["jobs_per_second"].text("{:.1f}", "jobs/s"),
            "",
        ),
        (
            "4 Overhead",
            "worker progress update \u2192 WebSocket client, median / p95 "
            f"({over['ws_downloads']} downloads, {over['ws_samples']} updates)",
            f"{_ms(over['ws_median'])} / {_ms(over['ws_p95'])}",
            "",
        ),
        (
            "4 Overhead",
            "the same p95 counted from the update's hand-over to the worker's publisher thread "
            "(the rest is the worker writing the update: Redis, seq, serialisation)",
            _ms(over["ws_p95_from_hand_over"]),
            "",
        ),
    ]


def _sources_rows(src: dict) -> list[Row]:
    per_second = src["entries"] / src["index_seconds"].median
    return [
        (
            "5 Sources",
            f"index a source of {src['entries']:,} entries (an RSS feed yt-dlp lists flat, "
            f"{src['page']} a page; POST /api/sources/&lt;id&gt;/index to the job completed; "
            f"on the bulk worker, {src['threads']} threads; its probes are sent when it ends)",
            f"{src['index_seconds'].text('{:.1f}', 's')}, {per_second:.0f} entries/s",
            "",
        ),
        (
            "5 Sources",
            "bulk worker process peak PSS while indexing it (in brackets: idle just before)",
            f"{src['index_peak'].text('{:.0f}', 'MB')} ({src['index_idle'].text('{:.0f}', 'MB')})",
            "",
        ),
        (
            "5 Sources",
            f"one scheduler tick with {src['due']:,} sources due (the claim, and "
            f"{src['due']:,} index jobs written and sent)",
            _ms(src["tick_ms"]),
            "",
        ),
    ]


def table(run: Run) -> str:
    builders = {
        "api": _api_rows,
        "concurrency": _concurrency_rows,
        "throughput": _throughput_rows,
        "overhead": _overhead_rows,
        "sources": _sources_rows,
        "curve": curve_rows,
        "bulk": bulk_rows,
        "adds": adds_rows,
    }
    rows: list[Row] = []
    for name, build in builders.items():
        if name in run.results:
            rows += build(run.results[name])
    lines = ["| Scenario | Figure | Result | Goal |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def markdown(run: Run) -> str:
    m = run.machine
    busy = run.other_work * 100
    noise = f"other work used {busy:.0f}% of the machine's CPU during the run" + (
        " — figures were taken while other work ran" if busy >= 10 else ""
    )
    head = [
        f"MVidarr benchmark, {run.when}, commit {run.commit}.",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory']} memory, {m['os']}, "
        f"Python {m['python']}; database {run.database}, Redis {run.redis}"
        f"{f', web server {run.web}' if run.web else ''}; "
        f"{run.reps} repetition{'s' if run.reps != 1 else ''} per figure, shown as "
        f"median (min{DASH}max); `make bench` took {run.seconds / 60:.1f} min; {noise}.",
    ]
    if run.quick:
        head += ["", "**Quick run (`--quick`): smaller loads, one repetition; not for quoting.**"]
    body = ["", table(run)]
    tail = []
    for note in run.notes:
        tail.append(f"- {note}")
    for failure in run.failed:
        tail.append(f"- **Scenario failed**: {failure}")
    if tail:
        tail = ["", *tail]
    return "\n".join(head + body + tail) + "\n"


README = ROOT / "bench" / "README.md"
RESULTS = ROOT / "bench" / "results"
_START, _END = "<!-- latest:start -->", "<!-- latest:end -->"


def write(run: Run, out: Path) -> str:
    """Write ``latest.md``, ``latest.json`` (every repetition's values) and ``latest.png``
    into ``out``; return the Markdown. A full run into bench/results also updates the table
    that bench/README.md quotes."""
    out.mkdir(parents=True, exist_ok=True)
    text = markdown(run)
    (out / "latest.md").write_text(text)
    if out.resolve() == RESULTS.resolve() and not run.quick and README.exists():
        _quote_in_readme(text)
    (out / "latest.json").write_text(json.dumps(_plain(dataclasses.asdict(run)), indent=1) + "\n")
    try:
        # Optional: the table needs no matplotlib, only the chart does.
        from bench.chart import chart
        from bench.curve_chart import curve_chart
    except ImportError:
        text += "\n(No chart: matplotlib is not installed in the virtualenv.)\n"
    else:
        chart(run, out / "latest.png")
        curve_chart(run, out / "latest-curve.png")
    return text


def _quote_in_readme(text: str) -> None:
    readme = README.read_text()
    if _START in readme and _END in readme:
        head, rest = readme.split(_START, 1)
        tail = rest.split(_END, 1)[1]
        README.write_text(f"{head}{_START}\n{text}{_END}{tail}")


def _plain(value):
    """JSON-ready: a Figure becomes {"values": [...]}, a tuple key "POST download|99"."""
    if isinstance(value, Figure):
        return {"values": value.values}
    if isinstance(value, dict):
        if "values" in value and len(value) == 1:
            return {"values": value["values"]}
        return {("|".join(map(str, k)) if isinstance(k, tuple) else k): _plain(v)
                for k, v in value.items()}  # fmt: skip
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _revive(value):
    """The inverse of :func:`_plain`."""
    if isinstance(value, dict):
        if set(value) == {"values"}:
            return Figure(list(value["values"]))
        revived = {}
        for key, item in value.items():
            if "|" in key:
                kind, q = key.split("|")
                key = (kind, int(q))
            revived[key] = _revive(item)
        return revived
    if isinstance(value, list):
        return [_revive(v) for v in value]
    return value


def rerender(out: Path) -> str:
    """Write ``latest.md`` and ``latest.png`` again from ``latest.json`` (after a report
    change); return the Markdown."""
    data = json.loads((out / "latest.json").read_text())
    run = Run(**{**data, "results": _revive(data["results"])})
    return write(run, out)


if __name__ == "__main__":
    # python -m bench.report [DIR]: redo the table and chart of a run from its latest.json.
    print(rerender(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results"))
