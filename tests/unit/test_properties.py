"""Properties of the text machinery, for any input Hypothesis can think of.

The Markdown renderer, section splitting and ids, the word diff and the three-way
merge: no input raises, and what each promises holds.
"""

import html
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from advocacy.diffing import compare, inline_diff, rendered_diff
from advocacy.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    render_markdown,
    render_sections,
    sanitize_html,
)
from advocacy.search import highlight, parse, word_key
from advocacy.sections import Section, assign_ids, sections_of, split_sections
from advocacy.services.positions import CONFLICT_START, merge_field

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

#: Characters that matter to Markdown and HTML, plus letters and odd Unicode.
MARKDOWN_ALPHABET = st.sampled_from(
    list("abcé \n\t#*_-+>[]()!`~|:\"'<>&=/\\^.0123456789")
    + ["javascript:", "<script>", "onerror=", "[^1]", "[^1]: note", "http://x.org"]
    + ["\u202e", "\u0000", "\ud7ff", "\U0001f600", "\r\n", "<!--", "-->", "```"]
)
markdown_text = st.lists(MARKDOWN_ALPHABET, max_size=120).map("".join)


class Elements(HTMLParser):
    """Every element and attribute of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.found.append((tag, attrs))


def elements(html: str):
    parser = Elements()
    parser.feed(html)
    return parser.found


@SETTINGS
@given(markdown_text)
def test_rendered_markdown_stays_inside_the_allow_list(source):
    html = str(render_markdown(source))
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, []), (tag, name)
            if name == "href":
                scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", value or "")
                assert scheme is None or scheme.group(1).lower() in ALLOWED_PROTOCOLS
    # what is stored is already clean: cleaning it again changes nothing
    assert sanitize_html(html) == html


@SETTINGS
@given(st.lists(markdown_text, min_size=1, max_size=5))
def test_sections_render_whole_and_clean(texts):
    blocks = [(f"s-{i}", text) for i, text in enumerate(texts)]
    html = str(render_sections(blocks))
    for tag, _attrs in elements(html):
        assert tag in ALLOWED_TAGS | {"section"}, tag


@SETTINGS
@given(markdown_text)
def test_splitting_keeps_every_word_in_order(text):
    sections = split_sections(text)
    words = re.findall(r"\w+", text)
    assert re.findall(r"\w+", "\n\n".join(sections)) == words
    assert all(section.strip() for section in sections)


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéè", min_size=3, max_size=8)


@st.composite
def documents(draw):
    """Sections with distinct headings and paragraphs of several distinct words."""
    count = draw(st.integers(min_value=1, max_value=6))
    titles = draw(st.lists(WORD, min_size=count, max_size=count, unique=True))
    sections = []
    for title in titles:
        words = draw(st.lists(WORD, min_size=4, max_size=12, unique=True))
        sections.append(f"# Titre {title}\n\n{' '.join(words)}.")
    return sections


@SETTINGS
@given(documents(), st.data())
def test_ids_are_stable_when_a_section_is_only_edited(sections, data):
    before = sections_of("\n\n".join(sections))
    assert len(before) == len(sections)
    edited = data.draw(st.integers(min_value=0, max_value=len(sections) - 1))
    extra = data.draw(WORD)
    texts = list(sections)
    texts[edited] = texts[edited].rstrip(".") + f" {extra}."
    after = assign_ids(before, split_sections("\n\n".join(texts)))
    assert [s.id for s in after] == [s.id for s in before]
    # unchanged text keeps its id wherever it moves
    moved = assign_ids(before, list(reversed(sections)))
    assert [s.id for s in moved] == [s.id for s in reversed(before)]


@SETTINGS
@given(documents())
def test_a_new_section_gets_a_new_id_and_the_others_keep_theirs(sections):
    before = sections_of("\n\n".join(sections))
    texts = [*sections, "# Tout autre chose\n\nzzz yyy xxx www."]
    after = assign_ids(before, texts)
    assert [s.id for s in after[:-1]] == [s.id for s in before]
    assert after[-1].id not in {s.id for s in before}
    assert isinstance(after[-1], Section)


def reading(diff: str, drop: str) -> str:
    """The text one side reads in a diff: ``drop``'s runs and the labels removed."""
    text = re.sub(rf"<{drop}>.*?</{drop}>", "", diff, flags=re.S)
    text = re.sub(r'<span class="visually-hidden">.*?</span>', "", text, flags=re.S)
    return html.unescape(re.sub(r"</?(ins|del)>", "", text))


prose = st.lists(
    st.sampled_from(list("ab cé,.\n<>&'\"") + ["mot", " de ", "**", "[^1]"]),
    max_size=40,
).map("".join)


@SETTINGS
@given(prose, prose)
def test_the_word_diff_reads_as_either_text(old, new):
    diff = str(inline_diff(old, new))
    assert reading(diff, "ins") == old
    assert reading(diff, "del") == new
    for tag, _attrs in elements(diff):
        assert tag in {"ins", "del", "span"}


def words_of(html: str) -> list[str]:
    return re.findall(r"\w+", Markup(html).striptags())  # noqa: S704 (only read)


@SETTINGS
@given(markdown_text, markdown_text)
def test_the_change_as_it_reads_is_the_new_text_and_stays_clean(old, new):
    """Without its removals, the rendered diff reads as the new text, word for word;
    it holds only allowed tags (plus the marks), and no id twice on a page."""
    old_html, new_html = str(render_markdown(old)), str(render_markdown(new))
    diff = str(rendered_diff(old_html, new_html).html)
    for tag, attrs in elements(diff):
        assert tag in ALLOWED_TAGS | {"ins", "span"}, tag
        for name, value in attrs:
            if tag == "span":
                assert (name, value) == ("class", "visually-hidden")
            else:
                assert name in ALLOWED_ATTRIBUTES.get(tag, []) and name != "id"
    labels = r'<span class="visually-hidden">[^<]*</span>'
    kept = re.sub(r"<del>.*?</del>", "", re.sub(labels, "", diff), flags=re.S)
    assert words_of(kept) == words_of(new_html)
    # nothing is marked inside a list or a table where no text may stand
    assert not re.search(r"<(ul|ol|dl|tr|tbody|thead|table)>\s*<(ins|del)", diff)


@SETTINGS
@given(prose, prose)
def test_the_line_comparison_counts_what_changed(old, new):
    result = compare(old, new)
    assert result.changed == (old.splitlines() != new.splitlines())
    assert len([r for r in result.rows if r.old_number]) == len(old.splitlines())
    assert len([r for r in result.rows if r.new_number]) == len(new.splitlines())


LINES = st.lists(
    st.text(alphabet="abcdefgh ", min_size=1, max_size=6), max_size=12, unique=True
)


@st.composite
def edits(draw, base):
    """A version of ``base``: some lines removed, some new ones put in."""
    kept = [line for line in base if draw(st.booleans()) or not base]
    out = list(kept)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(out)))
        out.insert(at, "nouveau " + draw(st.text(alphabet="xyz", max_size=4)))
    return out


@SETTINGS
@given(st.data())
def test_merging_never_drops_a_line_both_sides_kept(data):
    base = data.draw(LINES)
    saved = data.draw(edits(base))
    mine = data.draw(edits(base))
    merged = merge_field(
        "\n".join(base),
        "\n".join(saved),
        "\n".join(mine),
        saved_label="enregistrée",
        mine_label="la vôtre",
    )
    result = merged.text.split("\n")
    for line in base:
        if line in saved and line in mine:
            assert line in result
    if not merged.conflicts:
        assert not any(line.startswith(CONFLICT_START) for line in result)
        # what one side added without conflict is in the result
        for line in set(saved) - set(base):
            assert line in result
        for line in set(mine) - set(base):
            assert line in result


@SETTINGS
@given(LINES, LINES)
def test_merging_with_an_unchanged_side_takes_the_other(base, other):
    assume(base != other)
    text = "\n".join
    assert merge_field(
        text(base), text(base), text(other), saved_label="a", mine_label="b"
    ).text == text(other)
    assert merge_field(
        text(base), text(other), text(base), saved_label="a", mine_label="b"
    ).text == text(other)


#: Words as statements write them: accents, capitals, ligatures, "y" between vowels.
FRENCH_WORDS = st.sampled_from(
    "Économie économique ÉCONOMIES sociale Sociaux société payante payer paient"
    " œuvre oeuvres Œuvrer coopération coopératives Coop emploi employeurs"
    " essaimer l'ESS d'ESS 2026 transition Transitions écologique épargne"
    " jeunes Jeunesse cœur coeur naïve naïf Ça ça".split()
)


@SETTINGS
@given(
    st.lists(FRENCH_WORDS, max_size=80).map(" ".join),
    st.lists(FRENCH_WORDS, min_size=1, max_size=3).map(" ".join),
)
def test_extracts_mark_every_word_of_the_question_and_no_other(text, question):
    """Extracts look at the words that begin like the question's stems only: they
    mark exactly what stemming every word would mark."""
    query = parse(question)
    assume(query.stems)
    extract = highlight(text, query, length=2000)  # the whole text
    marked = [html.unescape(w) for w in re.findall(r"<mark>(.*?)</mark>", extract)]
    expected = [w for w in re.findall(r"\w+", text) if word_key(w) in query.stems]
    assert marked == expected
    assert html.unescape(re.sub(r"</?mark>", "", extract)) == text
