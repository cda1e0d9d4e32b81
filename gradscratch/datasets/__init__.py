"""Bundled real datasets (no download at run time) and synthetic generators."""

from gradscratch.datasets._real import (
    Bunch,
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
)
from gradscratch.datasets._synthetic import make_blobs, make_classification, make_regression

__all__ = [
    "Bunch",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_wine",
    "make_blobs",
    "make_classification",
    "make_regression",
]
