"""
Gradient boosting: one log-loss, three update rules in prediction space
=======================================================================

Boosting minimizes :math:`\\sum_i \\ell(y_i, F_i)` over the vector of training predictions
:math:`F`, one tree per stage. The update rule is an ``optim`` optimizer's: gradient
descent (Friedman: a tree fits :math:`-g`, a line search sets each leaf), Newton (the tree
is grown on the Newton gain and its leaves are :math:`-G/H`: XGBoost's rule) and Nesterov
(momentum on the sum of trees: a plain ``Nesterov()`` uses the strongly convex momentum
:math:`(1 - \\sqrt{0.1}) / (1 + \\sqrt{0.1}) = 0.52`, and 0.9 for contrast). Breast cancer,
depth-3 trees, learning rate 0.1.
"""

import matplotlib.pyplot as plt
import numpy as np

import optim
from gradscratch import GradientBoostingClassifier
from gradscratch.datasets import load_breast_cancer

X_all, y_all = load_breast_cancer(return_X_y=True)
test = np.random.default_rng(0).permutation(len(y_all))[: len(y_all) // 3]
train = np.setdiff1d(np.arange(len(y_all)), test)
X, y, Xt, yt = X_all[train], y_all[train], X_all[test], y_all[test]

# %%
# Four fits, one loss
# -------------------
# The training loss is each model's ``train_score_``; the test loss comes from its
# ``staged_predict_proba``.

rules = {
    "GD (Friedman)": optim.GradientDescent(),
    "Newton (XGBoost-like)": optim.Newton(),
    "Nesterov() (momentum 0.52)": optim.Nesterov(),
    "Nesterov, momentum 0.9": optim.Nesterov(momentum=0.9),
}
fig, axes = plt.subplots(1, 2, figsize=(12, 4.4), layout="constrained")
for (name, opt), color in zip(rules.items(), ["C0", "C1", "C2", "C3"]):
    model = GradientBoostingClassifier(n_estimators=150, optimizer=opt, random_state=0).fit(X, y)
    stages = np.arange(1, model.n_estimators_ + 1)
    test_loss = [
        -np.mean(np.log(np.clip(p[np.arange(len(yt)), yt], 1e-15, None)))
        for p in model.staged_predict_proba(Xt)
    ]
    axes[0].semilogy(stages, model.train_score_, color=color, label=name)
    axes[1].semilogy(stages, test_loss, color=color, label=name)
axes[0].set(title="training log-loss (train_score_)", xlabel="stage", ylabel="mean log-loss")
axes[1].set(title="test log-loss (staged_predict_proba)", xlabel="stage", ylabel="mean log-loss")
for ax in axes:
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)

# %%
# Newton steps lower the training loss faster than Friedman's gradient steps, and momentum
# faster still; a momentum near 1 (as the merely convex theta schedule's) races to a zero
# training loss and overfits: its test loss turns up first.

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
