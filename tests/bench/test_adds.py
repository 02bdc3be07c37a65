"""The adds scenario's memory figure sums a whole process tree, and its report reads it."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench import footprint
from bench.adds_report import adds_rows
from bench.stats import Figure


def test_the_tree_pss_counts_every_descendant():
    code = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'input()'])"
    parent = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE)
    try:
        for _ in range(1000):  # until the grandchild has started
            if len(footprint.tree([parent.pid])) == 2:
                break
            time.sleep(0.01)
        alone = footprint.pss_of(parent.pid)
        total, processes = footprint.tree_pss([parent.pid])
        assert processes == 2
        assert total > alone > 0
    finally:
        parent.communicate(b"\n", timeout=30)


def test_the_sampler_keeps_the_largest_sample():
    with footprint.PeakSampler([os.getpid()], interval=0.01) as sampler:
        sampler.sample()
    assert sampler.peak >= footprint.pss_of(os.getpid()) // 2 > 0
    assert sampler.peak_processes >= 1


def test_the_report_says_whether_the_goals_were_met():
    latency = {(k, q): Figure([50.0]) for k in ("POST add", "POST download") for q in (50, 95, 99)}
    latency[("POST add", 99)] = Figure([250.0])
    rows = adds_rows(
        {
            "clients": 20, "adds_per_client": 10, "background": 20, "background_mb": 20,
            "background_rate": 150_000, "latency": latency, "adds_per_second": Figure([15.0]),
            "all_done_seconds": Figure([30.0]), "errors": Figure([0]), "peak_mb": Figure([390.0]),
            "peak_processes": Figure([9]), "idle_mb": 300.0, "idle_processes": 8,
        }
    )  # fmt: skip
    goals = {figure.split(" (")[0].split(" p50")[0]: goal for _, figure, _, goal in rows if goal}
    assert goals["POST /api/videos/"].endswith("❌")
    assert goals["POST /api/videos/&lt;id&gt;/download"].endswith("✅")
    assert goals["whole stack PSS at idle"].endswith("❌")
    assert goals["whole stack peak PSS during the adds, 9 processes"].endswith("✅")
