"""The site's pieces that can be tested without building it: the offline link checker, the
gallery's examples (format, order, running on their own). ``make test`` builds the site itself
(warnings as errors) and runs the checker on it."""

import ast
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_links = _load(ROOT / "docs" / "check_links.py", "check_links")
gallery_order = _load(ROOT / "docs" / "_ext" / "gallery_order.py", "gallery_order")


def _site(tmp_path, pages):
    for name, body in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><body>{body}</body></html>")
    return tmp_path


def test_checker_accepts_a_sound_site(tmp_path):
    root = _site(
        tmp_path,
        {
            "index.html": '<a href="sub/page.html#part">x</a><img src="_images/a.png">'
            '<a href="https://example.org">out</a><a href="#top" id="top">t</a>',
            "sub/page.html": '<h2 id="part">p</h2><a href="../index.html">back</a>'
            '<img srcset="../_images/a.png 1x, ../_images/a.png 2x">',
            "_images/a.png": "",
        },
    )
    problems, counts = check_links.check(root)
    assert problems == []
    assert counts == {"pages": 2, "local": 6, "external": 1}


def test_checker_finds_missing_files_anchors_and_network_resources(tmp_path):
    root = _site(
        tmp_path,
        {
            "index.html": '<a href="gone.html">x</a><a href="index.html#nowhere">y</a>'
            '<img src="missing.png"><script src="https://cdn.example.org/lib.js"></script>'
            '<link rel="stylesheet" href="//cdn.example.org/style.css">',
        },
    )
    problems, _ = check_links.check(root)
    text = "\n".join(problems)
    assert len(problems) == 5, text
    assert "gone.html" in text and "missing.png" in text and "#nowhere" in text
    assert text.count("loads from the network") == 2
    assert check_links.main([str(root)]) == 1


def _examples():
    scripts = ("_common", "benchmark", "bench_dask")  # helpers and benchmarks: not gallery
    return sorted(p for p in EXAMPLES.glob("*.py") if p.stem not in scripts)


def test_every_example_is_a_gallery_script_in_the_series_order():
    examples = _examples()
    assert [p.name for p in examples] == sorted(gallery_order.SERIES)
    assert not (EXAMPLES / "run_all.py").exists()
    for path in examples:
        source = path.read_text()
        doc = ast.get_docstring(ast.parse(source), clean=False)
        lines = doc.strip("\n").splitlines()
        # sphinx-gallery's format: a title underlined with "=", then the introduction
        assert len(lines) > 2 and set(lines[1]) == {"="} and len(lines[1]) >= len(lines[0]), path
        assert "# %%" in source or len(source.splitlines()) < 60, path
        assert source.rstrip().endswith("# sphinx_gallery_end_ignore"), path
        assert "finish()" in source, path


def test_an_example_runs_on_its_own_and_saves_its_figure(tmp_path):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "tree_iris.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "tree_iris.png").stat().st_size > 10_000


# The engineered models whose pages must show a plain version included from the source.
PLAIN_VERSIONS = {"lasso", "boosting", "tree", "knn", "hierarchical"}


def test_each_engineered_model_page_includes_its_plain_version_from_the_source():
    """A ``.. plain-version: <model>`` marker, then (before the next section) a literalinclude
    of a function of the library whose name starts with ``plain_`` and that exists there."""
    found = {}
    for page in sorted((ROOT / "docs" / "series").glob("*.rst")):
        lines = page.read_text().splitlines()
        for i, line in enumerate(lines):
            if not line.startswith(".. plain-version:"):
                continue
            model = line.split(":", 1)[1].strip()
            following = lines[i + 1 : i + 25]
            includes = [j for j, text in enumerate(following) if "literalinclude::" in text]
            assert includes, f"{page.name}: the plain version of {model} is not included"
            j = includes[0]
            source = following[j].split("literalinclude::", 1)[1].strip()
            pyobject = next(t for t in following[j : j + 5] if ":pyobject:" in t)
            name = pyobject.split(":pyobject:", 1)[1].strip()
            assert name.split(".")[-1].startswith("plain_"), f"{page.name}: {name}"
            module = (page.parent / source).resolve()
            tree = ast.parse(module.read_text())
            defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
            assert name.split(".")[-1] in defined, f"{page.name}: {name} not in {source}"
            found[model] = page.name
    assert set(found) == PLAIN_VERSIONS
