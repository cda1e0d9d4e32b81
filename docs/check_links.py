"""Check a built HTML site offline: every local link and image resolves, nothing is fetched.

    python docs/check_links.py docs/_build/html

For every ``href``, ``src`` and ``srcset`` in every page: a local target must exist (a
``#fragment`` must be an ``id`` or ``name`` in the target page), and no image, script,
stylesheet or frame may come from the network (the site must read offline; plain links out,
``<a href="https://...">``, are allowed). Exits 1 and lists the problems, else prints a
one-line summary. No network access: nothing here opens a URL.
"""

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

REMOTE = ("http:", "https:", "//")
SKIP = ("mailto:", "javascript:", "data:", "tel:")
# Attributes that load a resource when the page is shown, by tag.
RESOURCES = {"img": "src", "script": "src", "iframe": "src", "source": "src", "embed": "src"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs = []  # (tag, attribute, value, loads: whether showing the page fetches it)
        self.anchors = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.anchors.add(attrs[key])
        for key in ("href", "src"):
            value = attrs.get(key)
            if value is None:
                continue
            loads = RESOURCES.get(tag) == key or (
                tag == "link" and key == "href" and attrs.get("rel") in ("stylesheet", "icon")
            )
            self.refs.append((tag, key, value.strip(), loads))
        if attrs.get("srcset"):
            for item in attrs["srcset"].split(","):
                if item.strip():
                    self.refs.append((tag, "srcset", item.split()[0], True))


def _parse(path):
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def check(root):
    """The problems found in the site under ``root`` (a list of strings) and the counts."""
    root = Path(root).resolve()
    pages = sorted(root.rglob("*.html"))
    parsed, problems, counts = {}, [], {"pages": len(pages), "local": 0, "external": 0}

    def anchors_of(path):
        if path not in parsed:
            parsed[path] = _parse(path)
        return parsed[path].anchors

    for page in pages:
        info = parsed.setdefault(page, _parse(page))
        for tag, key, value, loads in info.refs:
            where = f"{page.relative_to(root)}: <{tag} {key}={value!r}>"
            if not value or value.startswith(SKIP):
                continue
            if value.startswith(REMOTE):
                counts["external"] += 1
                if loads:
                    problems.append(f"{where} loads from the network")
                continue
            counts["local"] += 1
            parts = urlsplit(value)
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{where}: {target} does not exist")
                continue
            if root not in target.parents and target != root:
                problems.append(f"{where}: points outside the site")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in anchors_of(target):
                problems.append(f"{where}: no anchor #{fragment} in {target.relative_to(root)}")
    return problems, counts


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0] if argv else "docs/_build/html")
    if not (root / "index.html").exists():
        print(f"{root / 'index.html'} does not exist: build the site first (make demo).")
        return 1
    problems, counts = check(root)
    for line in problems:
        print(line)
    print(
        f"{counts['pages']} pages, {counts['local']} local links and images checked, "
        f"{counts['external']} external links (not followed): {len(problems)} problems."
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
