"""scikit-learn's estimator checks, run over every public estimator of gradscratch.

A new estimator joins automatically once it is exported from ``gradscratch``. Checks that do
not apply are listed in EXPECTED_FAILED_CHECKS with the reason; constructor arguments that
make an estimator cheap enough for the checks go in CHECK_PARAMS.
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

import gradscratch

# {class name: {check name: reason}}
EXPECTED_FAILED_CHECKS = {
    "KMeans": {
        "check_sample_weight_equivalence_on_dense_data": (
            "k-means++ draws its seeds among the rows present, so a weight is not the same "
            "random experiment as a repeated row (scikit-learn's KMeans fails it too)."
        ),
    },
}

# A bootstrap sample of the weighted data is not the bootstrap sample of the data with rows
# repeated (n differs), so forests cannot pass this check; scikit-learn's forests xfail it too.
for _forest in ("RandomForestClassifier", "RandomForestRegressor"):
    EXPECTED_FAILED_CHECKS[_forest] = {
        "check_sample_weight_equivalence_on_dense_data": "bootstrap draws depend on n_samples",
    }

# Boosting: the fitted values on the rows of positive weight match the repeated fit to 1e-15,
# but the check's 15 rows x 30 features make many splits tie exactly in gain (different
# features separating the same rows); the tie is decided by rounding (3 g vs g + g + g), and
# the rows of weight 0 (absent from the repeated fit) land on different sides. scikit-learn
# xfails this check for its GradientBoosting* and HistGradientBoosting* estimators too.
# tests/test_boosting.py checks the equivalence where ties cannot matter. (The regressor
# currently passes by the luck of rounding, hence a non-strict expected failure.)
for _boosting in ("GradientBoostingClassifier", "GradientBoostingRegressor"):
    EXPECTED_FAILED_CHECKS[_boosting] = {
        "check_sample_weight_equivalence_on_dense_data": (
            "exact ties between splits are decided by rounding; zero-weight rows then differ"
        ),
    }

# {class name: constructor keyword arguments used for the checks}
CHECK_PARAMS = {
    # 10 stages keep the checks fast; the checks' easy problems are fitted well by then
    "GradientBoostingRegressor": {"n_estimators": 10, "random_state": 0},
    "GradientBoostingClassifier": {"n_estimators": 10, "random_state": 0},
    # the settings scikit-learn uses for its own KMeans checks
    "KMeans": {"n_clusters": 2, "n_init": 2, "max_iter": 5},
}

# forests: fewer trees keep the checks fast (the checks do not depend on the number of trees)
CHECK_PARAMS["RandomForestClassifier"] = {"n_estimators": 10}
CHECK_PARAMS["RandomForestRegressor"] = {"n_estimators": 10}


def _instances():
    return [cls(**CHECK_PARAMS.get(cls.__name__, {})) for cls in gradscratch.all_estimators()]


@pytest.mark.filterwarnings("ignore::gradscratch.ConvergenceWarning")
@parametrize_with_checks(
    _instances(),
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS.get(type(est).__name__, {}),
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
