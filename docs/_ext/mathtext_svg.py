"""A Sphinx HTML math renderer that needs no network and no TeX: matplotlib's mathtext.

Every ``:math:`` role and ``.. math::`` block is rendered once, at build time, to an SVG file
in ``_images/math/`` (glyphs as paths, Computer Modern), named by a hash of its LaTeX, and
shown as an ``<img>`` sized in em so it follows the text size. mathtext covers the TeX a
formula needs (fractions, sums, sub/superscripts, accents, ``\\left \\right``, ``\\mathrm``,
``\\operatorname``, ``\\mathbb``...) but not environments: write a multi-line display as
lines separated by ``\\\\`` (each rendered on its own, ``&`` ignored) or by blank lines.
A formula mathtext cannot parse is a build warning naming it.
"""

import hashlib
import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

FONT_PT = 12.0  # the rendered size of 1em; the img is sized in em from it
FONTSET = "cm"
# Computer Modern's x-height is about 0.43 em, the site's sans-serif text's about 0.52 em: at
# the same em size a formula reads a size smaller than the words around it. Both the running
# text's formulas and the displays are drawn this much larger to match.
SCALE = 1.2


def _render(translator, latex):
    """Path (relative to the page) of the SVG of ``latex``, its height and depth in em."""
    from matplotlib import mathtext, rc_context
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    key = hashlib.sha1(f"{FONTSET}:{FONT_PT}:standard:{latex}".encode()).hexdigest()[:16]
    outdir = Path(translator.builder.outdir) / translator.builder.imagedir / "math"
    path = outdir / f"{key}.svg"
    meta = outdir / f"{key}.size"
    if not (path.exists() and meta.exists()):
        outdir.mkdir(parents=True, exist_ok=True)
        text, prop = f"${latex}$", FontProperties(size=FONT_PT, math_fontfamily=FONTSET)
        # savefig.bbox "standard": a build that sets it to "tight" elsewhere (the gallery,
        # the plot directive) would otherwise pad a single glyph to the font's line height.
        rc = {"mathtext.fontset": FONTSET, "svg.fonttype": "path", "savefig.bbox": "standard"}
        with rc_context(rc):
            # As matplotlib's math_to_image, but tight: no padding, no background, so that
            # the image's bottom is the formula's depth below its baseline.
            width, height, depth, _, _ = mathtext.MathTextParser("path").parse(
                text, dpi=72, prop=prop
            )
            fig = Figure(figsize=(width / 72.0, height / 72.0))
            fig.text(0, depth / height, text, fontproperties=prop)
            fig.savefig(
                path,
                dpi=72,
                format="svg",
                transparent=True,
                bbox_inches=None,
                pad_inches=0,
                metadata={"Date": None},
            )
        meta.write_text(f"{float(height)!r} {float(depth)!r}")
    height, depth = map(float, meta.read_text().split())
    src = f"{translator.builder.imgpath}/math/{path.name}"
    return src, height / FONT_PT, depth / FONT_PT


def _img(translator, node, latex, css_class):
    latex = " ".join(latex.split())  # mathtext reads one line
    try:
        src, height, depth = _render(translator, latex)
    except ValueError as err:
        first = str(err).strip().splitlines()[-1]
        logger.warning("mathtext cannot render %r: %s", latex, first, location=node)
        return f'<code class="math">{translator.encode(latex)}</code>'
    alt = translator.encode(latex).replace('"', "&quot;")
    return (
        f'<img class="{css_class}" src="{src}" alt="{alt}" '
        f'style="height: {SCALE * height:.3f}em; vertical-align: {-SCALE * depth:.3f}em"/>'
    )


# In running text, TeX sets limits beside a sum or a min (text style); mathtext always sets
# them below, which tears the line apart. The Unicode symbols and upright names take
# ordinary subscripts.
_TEXT_STYLE = [
    (re.compile(r"\\sum(?![a-zA-Z])"), "\u2211"),
    (re.compile(r"\\prod(?![a-zA-Z])"), "\u220f"),
    (re.compile(r"\\(min|max)(?=\s*_)"), r"\\mathrm{\1}"),
]


def visit_math(self, node):
    latex = node.astext().strip()
    for pattern, replacement in _TEXT_STYLE:
        latex = pattern.sub(replacement, latex)
    self.body.append(_img(self, node, latex, "math"))
    raise nodes.SkipNode


def _lines(latex):
    for block in re.split(r"\n\s*\n", latex.strip()):
        for line in re.split(r"\\\\", block):
            line = line.replace("&", " ").strip()
            if line:
                yield line


def visit_displaymath(self, node):
    self.body.append(self.starttag(node, "div", CLASS="math-display"))
    if node.get("number"):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})</span>')
    for line in _lines(node.astext()):
        # display style: full-size fractions (mathtext's \frac is TeX's text style)
        line = re.sub(r"\\frac(?![a-zA-Z])", r"\\dfrac", line)
        self.body.append(f"<p>{_img(self, node, line, 'math display')}</p>")
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer(
        "mathtext_svg",
        inline_renderers=(visit_math, None),
        block_renderers=(visit_displaymath, None),
    )
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
