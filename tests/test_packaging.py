"""Packaging: the license is a plain SPDX expression, and the layers are linted by make."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_license_is_an_spdx_string_and_import_linter_is_a_dev_tool():
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"
    assert any(
        d.startswith("import-linter") for d in project["project"]["optional-dependencies"]["dev"]
    )
    assert len(project["tool"]["importlinter"]["contracts"]) >= 3


def test_make_lint_runs_the_import_contracts():
    makefile = (ROOT / "Makefile").read_text()
    lint = makefile[makefile.index("\nlint:") : makefile.index("\ntest:")]
    assert "lint-imports" in lint
    assert "test: lint" in makefile
