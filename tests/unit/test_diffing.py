"""Comparisons: word-level marks, side-by-side rows, escaping, and bounded cost."""

import random
import re
from html import unescape

import pytest
from markupsafe import Markup

from advocacy.diffing import compare, inline_diff, rendered_diff
from advocacy.markup import render_markdown


@pytest.fixture(autouse=True)
def _app(app):
    """The screen-reader labels are translated: an app context is enough."""
    return app


def test_words_inserted_and_removed_are_marked():
    result = compare(
        "Soutenir les PTCE en région.", "Soutenir fortement les PTCE partout."
    )
    html = unescape(str(result.inline))
    assert "<ins>" in html and "fortement" in html and "<del>" in html
    assert "[ajout :]" in html and "[fin de l'ajout]" in html  # read aloud, not shown
    assert result.additions == 1 and result.removals == 1


def test_unchanged_text_has_no_marks():
    result = compare("a\nb", "a\nb")
    assert not result.changed and "<ins>" not in str(result.inline)
    assert [r.kind for r in result.rows] == ["equal", "equal"]


def test_rows_line_up_insertions_deletions_and_changes():
    result = compare("un\ndeux\ntrois\nquatre", "un\ndeux bis\ntrois\ncinq\nquatre")
    kinds = [(r.kind, r.old_number, r.new_number) for r in result.rows]
    assert kinds == [
        ("equal", 1, 1),
        ("change", 2, 2),
        ("equal", 3, 3),
        ("insert", None, 4),
        ("equal", 4, 5),
    ]
    change = result.rows[1]
    assert "<ins>" in str(change.new) and "<ins>" not in str(change.old)


def test_deleted_lines_are_rows_of_their_own():
    result = compare("un\ndeux\ntrois", "un\ntrois")
    assert [(r.kind, r.old_number, r.new_number) for r in result.rows] == [
        ("equal", 1, 1),
        ("delete", 2, None),
        ("equal", 3, 2),
    ]


def test_text_is_escaped():
    result = compare("<b>x</b>", "<script>alert(1)</script>")
    assert "<script" not in str(result.inline) and "<b>" not in str(result.inline)
    assert "&lt;" in str(result.inline)
    assert "&lt;b&gt;" in str(inline_diff("<b>", "x"))


def test_two_large_texts_compare_quickly_enough_to_answer():
    import time

    rng = random.Random(7)
    words = [
        "".join(rng.choice("abcdefghij") for _ in range(rng.randint(2, 9)))
        for _ in range(5000)
    ]
    old = "\n".join(" ".join(rng.choices(words, k=12)) for _ in range(2500))
    new_lines = old.split("\n")
    for i in range(0, len(new_lines), 25):
        new_lines[i] += " et une précision"
    assert len(old) > 190_000
    start = time.perf_counter()
    result = compare(old, "\n".join(new_lines))
    assert result.additions == 100
    # A generous bound: the benchmark measures the real figure (bench-diff).
    assert time.perf_counter() - start < 5


# --- the change as it reads ---------------------------------------------------


def reads(old_md: str, new_md: str):
    return rendered_diff(render_markdown(old_md), render_markdown(new_md))


def test_the_reader_sees_the_text_not_its_markdown():
    result = reads(
        "# Suivi\n\nUn bilan **semestriel** des aides.",
        "# Suivi annuel\n\nUn bilan **annuel** des aides.",
    )
    html = unescape(str(result.html))
    assert "**" not in html and "# " not in html
    assert "<h2>Suivi <ins>" in html and "annuel" in html
    assert "<strong><del>" in html and "semestriel" in html
    assert (result.added, result.removed) == (2, 1)


def test_a_changed_footnote_and_a_changed_link_show_as_changed():
    result = reads(
        "Un suivi.[^1] Voir [le plan](https://a.fr/plan).\n\n[^1]: Source : CRESS.",
        "Un suivi.[^1] Voir [le plan](https://b.fr/plan).\n\n[^1]: Source : CRESS 2024.",
    )
    html = unescape(str(result.html))
    # the note's new words are marked in the notes, not as "[^1]:" source
    assert "[^1]" not in html and re.search(r"CRESS <ins>.*2024", html)
    # the same words linked elsewhere: the old link's words out, the new one's in
    assert re.search(r"<del>.*le plan.*</del><a href=\"https://b.fr/plan\"", html)
    assert re.search(r"<a href=\"https://b.fr/plan\"[^>]*><ins>.*le plan", html)


def test_a_removed_paragraph_reads_as_a_paragraph_of_its_own():
    html = str(reads("A un.\n\nB deux.\n\nC trois.", "A un.\n\nC trois.").html)
    assert re.search(r"<p><del>.*B deux\..*</del></p>\s*<p>C trois\.</p>", html)


def test_a_removed_list_item_is_never_marked_outside_an_item():
    html = str(reads("- un\n- deux\n- trois\n\nFin.", "- un\n\nFin.").html)
    assert not re.search(r"<ul>\s*<del|</li>\s*<del", html)
    assert "deux" in html and "trois" in html


def test_an_unchanged_text_reads_unmarked_and_without_its_ids():
    source = "# Titre\n\nUn texte.[^1]\n\n[^1]: Une note."
    result = reads(source, source)
    assert not result.changed
    assert "<ins>" not in result.html and "<del>" not in result.html
    assert "id=" not in result.html  # the page shows the text itself with its ids


def test_hostile_text_stays_text():
    result = reads("Rien.", "Rien. <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<script" not in result.html and "javascript:" not in result.html
    assert "&lt;script&gt;" in result.html


def test_two_long_unrelated_texts_still_read_as_the_new_one():
    """Past the time budget the diff is coarser, never wrong (speed: make bench-diff)."""
    rng = random.Random(7)
    words = ["économie", "sociale", "solidaire", "emploi", "territoire", "coop"]

    def text():  # about 200,000 characters
        return "\n\n".join(" ".join(rng.choices(words, k=60)) for _ in range(500))

    new_html = render_markdown(text())
    result = rendered_diff(render_markdown(text()), new_html)
    kept = re.sub(r"<del>.*?</del>", "", str(result.html), flags=re.S)
    kept = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", kept)
    read = Markup(kept).striptags()  # noqa: S704 (only read)
    assert re.findall(r"\w+", read) == re.findall(r"\w+", new_html.striptags())
