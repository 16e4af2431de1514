"""Run every benchmark module and print one table.

    python -m benchmarks.run [--quick] [--only SUBSTRING[,SUBSTRING...]] [--json]

Modules are ``benchmarks/bench_*.py``; each has ``run(quick: bool) -> list[dict]`` and
returns rows with the keys ``name, value, baseline, ratio, unit, target`` (``baseline``
and ``ratio`` may be None; ``ok`` (bool) and ``note`` (str) are optional). A module that
fails to import or to run is skipped with the reason printed; the others still run.
Exit status: 0 (a skipped module and a missed target are reported, not fatal); with
``--strict``, 1 when a module was skipped.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ("name", "value", "baseline", "ratio", "target", "ok")


def discover() -> list[str]:
    """Names of the benchmark modules, sorted."""
    return sorted(
        f"benchmarks.{info.name}"
        for info in pkgutil.iter_modules([str(HERE)])
        if info.name.startswith("bench_")
    )


def _number(value: object, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        text = f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    else:
        text = str(value)
    return f"{text} {unit}".strip()


def format_row(row: dict) -> dict[str, str]:
    unit = str(row.get("unit") or "")
    ratio = row.get("ratio")
    ok = row.get("ok")
    return {
        "name": str(row.get("name", "?")),
        "value": _number(row.get("value"), unit),
        "baseline": _number(row.get("baseline"), unit),
        "ratio": "-" if ratio is None else f"{ratio:.2f}x",
        "target": str(row.get("target") or "-"),
        "ok": "-" if ok is None else ("yes" if ok else "NO"),
    }


def print_table(rows: list[dict], out=sys.stdout) -> None:
    shown = [format_row(row) for row in rows]
    widths = {column: max([len(column)] + [len(row[column]) for row in shown]) for column in COLUMNS}
    header = " | ".join(column.ljust(widths[column]) for column in COLUMNS)
    print(header, file=out)
    print("-+-".join("-" * widths[column] for column in COLUMNS), file=out)
    for row in shown:
        print(" | ".join(row[column].ljust(widths[column]) for column in COLUMNS), file=out)
    notes = [(row.get("name"), row.get("note")) for row in rows if row.get("note")]
    if notes:
        print(file=out)
        for name, note in notes:
            print(f"  {name}: {note}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions: a smoke run that finishes fast")
    parser.add_argument("--only", metavar="SUBSTRING[,...]",
                        help="run only modules whose name contains one of these (comma-separated)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a module fails to import or run")
    args = parser.parse_args(argv)

    rows: list[dict] = []
    failed = False
    for name in discover():
        if args.only and not any(part and part in name for part in args.only.split(",")):
            continue
        try:
            module = importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 - report and go on
            print(f"skipped {name}: import failed: {type(error).__name__}: {error}", file=sys.stderr)
            failed = True
            continue
        run = getattr(module, "run", None)
        if not callable(run):
            print(f"skipped {name}: no run(quick) function", file=sys.stderr)
            failed = True
            continue
        started = time.perf_counter()
        try:
            module_rows = list(run(args.quick))
        except Exception as error:  # noqa: BLE001
            print(f"skipped {name}: run failed: {type(error).__name__}: {error}", file=sys.stderr)
            traceback.print_exc(limit=3, file=sys.stderr)
            failed = True
            continue
        print(f"ran {name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        rows.extend(module_rows)

    if args.json:
        print(json.dumps(rows, indent=2, default=str))
    else:
        print_table(rows)
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
