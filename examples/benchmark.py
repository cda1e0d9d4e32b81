"""gradscratch against scikit-learn / scipy on the same data, side by side, in one run.

Each module in examples/bench/ defines ``cases()``: a list of :class:`Case`. For every case
the two fits alternate ``--repeat`` times on the same data and the table gives median
seconds, their ratio (ours / reference: below 1 is faster) and the quality of both. A case
that knows its optimum (the parametric models: coefficients at a tight tolerance, computed
once and not timed) also reports each side's distance from it, and a ratio counts only if
ours is within ``TARGET`` (1e-6) of it: a looser answer is not speed. ``--load`` measures
every row a second time with one competing CPU-bound process running (started and stopped
here), as on a busy machine. Needs the ``dev`` extra (scikit-learn, scipy).

    python examples/benchmark.py [--repeat 5] [--only linear] [--load] [--markdown out.md]
"""

import argparse
import importlib
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

TARGET = 1e-6  # relative distance of our coefficients from the optimum for a ratio to count


@dataclass
class Case:
    """One row: ``ours(data)`` and ``reference(data)`` fit and return a fitted object;
    ``quality(fitted, data)`` scores either (same metric for both); ``optimum(data)``, if
    given, is the exact answer and ``distance(fitted, optimum)`` a fit's relative distance
    from it."""

    name: str
    data: Callable
    ours: Callable
    reference: Callable
    quality: Callable
    metric: str = "score"
    reference_name: str = "scikit-learn"
    optimum: Callable = None
    distance: Callable = None


def coefficient_distance(fitted, optimum):
    """||coef - coef*|| / ||coef*|| over the coefficients and intercepts together."""
    coef, intercept = optimum
    ours = np.concatenate([np.ravel(fitted.coef_), np.ravel(fitted.intercept_)])
    best = np.concatenate([np.ravel(coef), np.ravel(intercept)])
    return float(np.linalg.norm(ours - best) / np.linalg.norm(best))


def _time(fit, data):
    start = time.perf_counter()
    fitted = fit(data)
    return time.perf_counter() - start, fitted


def _timings(case, data, repeat):
    ours_t, ref_t = [], []
    for _ in range(repeat):
        t, ours = _time(case.ours, data)
        ours_t.append(t)
        t, ref = _time(case.reference, data)
        ref_t.append(t)
    ratios = np.array(ours_t) / np.array(ref_t)
    return float(np.median(ours_t)), float(np.median(ref_t)), float(np.median(ratios)), ours, ref


@contextmanager
def competing_process(seconds):
    """One CPU-bound process beside the benchmark, for at most ``seconds``."""
    busy = f"import time\nend = time.time() + {seconds}\nwhile time.time() < end: pass\n"
    process = subprocess.Popen([sys.executable, "-c", busy])
    try:
        yield
    finally:
        process.terminate()
        process.wait()


def run_case(case, repeat, load=False):
    data = case.data()
    ours_s, ref_s, ratio, ours, ref = _timings(case, data, repeat)
    row = {
        "case": case.name,
        "reference": case.reference_name,
        "ours_s": ours_s,
        "ref_s": ref_s,
        "ratio": ratio,
        "metric": case.metric,
        "ours_q": case.quality(ours, data),
        "ref_q": case.quality(ref, data),
        "ours_err": np.nan,
        "ref_err": np.nan,
        "accurate": True,
        "loaded_ratio": np.nan,
    }
    if case.optimum is not None:
        best = case.optimum(data)
        row["ours_err"] = case.distance(ours, best)
        row["ref_err"] = case.distance(ref, best)
        row["accurate"] = row["ours_err"] <= TARGET
    if load:
        with competing_process(seconds=600):
            row["loaded_ratio"] = _timings(case, data, repeat)[2]
    return row


def _ratio(value, accurate):
    return f"{value:.2f}" if accurate else f"({value:.2f}: not within {TARGET:g})"


def markdown(rows, header):
    lines = [
        header,
        "",
        "| case | reference | ours (s) | reference (s) | ratio | ratio, loaded | metric | ours "
        "| reference | distance from optimum: ours / reference |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in rows:
        distance = "" if np.isnan(r["ours_err"]) else f"{r['ours_err']:.1e} / {r['ref_err']:.1e}"
        loaded = "" if np.isnan(r["loaded_ratio"]) else _ratio(r["loaded_ratio"], r["accurate"])
        lines.append(
            f"| {r['case']} | {r['reference']} | {r['ours_s']:.3f} | {r['ref_s']:.3f} | "
            f"{_ratio(r['ratio'], r['accurate'])} | {loaded} | {r['metric']} | "
            f"{r['ours_q']:.6g} | {r['ref_q']:.6g} | {distance} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="bench modules to run (default: all)")
    parser.add_argument("--load", action="store_true", help="also time beside a busy process")
    parser.add_argument("--markdown", help="also write the table to this Markdown file")
    args = parser.parse_args()
    modules = args.only or sorted(
        p.stem for p in (HERE / "bench").glob("*.py") if not p.stem.startswith("_")
    )
    load = os.getloadavg()
    header = (
        f"Measured on {platform.machine()} ({os.cpu_count()} cores) with Python "
        f"{platform.python_version()}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"at the start; median of {args.repeat} runs of each; ratio = ours / reference "
        "(below 1: faster), the median of the paired ratios."
    )
    print(header)
    rows = []
    for name in modules:
        module = importlib.import_module(f"bench.{name}")
        for case in module.cases():
            row = run_case(case, args.repeat, load=args.load)
            rows.append(row)
            print(
                f"{row['case']:<44} ours {row['ours_s']:8.3f}s  ref {row['ref_s']:8.3f}s  "
                f"ratio {_ratio(row['ratio'], row['accurate'])}  loaded {row['loaded_ratio']:.2f}"
                f"  {row['metric']} {row['ours_q']:.6g} vs {row['ref_q']:.6g}  "
                f"distance {row['ours_err']:.1e} vs {row['ref_err']:.1e}",
                flush=True,
            )
    table = markdown(rows, header)
    print()
    print(table)
    if args.markdown:
        Path(args.markdown).write_text(table + "\n")


if __name__ == "__main__":
    main()
