"""The estimators notebook runs, is committed without outputs, and shows estimators as HTML
that renders and escapes."""

import ast
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

import optim
from gradscratch import KMeans, Ridge

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "notebooks" / "estimators.ipynb"


class _Tags(HTMLParser):
    """Collects the text and checks that every opened tag is closed, in order."""

    def __init__(self):
        super().__init__()
        self.open, self.text, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        self.tags.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open.pop() == tag, f"</{tag}> closes nothing"

    def handle_data(self, data):
        self.text.append(data)


def _render(html):
    parser = _Tags()
    parser.feed(html)
    parser.close()
    assert not parser.open, f"unclosed tags {parser.open}"
    return "".join(parser.text), parser.tags


def test_the_html_repr_lists_the_parameters():
    text, tags = _render(Ridge(alpha=0.5, optimizer=optim.LBFGS(m=5))._repr_html_())
    assert "Ridge" in text and "not fitted" in text
    assert (
        "alpha" in text and "0.5" in text and "LBFGS(m=5, line_search=None, certify=True)" in text
    )
    assert "fit_intercept" in text  # every parameter, not only the changed ones
    assert tags.count("tr") == 1 + len(Ridge().get_params(deep=False))


def test_the_html_repr_escapes():
    hostile = "<script>alert('x')</script> & <b>"
    html = KMeans(init=hostile)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    text, tags = _render(html)
    assert hostile in text  # shown as written, as text
    assert "script" not in tags


def test_the_notebook_is_committed_without_outputs():
    notebook = json.loads(NOTEBOOK.read_text())
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert NOTEBOOK.stat().st_size < 20_000


def test_the_notebook_runs_and_its_estimators_render(tmp_path, monkeypatch):
    pytest.importorskip("pandas")
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "notebook"}
    shown = []
    for cell in json.loads(NOTEBOOK.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, str(NOTEBOOK), "exec"), namespace)
        if last is not None:  # what the notebook would display
            value = eval(compile(ast.Expression(last.value), str(NOTEBOOK), "eval"), namespace)
            shown.append(value)
    estimators = [v for v in shown if hasattr(v, "_repr_html_") and hasattr(v, "get_params")]
    assert len(estimators) >= 2
    for estimator in estimators:
        text, _ = _render(estimator._repr_html_())
        assert type(estimator).__name__ in text
    assert any("(fitted)" in _render(e._repr_html_())[0] for e in estimators)
