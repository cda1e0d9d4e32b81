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
