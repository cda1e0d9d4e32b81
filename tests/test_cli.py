"""The ``gradscratch compare`` command."""

import pytest

from gradscratch.cli import main


def test_compare_writes_a_figure_and_a_table(tmp_path, capsys):
    out = tmp_path / "fig.png"
    code = main(
        [
            "compare",
            "--model",
            "ridge",
            "--dataset",
            "diabetes",
            "--optimizers",
            "gd,lbfgs,newton",
            "--max-iter",
            "200",
            "--out",
            str(out),
        ]
    )
    assert code == 0 and out.stat().st_size > 0
    text = capsys.readouterr().out
    for name in ("gd", "lbfgs", "newton", "objective", "gap"):
        assert name in text


@pytest.mark.parametrize(
    "args,message",
    [
        (["--model", "svm", "--dataset", "diabetes", "--optimizers", "gd"], "unknown model"),
        (["--model", "ridge", "--dataset", "mnist", "--optimizers", "gd"], "unknown dataset"),
        (
            ["--model", "ridge", "--dataset", "diabetes", "--optimizers", "sgdx"],
            "unknown optimizer",
        ),
        (["--model", "ridge", "--dataset", "iris", "--optimizers", "gd"], "regression"),
    ],
)
def test_bad_requests_get_clear_errors(args, message, capsys):
    assert main(["compare", *args]) == 2
    assert message in capsys.readouterr().err


RIDGE = ["compare", "--model", "ridge", "--dataset", "diabetes", "--max-iter", "50"]


def test_nothing_could_run_exits_non_zero_with_a_reason(tmp_path, capsys):
    out = tmp_path / "fig.png"
    args = ["compare", "--model", "lasso", "--dataset", "diabetes", "--optimizers"]
    assert main([*args, "lbfgs,newton", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no optimizer could fit lasso" in err
    assert not out.exists()


@pytest.mark.parametrize(
    "out,message",
    [("missing/fig.png", "no folder"), ("fig.pnj", "unknown extension '.pnj'"), ("fig", "(none)")],
)
def test_a_figure_that_cannot_be_written_is_refused_before_fitting(
    out, message, tmp_path, capsys, monkeypatch
):
    import gradscratch.cli as cli

    def no_fit(*args, **kwargs):
        raise AssertionError("fitted before checking the figure path")

    monkeypatch.setattr(cli, "compare", no_fit)
    assert main([*RIDGE, "--optimizers", "gd", "--out", str(tmp_path / out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err


def test_other_figure_types_are_written(tmp_path):
    out = tmp_path / "fig.svg"
    assert main([*RIDGE, "--optimizers", "lbfgs", "--out", str(out)]) == 0
    assert out.read_text().lstrip().startswith("<?xml")


def test_a_repeated_optimizer_is_refused(tmp_path, capsys):
    assert main([*RIDGE, "--optimizers", "gd,lbfgs,gd", "--out", str(tmp_path / "f.png")]) == 2
    assert "optimizer 'gd' given more than once" in capsys.readouterr().err


def _cli(*args):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "gradscratch.cli", *args], capture_output=True, text=True
    )


def test_help_is_whole_and_version_is_given():
    import gradscratch

    top = _cli("--help")
    assert top.returncode == 0
    assert "prints a table" in top.stdout and "against iterations and against time." in top.stdout
    assert "Exit status" in top.stdout
    sub = _cli("compare", "--help")
    assert sub.returncode == 0 and "--optimizers" in sub.stdout and "fista" in sub.stdout
    version = _cli("--version")
    assert (
        version.returncode == 0
        and version.stdout.strip() == f"gradscratch {gradscratch.__version__}"
    )
