"""gradscratch against scikit-learn / scipy on the same data, side by side, in one run.

Each module in examples/bench/ defines ``cases()``: a list of :class:`Case`. For every case
the two fits alternate ``--repeat`` times on the same data and the table gives median
seconds, their ratio (ours / reference: below 1 is faster) and the quality of both.
Needs the ``dev`` extra (scikit-learn, scipy).

    python examples/benchmark.py [--repeat 5] [--only linear] [--markdown benchmark.md]
"""

import argparse
import importlib
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


@dataclass
class Case:
    """One row: ``ours(data)`` and ``reference(data)`` fit and return a fitted object;
    ``quality(fitted, data)`` scores either (same metric for both)."""

    name: str
    data: Callable
    ours: Callable
    reference: Callable
    quality: Callable
    metric: str = "score"
    reference_name: str = "scikit-learn"


def _time(fit, data):
    start = time.perf_counter()
    fitted = fit(data)
    return time.perf_counter() - start, fitted


def run_case(case, repeat):
    data = case.data()
    ours_t, ref_t = [], []
    for _ in range(repeat):
        t, ours = _time(case.ours, data)
        ours_t.append(t)
        t, ref = _time(case.reference, data)
        ref_t.append(t)
    ours_s, ref_s = float(np.median(ours_t)), float(np.median(ref_t))
    return {
        "case": case.name,
        "reference": case.reference_name,
        "ours_s": ours_s,
        "ref_s": ref_s,
        "ratio": ours_s / ref_s,
        "metric": case.metric,
        "ours_q": case.quality(ours, data),
        "ref_q": case.quality(ref, data),
    }


def markdown(rows):
    lines = [
        f"Measured on {platform.machine()} with {platform.python_version()}, "
        f"median of the runs; ratio = ours / reference (below 1: faster).",
        "",
        "| case | reference | ours (s) | reference (s) | ratio | metric | ours | reference |",
        "|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['reference']} | {r['ours_s']:.3f} | {r['ref_s']:.3f} | "
            f"{r['ratio']:.2f} | {r['metric']} | {r['ours_q']:.6g} | {r['ref_q']:.6g} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="bench modules to run (default: all)")
    parser.add_argument("--markdown", help="also write the table to this Markdown file")
    args = parser.parse_args()
    modules = args.only or sorted(
        p.stem for p in (HERE / "bench").glob("*.py") if not p.stem.startswith("_")
    )
    rows = []
    for name in modules:
        module = importlib.import_module(f"bench.{name}")
        for case in module.cases():
            row = run_case(case, args.repeat)
            rows.append(row)
            print(
                f"{row['case']:<44} ours {row['ours_s']:8.3f}s  ref {row['ref_s']:8.3f}s  "
                f"ratio {row['ratio']:5.2f}  {row['metric']} {row['ours_q']:.6g} vs "
                f"{row['ref_q']:.6g}",
                flush=True,
            )
    table = markdown(rows)
    print()
    print(table)
    if args.markdown:
        Path(args.markdown).write_text(table + "\n")


if __name__ == "__main__":
    main()
