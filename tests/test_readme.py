"""The README's code runs as written, each block on its own (so a reader can paste any one of
them), and it links to nothing outside the repository."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
TEXT = README.read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, re.S)


def test_there_are_blocks_to_run():
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_each_python_block_runs_in_a_fresh_namespace(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    start = TEXT[: TEXT.index(BLOCKS[index])].count("\n")  # errors point at README's line
    code = "\n" * start + BLOCKS[index]
    exec(compile(code, str(README), "exec"), {"__name__": f"readme_block_{index}"})
    if "savefig" in BLOCKS[index]:
        assert any(p.stat().st_size > 0 for p in tmp_path.glob("*.png"))


def test_links_stay_inside_the_repository():
    targets = re.findall(r"\]\(([^)\s]+)\)", TEXT)
    assert targets
    for target in targets:
        assert not re.match(r"[a-z][a-z0-9+.-]*:", target), f"external link {target}"
        assert (ROOT / target.split("#")[0]).exists(), f"broken link {target}"
    assert not re.search(r"https?://|www\.", TEXT)
