"""Comparisons: word-level marks, side-by-side rows, escaping, and bounded cost."""

import random
from html import unescape

import pytest

from advocacy.diffing import compare, inline_diff


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
