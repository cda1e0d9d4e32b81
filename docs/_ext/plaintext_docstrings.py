"""Docstrings here write their math as plain text (``|y - F|``, ``shape (n_iter_,)``), which
reST would read as markup: ``|...|`` as a substitution, ``word_`` as a hyperlink reference.
After numpydoc has turned the sections into reST, this hook escapes those two characters
outside inline literals and interpreted text, so that a docstring written for ``help()``
cannot break the site's warnings-as-errors build."""

import re

# ``literal`` and `interpreted text` (roles, references): left as they are.
_PROTECTED = re.compile(r"(``.+?``|`[^`]+`)")
_PIPE = re.compile(r"(?<!\\)\|")
# a run of underscores ending a word, before a space, punctuation or the end of the line
_TRAILING = re.compile(r"(?<=\w)(_+)(?=[\s,.;:)\]]|$)")


def _escape(text):
    text = _PIPE.sub(r"\\|", text)
    return _TRAILING.sub(lambda m: r"\_" * len(m.group(1)), text)


def escape_line(line):
    """The line with ``|`` and word-final ``_`` escaped outside protected spans."""
    parts = _PROTECTED.split(line)
    return "".join(p if i % 2 else _escape(p) for i, p in enumerate(parts))


def _process(app, what, name, obj, options, lines):
    in_block = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        # literal blocks (after "::") and doctest lines are code, not prose
        if stripped.startswith(">>>") or stripped.startswith("..."):
            continue
        if in_block and stripped and not line.startswith((" ", "\t")):
            in_block = False
        if not in_block:
            lines[i] = escape_line(line)
        if stripped.endswith("::"):
            in_block = True


def setup(app):
    # numpydoc mangles docstrings at the default priority (500): run after it.
    app.connect("autodoc-process-docstring", _process, priority=600)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
