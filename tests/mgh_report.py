"""The Moré-Garbow-Hillstrom problems against scipy's BFGS and optim's LBFGS and Newton.

Run from the repository root::

    python tests/mgh_report.py              # LBFGS capped at --max-iter 2000 (about 20 s)
    python tests/mgh_report.py --defaults   # every optimizer at its own max_iter
    python tests/mgh_report.py --factor 10  # from 10 x0, MGH's second start (100 x0 the third)

Each optimizer runs at its defaults from the standard start x0: scipy.optimize.minimize
(method="BFGS", jac=autograd.grad(f)), optim.LBFGS().minimize(f, x0) and
optim.Newton().minimize(f, x0), warnings caught. For each run the table gives

* ``ok``: the run solved the problem (``mgh.solved``: f within 1e-5 relative of f*, or of a
  listed local minimum at a stationary point; see its docstring);
* ``cv``: the optimizer's own verdict (scipy's ``success``, optim's ``result.converged``);
* ``nit``: iterations; a ``FC`` mark is a false convergence (``cv`` without ``ok``), a ``w``
  mark that the run warned (ConvergenceWarning, RuntimeWarning, ...), ``c`` that it hit the
  --max-iter cap.

LBFGS's default max_iter is 15000; one run that cannot meet its gradient tolerance (Meyer,
whose gradient at the minimizer is ~1e-3 in floating point) then takes over a minute, so by
default the report caps every optimizer at --max-iter (a cap below an optimizer's default
only shortens runs that have not converged by then).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

import optim  # noqa: E402
from tests.mgh import PROBLEMS, run_optim, run_scipy_bfgs  # noqa: E402


def _cell(result, capped):
    marks = "FC" if result.false_convergence else ""
    if "[warned" in result.message or "raised" in result.message:
        marks += "w"
    if capped:
        marks += "c"
    ok = "Y" if result.solved else "-"
    cv = "Y" if result.success else "-"
    return f"{ok}  {cv}  {result.nit:5d} {marks:4s}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-iter", type=int, default=2000)
    parser.add_argument("--defaults", action="store_true", help="no --max-iter cap")
    parser.add_argument(
        "--factor", type=float, default=1.0, help="start from factor * x0 (x0 = 0: factor)"
    )
    args = parser.parse_args(argv)

    solvers = {
        "scipy BFGS": lambda p: (run_scipy_bfgs(p, x0=scaled_start(p, args.factor)), False),
        "LBFGS": _optim_runner(optim.LBFGS(), args),
        "Newton": _optim_runner(optim.Newton(), args),
    }
    results = {name: [] for name in solvers}
    times = dict.fromkeys(solvers, 0.0)
    head = f"{'#':>2} {'problem':<41} {'n':>2} "
    head += " ".join(f"{name + ' ok cv nit':<19}" for name in solvers)
    if args.factor != 1.0:
        print(f"Start: {args.factor:g} x0 (a run may find a minimum MGH do not list)")
    print(head)
    print("-" * len(head))
    for p in PROBLEMS:
        cells = []
        for name, run in solvers.items():
            start = time.perf_counter()
            result, capped = run(p)
            times[name] += time.perf_counter() - start
            results[name].append((p, result))
            cells.append(f"{_cell(result, capped):<19}")
        print(f"{p.number:2d} {p.name:<41} {p.n:2d} " + " ".join(cells))

    print()
    for name, rows in results.items():
        n_solved = sum(r.solved for _, r in rows)
        n_success = sum(r.success for _, r in rows)
        false = [p.name for p, r in rows if r.false_convergence]
        print(
            f"{name}: solved {n_solved}/{len(rows)}, reported success {n_success}, "
            f"false convergences {len(false)}{': ' + ', '.join(false) if false else ''} "
            f"({times[name]:.1f} s)"
        )
    print()
    print("Runs that did not solve the problem (final f, relative gap to f*, message):")
    for name, rows in results.items():
        for p, r in rows:
            if not r.solved:
                gap = (r.f - p.f_min) / max(abs(p.f_min), 1e-300) if p.f_min else r.f
                print(f"  {name:<10} {p.name:<41} f={r.f:<12.6g} gap={gap:<10.3g} {r.message}")


def scaled_start(p, factor):
    """MGH's scaled starts: factor * x0, or the vector of factors where x0 = 0 (Watson)."""
    if factor == 1.0:
        return p.x0
    return factor * p.x0 if p.x0.any() else np.full(p.n, factor)


def _optim_runner(optimizer, args):
    def run(p):
        cap = None
        if not args.defaults and optimizer.default_max_iter > args.max_iter:
            cap = args.max_iter
        result = run_optim(p, optimizer, max_iter=cap, x0=scaled_start(p, args.factor))
        return result, cap is not None and result.nit >= cap

    return run


if __name__ == "__main__":
    main()
