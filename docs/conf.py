"""Sphinx configuration of the gradscratch site (``make demo`` builds it, ``make test`` checks
it with warnings as errors). Everything is built offline: no intersphinx, math rendered to SVG
at build time by matplotlib's mathtext (``_ext/mathtext_svg.py``), the gallery's examples run
by sphinx-gallery, figures on the pages drawn by matplotlib's plot directive."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

project = "gradscratch"
author = "the gradscratch developers"
copyright = "the gradscratch developers"  # noqa: A001
release = version = "0.1.0"

extensions = [
    "sphinx.ext.autodoc",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "matplotlib.sphinxext.plot_directive",
    "mathtext_svg",
    "plaintext_docstrings",
]
html_math_renderer = "mathtext_svg"

exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py", "**/*.zip"]
templates_path = []
html_theme = "furo"
html_title = "gradscratch"
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {"navigation_with_keys": True}
pygments_style = "default"
pygments_dark_style = "monokai"

# autodoc + numpydoc: the public estimators and optimizers, members listed explicitly.
autodoc_default_options = {"members": False, "inherited-members": False}
autodoc_member_order = "bysource"
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# The plot directive: figures made by running the code on the page, at build time.
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]
plot_pre_code = "import numpy as np\nimport matplotlib.pyplot as plt\n"
plot_rcparams = {"figure.dpi": 110, "savefig.bbox": "tight"}
plot_apply_rcparams = True

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Every script in examples/ except the shared helper and the benchmark (examples/bench/
    # has no gallery header, so it is not a section).
    "filename_pattern": r"\.py$",
    "ignore_pattern": r"(__init__|_common|benchmark|bench_dask)\.py$",
    "within_subsection_order": "gallery_order.SeriesOrder",
    "download_all_examples": False,
    "show_signature": False,
    "show_memory": False,
    "remove_config_comments": True,
    "min_reported_time": 0,
    "thumbnail_size": (400, 280),
    "image_scrapers": ("matplotlib",),
    "capture_repr": (),
    "reset_modules": ("matplotlib",),
    "backreferences_dir": None,
    "abort_on_example_error": False,
    # the timing pages load their table scripts from CDNs: not in an offline site
    "write_computation_times": False,
}
