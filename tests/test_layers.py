"""The layers hold at import time and in the import graph (DESIGN.md, "The layers")."""

import subprocess
import sys
from pathlib import Path

import pytest

import gradscratch
import gradscratch.parametric
import optim

ROOT = Path(__file__).resolve().parents[1]


def _run(code):
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_the_nonparametric_side_loads_neither_optim_nor_autograd():
    done = _run(
        "import gradscratch.nonparametric, sys\n"
        "assert 'optim' not in sys.modules and 'autograd' not in sys.modules, "
        "sorted(m for m in sys.modules if m.startswith(('optim', 'autograd')))\n"
        "from gradscratch import KMeans, PCA, linkage, ConvergenceWarning\n"
        "import gradscratch.datasets\n"
        "assert 'optim' not in sys.modules and 'autograd' not in sys.modules\n"
    )
    assert done.returncode == 0, done.stderr


def test_the_parametric_names_load_on_first_use():
    done = _run(
        "import sys\nfrom gradscratch import Lasso, KMeans, linkage\n"
        "assert 'optim' in sys.modules and Lasso.__module__ == 'gradscratch.parametric.lasso'\n"
    )
    assert done.returncode == 0, done.stderr


def test_the_lazy_names_are_the_parametric_ones():
    assert set(gradscratch._parametric) == set(gradscratch.parametric.__all__)
    for name in gradscratch.__all__:
        assert getattr(gradscratch, name) is not None
    assert "Lasso" in dir(gradscratch)
    with pytest.raises(AttributeError, match="no attribute 'Lassso'"):
        gradscratch.Lassso  # noqa: B018


def test_convergence_warnings_catch_as_documented():
    from gradscratch.parametric._warnings import FitConvergenceWarning

    # gradscratch's class catches every estimator's warning; optim's is optim's own, and
    # also catches a parametric fit's (its optimizer is the one that failed).
    assert issubclass(FitConvergenceWarning, gradscratch.ConvergenceWarning)
    assert issubclass(FitConvergenceWarning, optim.ConvergenceWarning)
    assert not issubclass(gradscratch.ConvergenceWarning, optim.ConvergenceWarning)
    assert not issubclass(optim.ConvergenceWarning, gradscratch.ConvergenceWarning)


def test_the_import_contracts_are_kept():
    linter = Path(sys.executable).with_name("lint-imports")
    if not linter.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    done = subprocess.run(
        [str(linter), "--no-cache"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout
