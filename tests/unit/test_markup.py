"""Markdown is rendered then sanitised: hostile input comes out inert, cleaning is stable."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from advocacy.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    render_markdown,
    render_sections,
    sanitize_html,
)

HOSTILE = [
    # script tags in every disguise
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt src=//evil.example/x.js></ScRiPt>",
    "<script\n>alert(1)</script\n>",
    "<<script>alert(1)//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/xss src=//evil.example>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">survol</div>',
    '<a href="https://ok.example" onclick="alert(1)">clic</a>',
    "<p onfocus=alert(1) autofocus tabindex=0>x</p>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<video><source onerror="alert(1)">',
    # dangerous links, as HTML
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    # dangerous links, as Markdown
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    '[x](https://ok.example "title" onclick="alert(1)")',
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "![x](https://evil.example/pixel.png)",
    '![x" onerror="alert(1)](https://evil.example/x.png)',
    "[![x](x)](javascript:alert(1))",
    # svg / math mutation vectors
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "<math href=javascript:alert(1)>x</math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="behavior:url(x.htc)">x</div>',
    # unclosed, nested, breakouts
    "<a href='https://ok.example",
    '<a href="https://ok.example/"onmouseover="alert(1)">x</a>',
    '<a href="https://ok.example/?a=\\"><script>alert(1)</script>">x</a>',
    "<div><div><div><script>alert(1)",
    "<!--<script>alert(1)</script>-->",
    "<!-- a comment --><p>texte</p>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<textarea></textarea><script>alert(1)</script>",
    "<title></title><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<table><tr><td onmouseover=alert(1)>x</td></tr></table>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "[^1]\n\n[^1]: <img src=x onerror=alert(1)> [y](javascript:alert(1))",
    "# Titre <script>alert(1)</script>",
    '# <a href="javascript:alert(1)">x</a>',
    "*emphase <img src=x onerror=alert(1)>*",
    "> citation <svg onload=alert(1)>",
    '<h1 id="csrf_token">clobber</h1>',
    '<a id="__proto__" name="location">x</a>',
]
INERT_HREF = {"http", "https", "mailto"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.comments.append(data)


def assert_inert(html: str, extra_tags=()) -> None:
    parser = _Collector()
    parser.feed(html)
    assert parser.comments == []
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS | set(extra_tags), (tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on"), (name, html)
            assert name in ALLOWED_ATTRIBUTES.get(tag, []) or (tag, name) in {
                ("section", "class"),
                ("section", "id"),
            }, (tag, name, html)
            if name == "href":
                scheme = urlsplit(value.strip()).scheme.lower()
                assert scheme in INERT_HREF or (not scheme and value.startswith("#")), (
                    html
                )
            if name == "id":
                assert value.startswith(("h-", "fn", "s-")), (value, html)


def test_the_corpus_is_large_enough():
    assert len(HOSTILE) >= 60


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_comes_out_inert(source):
    html = str(render_markdown(source))
    # Every element and attribute is on the allow-list, every link http(s), mailto or
    # an anchor; what remains of the attack is text, e.g. "&lt;script&gt;".
    assert_inert(html)


@pytest.mark.parametrize("source", HOSTILE)
def test_cleaning_is_idempotent(source):
    once = str(render_markdown(source))
    assert sanitize_html(once) == once


@pytest.mark.parametrize("source", HOSTILE[:20])
def test_hostile_sections_come_out_inert(source):
    html = str(
        render_sections(
            [("s-aaaa0001", source), ("s-aaaa0002", "# Suite\n\n" + source)]
        )
    )
    assert_inert(html, extra_tags={"section"})
    assert html.count("<section") == 2


def test_raw_html_is_shown_as_text_not_markup():
    html = str(render_markdown("<strong>gras</strong> et <em>italique</em>"))
    assert "<strong>" not in html and "&lt;strong&gt;" in html


def test_markdown_features_are_kept():
    html = str(
        render_markdown(
            "# Pour un emploi durable\n\n**Gras**, *italique*, `code`.\n\n"
            "| Département | Emplois |\n|:--|--:|\n| 44 | 12 000 |\n\n"
            "Une note[^1].\n\n[^1]: Source : observatoire régional.\n\n"
            "- un\n- deux\n\n> citation\n\n[site](https://www.ess-france.org) "
            "et [écrire](mailto:contact@example.org) et [ancre](#h-pour-un-emploi-durable)"
        )
    )
    assert '<h2 id="h-pour-un-emploi-durable">' in html
    assert "<strong>Gras</strong>" in html and "<em>italique</em>" in html
    assert (
        '<th align="left">Département</th>' in html
        and '<td align="right">12 000</td>' in html
    )
    assert 'class="footnote-ref"' in html and 'id="fn:1"' in html
    assert (
        '<a href="https://www.ess-france.org" rel="nofollow noopener" class="external">'
        in html
    )
    assert '<a href="mailto:contact@example.org" rel="nofollow noopener">' in html
    assert '<a href="#h-pour-un-emploi-durable">' in html
    assert "<blockquote>" in html


def test_bare_urls_become_safe_links():
    html = str(render_markdown("Voir https://www.cress-pdl.org pour en savoir plus."))
    assert (
        '<a href="https://www.cress-pdl.org" rel="nofollow noopener" class="external">'
        in html
    )


def test_sections_share_footnotes_and_references():
    html = str(
        render_sections(
            [
                ("s-00000001", "Intro avec [lien][r] et note[^n]."),
                ("s-00000002", "# Fin\n\n[r]: https://example.org\n\n[^n]: La note."),
            ]
        )
    )
    assert 'href="https://example.org"' in html
    assert 'id="fn:n"' in html
    assert html.index('<section class="text-section" id="s-00000001">') < html.index(
        "Intro"
    )
    assert html.index("</section>") < html.index('<div class="footnote">')


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<p onclick="x()">x</p>',
        '<h1 id="csrf_token">x</h1>',
        "<!-- x -->",
    ],
)
def test_the_checker_itself_catches_danger(dangerous):
    with pytest.raises(AssertionError):
        assert_inert(dangerous)
