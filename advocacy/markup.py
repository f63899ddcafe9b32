"""The one Markdown function: rendered, then sanitised, once, on save.

Raw HTML in the source is never honoured (Python-Markdown's HTML processors are
removed, so it comes out as text), and the rendered HTML is cleaned by bleach
with an allow-list. Pages show the stored result; they never render Markdown.
"""

import re
import secrets
from functools import partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from markupsafe import Markup
from slugify import slugify

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "del",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "dl",
        "dt",
        "dd",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel", "class", "id"],
    "abbr": ["title"],
    "code": ["class"],
    "div": ["class"],
    "li": ["id"],
    "sup": ["id"],
    "th": ["align"],
    "td": ["align"],
    **{f"h{n}": ["id"] for n in range(1, 7)},
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
_CLASS_OK = re.compile(
    r"^(footnote|footnote-ref|footnote-backref|external|mention|language-[\w+-]{1,30})$"
)


def _heading_id(value: str, separator: str) -> str:
    # A prefix keeps user-chosen ids from clobbering the page's own (DOM clobbering).
    return "h-" + (slugify(value, separator=separator, max_length=60) or "section")


def _renderer() -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=[
            "tables",
            "footnotes",
            "fenced_code",
            "sane_lists",
            "toc",
            "abbr",
            "def_list",
        ],
        extension_configs={
            "tables": {"use_align_attribute": True},
            # "#" is a section heading under the page title: it starts at <h2>.
            "toc": {"slugify": _heading_id, "baselevel": 2},
            "footnotes": {"BACKLINK_TITLE": "", "SUPERSCRIPT_TEXT": "{}"},
        },
        output_format="html",
    )
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def _link_attributes(attrs, new=False):
    href = attrs.get((None, "href"), "")
    if href.startswith("#"):
        return attrs
    attrs[(None, "rel")] = "nofollow noopener"
    if href.lower().startswith(("http://", "https://")):
        classes = set(attrs.get((None, "class"), "").split())
        attrs[(None, "class")] = " ".join(sorted(classes | {"external"}))
    return attrs


def _filter_classes(tag, name, value):
    allowed = ALLOWED_ATTRIBUTES.get(tag, [])
    if name not in allowed:
        return False
    if name == "class":
        return all(_CLASS_OK.match(c) for c in value.split())
    if name == "id":
        return bool(re.fullmatch(r"[A-Za-z][\w:.-]{0,80}", value))
    return True


_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_filter_classes,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        partial(
            LinkifyFilter,
            callbacks=[_link_attributes],
            skip_tags={"pre", "code"},
            parse_email=False,
        )
    ],
)


def sanitize_html(html: str) -> str:
    """Clean HTML to the allow-list; cleaning twice changes nothing."""
    return _cleaner.clean(html)


def render_markdown(source: str) -> Markup:
    """Markdown to safe HTML (the only function that turns user text into HTML)."""
    return Markup(sanitize_html(_renderer().convert(source or "")))  # noqa: S704 (sanitised)


def render_sections(blocks: list[tuple[str, str]]) -> Markup:
    """Render sections ``(section_id, markdown)`` as one document, each in its anchor.

    The document is rendered whole, so that footnotes and reference links work
    across sections; random markers between sections become the anchors.
    """
    marker = f"PVSECTION{secrets.token_hex(8)}X"
    parts = []
    for index, (_section_id, text) in enumerate(blocks):
        parts.append(f"{marker}{index}")
        parts.append(text.strip("\n"))
    html = sanitize_html(_renderer().convert("\n\n".join(parts)))
    opened = False

    def anchor(match: re.Match) -> str:
        nonlocal opened
        section_id = blocks[int(match.group(1))][0]
        head = "</section>\n" if opened else ""
        opened = True
        return f'{head}<section class="text-section" id="{section_id}">'

    html = re.sub(rf"<p>{marker}(\d+)</p>", anchor, html)
    if opened:
        footnotes = html.find('<div class="footnote">')
        if footnotes == -1:
            html += "\n</section>"
        else:
            html = html[:footnotes] + "</section>\n" + html[footnotes:]
    return Markup(html)  # noqa: S704 (sanitised, then only our own section tags added)


#: A footnote or link reference definition, with its indented continuation lines.
_DEFINITION = re.compile(
    r"^ {0,3}\[(\^?[^\]\n]+)\]:.*(?:\n(?:[ \t]*\n)*(?: {4}|\t).*)*", re.MULTILINE
)
_REFERENCE = re.compile(r"\[(\^?[^\]\n]+)\]")


def render_excerpt(text: str, context: str) -> Markup:
    """Render part of a text (a section, an amendment) as it reads in the whole.

    The footnotes and reference links it uses but the rest of the text defines
    are rendered with it, so that ``[^1]`` reads as a note, not as brackets.
    """
    own = {m.group(1).lower() for m in _DEFINITION.finditer(text or "")}
    used = {m.group(1).lower() for m in _REFERENCE.finditer(text or "")} - own
    borrowed = [
        m.group(0)
        for m in _DEFINITION.finditer(context or "")
        if m.group(1).lower() in used
    ]
    return render_markdown("\n\n".join([text or "", *borrowed]))


def plain_text(html: str) -> str:
    """The text of sanitised HTML: tags removed, entities decoded, spaces collapsed."""
    # Markup only parses here: nothing of it is rendered as HTML.
    return Markup(html).striptags()  # noqa: S704
