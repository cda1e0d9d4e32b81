"""Command line: ``gradscratch compare`` fits one model with several optimizers on a bundled
dataset (standardized), prints a table (iterations, seconds, final objective, gap to the best,
converged) and writes the convergence figure, against iterations and against time.

    gradscratch compare --model lasso --dataset diabetes --optimizers ista,fista --out fig.png

Exit status: 0 when at least one optimizer ran and the figure was written; 2 for a bad request
(unknown name, a repeated optimizer, a figure path that cannot be written, checked before any
fit); 1 when every optimizer refused the model.
"""

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import optim
from gradscratch import datasets

# name -> (estimator class name in gradscratch, default hyperparameters, task)
MODELS = {
    "linear": ("LinearRegression", {}, "regression"),
    "ridge": ("Ridge", {"alpha": 1.0}, "regression"),
    "lasso": ("Lasso", {"alpha": 0.1}, "regression"),
    "elasticnet": ("ElasticNet", {"alpha": 0.1, "l1_ratio": 0.5}, "regression"),
    "logistic": ("LogisticRegression", {"C": 1.0}, "classification"),
}

OPTIMIZERS = {
    "gd": "GradientDescent",
    "momentum": "Momentum",
    "nesterov": "Nesterov",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
    "lbfgs": "LBFGS",
    "newton": "Newton",
    "ista": "ProximalGradient",
    "fista": "FISTA",
}

DATASETS = {
    "diabetes": "regression",
    "breast_cancer": "classification",
    "iris": "classification",
    "wine": "classification",
    "digits": "classification",
}


class CommandError(ValueError):
    """A bad command-line request, reported without a traceback."""


def _choose(kind, name, options):
    if name not in options:
        raise CommandError(f"unknown {kind} {name!r}; choose from: {', '.join(sorted(options))}")
    return options[name]


def _standardized(name):
    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    scale = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(scale > 0, scale, 1.0), y


def compare(model, dataset, optimizer_names, max_iter=500):
    """Fit ``model`` on ``dataset`` once per optimizer; returns {name: fitted model or error}."""
    import gradscratch

    class_name, params, task = _choose("model", model, MODELS)
    if _choose("dataset", dataset, DATASETS) != task:
        raise CommandError(f"{model} is a {task} model but {dataset} is not a {task} dataset")
    estimator = getattr(gradscratch, class_name, None)
    if estimator is None:
        raise CommandError(f"model {model!r} ({class_name}) is not available in this version")
    X, y = _standardized(dataset)
    fits = {}
    for name in optimizer_names:
        optimizer_cls = getattr(optim, _choose("optimizer", name, OPTIMIZERS), None)
        if optimizer_cls is None:
            raise CommandError(f"optimizer {name!r} is not available in this version")
        est = estimator(**params, optimizer=optimizer_cls(), max_iter=max_iter)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", gradscratch.ConvergenceWarning)
            start = time.perf_counter()
            try:
                est.fit(X, y)
            except (ValueError, TypeError) as err:
                fits[name] = err
                continue
        est.fit_seconds_ = time.perf_counter() - start
        fits[name] = est
    return fits


def table(fits):
    """Rows: optimizer, iterations, seconds, final objective, gap to the best, converged."""
    done = {k: v for k, v in fits.items() if not isinstance(v, Exception)}
    best = min((m.optim_result_.fun for m in done.values()), default=np.nan)
    lines = [f"{'optimizer':<10} {'iter':>6} {'seconds':>9} {'objective':>16} {'gap':>10}  ok"]
    for name, est in fits.items():
        if isinstance(est, Exception):
            lines.append(f"{name:<10} refused: {est}")
            continue
        r = est.optim_result_
        gap = (r.fun - best) / max(abs(best), 1e-300)
        lines.append(
            f"{name:<10} {r.n_iter:>6} {est.fit_seconds_:>9.3f} {r.fun:>16.10g} {gap:>10.2e}  "
            f"{'yes' if r.converged else 'no'}"
        )
    return "\n".join(lines)


def _check_figure_path(out):
    """Refuse, before any fit, a figure that could not be written."""
    from matplotlib.backend_bases import FigureCanvasBase

    path = Path(out)
    kinds = FigureCanvasBase.get_supported_filetypes()
    extension = path.suffix.lower().lstrip(".")
    if extension not in kinds:
        raise CommandError(
            f"cannot write the figure {out!r}: unknown extension {path.suffix or '(none)'!r}; "
            f"use one of {', '.join('.' + k for k in sorted(kinds))}"
        )
    folder = path.parent
    if not folder.is_dir():
        raise CommandError(f"cannot write the figure {out!r}: no folder {str(folder)!r}")
    if not os.access(folder, os.W_OK):
        raise CommandError(f"cannot write the figure {out!r}: folder {str(folder)!r} is read-only")


def _optimizer_names(text):
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise CommandError("give at least one optimizer")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise CommandError(f"optimizer {', '.join(map(repr, repeated))} given more than once")
    return names


def _parser():
    from gradscratch import __version__

    intro, _, rest = __doc__.partition("\n\n")
    parser = argparse.ArgumentParser(
        prog="gradscratch",
        description=intro,
        epilog=rest,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"gradscratch {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    cmp = sub.add_parser(
        "compare",
        help="fit one model with several optimizers and plot their convergence",
        description=intro,
        epilog=rest,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmp.add_argument("--model", required=True, help="one of: " + ", ".join(MODELS))
    cmp.add_argument("--dataset", required=True, help="one of: " + ", ".join(DATASETS))
    cmp.add_argument(
        "--optimizers", required=True, help="comma-separated, from: " + ", ".join(OPTIMIZERS)
    )
    cmp.add_argument("--max-iter", type=int, default=500, help="iteration budget (default 500)")
    cmp.add_argument(
        "--out",
        default="compare.png",
        help="figure file, its type from the extension (.png, .pdf, .svg, ...); default "
        "compare.png",
    )
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        names = _optimizer_names(args.optimizers)
        _check_figure_path(args.out)
        fits = compare(args.model, args.dataset, names, max_iter=args.max_iter)
    except CommandError as err:
        print(f"gradscratch compare: error: {err}", file=sys.stderr)
        return 2
    print(table(fits))
    done = {k: v for k, v in fits.items() if not isinstance(v, Exception)}
    if not done:
        print(
            f"gradscratch compare: error: no optimizer could fit {args.model} (every one "
            "refused it; see the table); nothing to plot",
            file=sys.stderr,
        )
        return 1
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gradscratch.plotting import plot_convergence

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    plot_convergence(done, ax=axes[0])
    plot_convergence(done, ax=axes[1], x="time")
    fig.suptitle(f"{args.model} on {args.dataset}")
    fig.tight_layout()
    try:
        fig.savefig(args.out, dpi=110)
    except OSError as err:
        print(f"gradscratch compare: error: cannot write the figure: {err}", file=sys.stderr)
        return 1
    finally:
        plt.close(fig)
    print(f"figure written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
