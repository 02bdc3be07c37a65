"""The benchmark's scenarios: each takes the Context and returns its figures for the report."""

from bench.scenarios import adds, api_load, bulk, concurrency, curve, overhead, sources, throughput

RUNNERS = {
    "api": api_load.run,
    "concurrency": concurrency.run,
    "throughput": throughput.run,
    "overhead": overhead.run,
    "sources": sources.run,
    "curve": curve.run,
    "bulk": bulk.run,
    "adds": adds.run,
}
