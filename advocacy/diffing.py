"""Comparing two texts: word-level inline diffs and side-by-side rows, as safe HTML.

diff-match-patch does the work, on words and on lines (each unit mapped to one
character, the library's documented technique for word and line diffs), with a
deadline so that even two unrelated 200,000-character texts answer quickly.
"""

import re
import time
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from flask_babel import gettext as _
from markupsafe import Markup, escape

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
#: Seconds one comparison may spend before settling for a coarser (still exact) diff.
BUDGET = 0.4
EQUAL, DELETE, INSERT = (
    diff_match_patch.DIFF_EQUAL,
    diff_match_patch.DIFF_DELETE,
    diff_match_patch.DIFF_INSERT,
)


def _safe(html: str) -> Markup:
    """Mark as safe HTML built here from escaped text and our own tags only."""
    return Markup(html)  # noqa: S704 (every user-written piece went through escape())


def _char(index: int) -> str:
    return chr(index + 1 if index + 1 < 0xD800 else index + 1 + 0x800)


_ENGINE = diff_match_patch()


def _unit_diff(
    old: list[str], new: list[str], deadline: float
) -> list[tuple[int, list[str]]]:
    """Diff two sequences of units (words or lines): ``[(op, units)]``.

    Past ``deadline`` (a ``time.time()`` value) the library stops looking for the
    smallest diff and returns a correct, coarser one.
    """
    table: dict[str, str] = {}
    units: list[str] = []

    def encode(seq):
        out = []
        for unit in seq:
            code = table.get(unit)
            if code is None:
                code = table[unit] = _char(len(units))
                units.append(unit)
            out.append(code)
        return "".join(out)

    diffs = _ENGINE.diff_main(encode(old), encode(new), False, deadline)
    decode = {code: unit for unit, code in table.items()}
    return [(op, [decode[c] for c in text]) for op, text in diffs]


class _Labels:
    """The screen-reader labels of insertions and deletions, translated once."""

    def __init__(self):
        self.ins = (escape(_("[added:]")), escape(_("[end of addition]")))
        self.delete = (escape(_("[removed:]")), escape(_("[end of removal]")))

    def mark(self, tag: str, text: str) -> str:
        if not text:
            return ""
        start, end = self.ins if tag == "ins" else self.delete
        return (
            f'<{tag}><span class="visually-hidden">{start} </span>{escape(text)}'
            f'<span class="visually-hidden"> {end}</span></{tag}>'
        )


def _block_diff(
    labels: _Labels, old: str, new: str, deadline: float
) -> tuple[str, list[str], list[str]]:
    """Word diff of two blocks of lines: inline HTML, and each side's marked lines."""
    inline: list[str] = []
    left: list[str] = [""]
    right: list[str] = [""]

    def add(side: list[str], tag: str | None, text: str) -> None:
        pieces = text.split("\n")
        for k, piece in enumerate(pieces):
            if k:
                side.append("")
            side[-1] += labels.mark(tag, piece) if tag else str(escape(piece))

    for op, tokens in _unit_diff(_TOKEN.findall(old), _TOKEN.findall(new), deadline):
        text = "".join(tokens)
        if op == EQUAL:
            inline.append(str(escape(text)))
            add(left, None, text)
            add(right, None, text)
        elif op == DELETE:  # a removed line break is marked too: it is not read
            inline.append(labels.mark("del", text))
            add(left, "del", text)
        else:
            inline.append(labels.mark("ins", text))
            add(right, "ins", text)
    return "".join(inline), left, right


@dataclass
class Row:
    """One row of a side-by-side comparison."""

    kind: str  # equal, change, insert, delete
    old: Markup
    new: Markup
    old_number: int | None
    new_number: int | None


@dataclass
class Comparison:
    inline: Markup
    rows: list[Row]
    additions: int
    removals: int

    @property
    def changed(self) -> bool:
        return bool(self.additions or self.removals)


def compare(old: str, new: str) -> Comparison:
    """Compare two texts line by line, then word by word inside the changed blocks."""
    labels = _Labels()
    inline: list[str] = []
    rows: list[Row] = []
    additions = removals = 0
    numbers = [0, 0]
    removed: list[str] = []

    def number(side: int) -> int:
        numbers[side] += 1
        return numbers[side]

    def emit_removed_only() -> None:
        for line in removed:
            html = labels.mark("del", line)
            inline.append(html)
            rows.append(Row("delete", _safe(html), _safe(""), number(0), None))
        removed.clear()

    deadline = time.time() + BUDGET
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    for op, lines in _unit_diff(old_lines, new_lines, deadline):
        if op == DELETE:
            removals += len(lines)
            removed.extend(lines)
        elif op == INSERT:
            additions += len(lines)
            if not removed:
                for line in lines:
                    html = labels.mark("ins", line)
                    inline.append(html)
                    rows.append(Row("insert", _safe(""), _safe(html), None, number(1)))
                continue
            html, left, right = _block_diff(
                labels, "\n".join(removed), "\n".join(lines), deadline
            )
            inline.append(html)
            for k in range(max(len(left), len(right))):
                o = left[k] if k < len(left) else None
                n = right[k] if k < len(right) else None
                rows.append(
                    Row(
                        "change"
                        if o is not None and n is not None
                        else ("delete" if n is None else "insert"),
                        _safe(o or ""),
                        _safe(n or ""),
                        number(0) if o is not None else None,
                        number(1) if n is not None else None,
                    )
                )
            removed.clear()
        else:
            emit_removed_only()
            for line in lines:
                text = str(escape(line))
                inline.append(text)
                rows.append(
                    Row("equal", _safe(text), _safe(text), number(0), number(1))
                )
    emit_removed_only()
    return Comparison(_safe("\n".join(inline)), rows, additions, removals)


def inline_diff(old: str, new: str) -> Markup:
    """A word-level inline diff of two short texts (a title, a summary)."""
    return _safe(_block_diff(_Labels(), old or "", new or "", time.time() + BUDGET)[0])
