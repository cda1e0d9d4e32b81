"""How an example runs on its own.

Every example is a plain script in sphinx-gallery's format: the module docstring is its
title and introduction, ``# %%`` comment blocks are its text, and the figures it leaves open
are captured by the site build (``make demo``), which runs it. Run directly,
``python examples/NAME.py [--out DIR]`` ends with :func:`finish`, which saves its figures
as ``DIR/NAME.png`` (``NAME_2.png``... for more; DIR defaults to the current directory) and
shows them when matplotlib has a display.
"""

import argparse
import sys
from pathlib import Path

NON_INTERACTIVE = {"agg", "pdf", "pgf", "ps", "svg", "cairo", "template"}


def finish():
    """Save (and show) the open figures of the script being run on its own; nothing under
    sphinx-gallery, which captures them itself."""
    if "sphinx_gallery" in sys.modules:
        return
    import matplotlib
    import matplotlib.pyplot as plt

    script = Path(sys.argv[0])
    parser = argparse.ArgumentParser(description=f"Run {script.name} on its own.")
    parser.add_argument("--out", default=".", help="folder for the figures (default: here)")
    args, _ = parser.parse_known_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = script.stem
    for i, number in enumerate(plt.get_fignums()):
        path = out / (f"{name}.png" if i == 0 else f"{name}_{i + 1}.png")
        plt.figure(number).savefig(path, dpi=110, bbox_inches="tight")
        print(f"wrote {path}")
    if matplotlib.get_backend().lower() not in NON_INTERACTIVE:
        plt.show()
