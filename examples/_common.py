"""What every example shares: where figures go, and how a script runs on its own.

An example is a module with ``run(out_dir) -> list of (png file name, caption)``; run_all.py
finds and runs them all, and ``python examples/NAME.py --out DIR`` runs one.
"""

import argparse
import os
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")


def save(fig, out_dir, name):
    """Save ``fig`` as ``out_dir/name`` and close it; returns the file name."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(out_dir / name, dpi=110)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return name


def main(run):
    """Command line for a single example: ``--out DIR`` (default: gallery)."""
    parser = argparse.ArgumentParser(description=run.__doc__)
    parser.add_argument("--out", default="gallery", help="folder for the figures")
    args = parser.parse_args()
    for name, caption in run(args.out):
        print(f"{Path(args.out) / name}: {caption}")
