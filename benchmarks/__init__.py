"""Benchmarks: ratios against baselines measured in the same run.

``python -m benchmarks.run [--quick]`` discovers ``benchmarks/bench_*.py`` modules; each
exposes ``run(quick: bool) -> list[dict]`` with keys name, value, baseline, ratio, unit,
target (and optionally ok: bool, note: str).
"""
