"""Run every convergence example into one folder with an index page: ``make demo``.

An example is any module in examples/ (not starting with "_", not this script or the
benchmark) with a ``run(out_dir)`` function returning ``[(png name, caption), ...]``.
"""

import argparse
import html
import importlib
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

SKIP = {"run_all", "benchmark"}


def discover():
    """Names of the example modules, sorted."""
    return sorted(
        p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_") and p.stem not in SKIP
    )


def write_index(out_dir, entries):
    cards = "\n".join(
        f'<figure><a href="{html.escape(name)}"><img src="{html.escape(name)}" '
        f'alt="{html.escape(name)}"></a><figcaption><b>{html.escape(example)}</b>: '
        f"{html.escape(caption)}</figcaption></figure>"
        for example, name, caption in entries
    )
    page = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>gradscratch convergence gallery</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; background: #fafafa; }}
main {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 1.5rem; }}
figure {{ margin: 0; background: white; padding: 0.8rem; border: 1px solid #ddd; }}
img {{ width: 100%; }} figcaption {{ font-size: 0.9rem; color: #333; }}
</style></head><body>
<h1>gradscratch convergence gallery</h1>
<p>{len(entries)} figures, each drawn from fitted models' optimizer traces.</p>
<main>
{cards}
</main></body></html>
"""
    (Path(out_dir) / "index.html").write_text(page)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="gallery", help="output folder")
    parser.add_argument("--only", nargs="*", help="run only these examples")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    names = args.only or discover()
    from tqdm import tqdm

    entries = []
    start = time.perf_counter()
    for name in (bar := tqdm(names, desc="examples", unit="example")):
        bar.set_postfix_str(name)
        module = importlib.import_module(name)
        for png, caption in module.run(out):
            entries.append((name, png, caption))
    write_index(out, entries)
    elapsed = time.perf_counter() - start
    print(f"{len(entries)} figures in {elapsed:.0f} s; open {out.resolve() / 'index.html'}")


if __name__ == "__main__":
    main()
