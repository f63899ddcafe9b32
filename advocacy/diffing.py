"""Comparing two texts: word-level inline diffs and side-by-side rows, as safe HTML.

diff-match-patch does the work, on words and on lines (each unit mapped to one
character, the library's documented technique for word and line diffs), with a
deadline so that even two unrelated 200,000-character texts answer quickly.

Readers see the change on the text as it reads (``rendered_diff``): the two
sanitised renderings are compared word by word, tags being units of their own,
and the result keeps the new version's markup with ``<ins>``/``<del>`` around
changed words. Markdown users may still open the change in the source
(``compare``).
"""

import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser

from diff_match_patch import diff_match_patch
from flask_babel import gettext as _
from markupsafe import Markup, escape

#: A word or a sign with the spaces after it: matching whole words first, a diff
#: keeps "15 000 établissements" together rather than a stray "000".
_TOKEN = re.compile(r"\w+[^\S\n]*|[^\w\s][^\S\n]*|\s+", re.UNICODE)
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
    old: list[str],
    new: list[str],
    deadline: float,
    semantic: bool = False,
    key=None,
) -> list[tuple[int, list[str]]]:
    """Diff two sequences of units (words or lines): ``[(op, units)]``.

    Units compare by ``key(unit)`` (the unit itself by default); what comes back
    are the units themselves, the new side's for equal runs. Past ``deadline`` (a
    ``time.time()`` value) the library stops looking for the smallest diff and
    returns a correct, coarser one.
    """
    ops: list[tuple[int, list[str]]] = []
    i = j = 0
    for op, n in _unit_ops(old, new, deadline, semantic, key):
        if op == DELETE:
            ops.append((op, old[i : i + n]))
            i += n
        else:
            ops.append((op, new[j : j + n]))
            j += n
            if op == EQUAL:
                i += n
    return ops


def _unit_ops(
    old: list[str], new: list[str], deadline: float, semantic: bool, key
) -> list[tuple[int, int]]:
    """The diff as ``(op, how many units)``."""
    table: dict[str, str] = {}

    def encode(seq):
        out = []
        for unit in seq if key is None else map(key, seq):
            code = table.get(unit)
            if code is None:
                code = table[unit] = _char(len(table))
            out.append(code)
        return "".join(out)

    diffs = _ENGINE.diff_main(encode(old), encode(new), False, deadline)
    if semantic:  # no coincidental "000" or "de" kept equal between two changes
        _ENGINE.diff_cleanupSemantic(diffs)
    return [(op, len(text)) for op, text in diffs]


def _word_key(token: str) -> str:
    """A word compares without the spaces after it (a line's last word has none)."""
    return token.rstrip() or token


class _Labels:
    """The screen-reader labels of insertions and deletions, translated once."""

    def __init__(self):
        self.ins = (escape(_("[added:]")), escape(_("[end of addition]")))
        self.delete = (escape(_("[removed:]")), escape(_("[end of removal]")))

    def mark(self, tag: str, text: str) -> str:
        return self.mark_html(tag, str(escape(text))) if text else ""

    def mark_html(self, tag: str, html: str) -> str:
        """Wrap HTML text (already escaped, without tags) as added or removed."""
        if html.isspace():  # a changed space or line break: nothing to read out
            return f"<{tag}>{html}</{tag}>"
        start, end = self.ins if tag == "ins" else self.delete
        return (
            f'<{tag}><span class="visually-hidden">{start} </span>{html}'
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

    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    ops = _unit_ops(old_tokens, new_tokens, deadline, True, _word_key)
    # equal words may differ in the spaces after them ("Suivi" ending a line,
    # "Suivi " before a new word): each side keeps its own, marked
    steps: list[tuple[int, list[str]]] = []
    i = j = 0
    for op, n in ops:
        if op == DELETE:
            steps.append((DELETE, old_tokens[i : i + n]))
            i += n
        elif op == INSERT:
            steps.append((INSERT, new_tokens[j : j + n]))
            j += n
        else:
            for o, w in zip(old_tokens[i : i + n], new_tokens[j : j + n], strict=True):
                if o == w:
                    steps.append((EQUAL, [o]))
                    continue
                word = _word_key(o)
                steps.append((EQUAL, [word]))
                steps.append((DELETE, [o[len(word) :]]))
                steps.append((INSERT, [w[len(word) :]]))
            i += n
            j += n
    for op, tokens in _grouped(steps):
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


# --- Comparing the text as it reads ------------------------------------------

_HTML_TOKEN = re.compile(
    r"<[^>]*>|&#?\w+;[^\S\n]*|\w+[^\S\n]*|[^\w\s<][^\S\n]*|\s+", re.UNICODE
)
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_ID_ATTRIBUTE = re.compile(r'\s+id="[^"]*"')
_HREF = re.compile(r'\shref="([^"]*)"')
_WORDS = re.compile(r"\w+", re.UNICODE)
#: Elements that hold other elements only: a mark cannot sit directly inside them.
_NO_TEXT = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"})
#: Elements in which a removed paragraph is shown as a paragraph of its own.
_FLOW = frozenset({"div", "blockquote", "li", "td", "th", "dd"})
_VOID = frozenset({"br", "hr"})
_BLOCK = frozenset(
    {"p", "li", "blockquote", "pre", "tr", "td", "th", "dt", "dd", "div", "hr", "br"}
    | {f"h{n}" for n in range(1, 7)}
)


def _tag(html: str) -> tuple[str, bool] | None:
    """The element name of a tag and whether it closes; None for a word."""
    if not html.startswith("<"):
        return None
    return _TAG_NAME.match(html).group(1).lower(), html.startswith("</")


def _html_tokens(html: str) -> tuple[list[str], list[str]]:
    """Sanitised HTML as tags and words: what is compared, and what is written.

    A word in a link carries the link's target. Section wrappers are left out
    (they are not read), ids are dropped (the page already has them), and runs
    of white space compare equal. Only strings: a long text makes no objects
    for the garbage collector to walk.
    """
    keys: list[str] = []
    written: list[str] = []
    targets: list[str] = []
    for piece in _HTML_TOKEN.findall(str(html or "")):
        if piece[0] == "<":
            match = _TAG_NAME.match(piece)
            if match is None:
                continue
            name = match.group(1).lower()
            if name == "section":
                continue
            if name == "a":
                if piece[1] == "/":
                    if targets:
                        targets.pop()
                else:
                    href = _HREF.search(piece)
                    targets.append(href.group(1) if href else "")
            piece = _ID_ATTRIBUTE.sub("", piece)
            keys.append(piece)
        elif piece.isspace():
            keys.append(" ")
        else:
            key = piece.rstrip()
            # a changed link target shows as a change of the words it carries
            keys.append(f"{key}\x00{targets[-1]}" if targets else key)
        written.append(piece)
    return keys, written


def _opens_block(key: str) -> bool:
    tag = _tag(key)
    return tag is not None and tag[0] in _BLOCK and not tag[1]


def _aligned(ops: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Slide each lone removal between two equal runs to start on a block's opening.

    ``<p>A</p><p>B</p><p>C</p>`` to ``<p>A</p><p>C</p>`` may be found as the
    removal of ``B</p><p>``; shown there it would glue B to C. The same removal,
    slid left to ``<p>B</p>``, is a whole paragraph.
    """
    ops = [(op, list(units)) for op, units in ops]
    for k in range(1, len(ops) - 1):
        before, (op, units), after = ops[k - 1], ops[k], ops[k + 1]
        if op != DELETE or before[0] != EQUAL or after[0] != EQUAL:
            continue
        shift = 0
        while shift < len(units) and shift < len(before[1]):
            if before[1][-1 - shift] != units[-1 - shift]:
                break
            shift += 1
            if _opens_block(units[-shift]):
                break
        else:
            continue
        if not shift or not _opens_block(units[-shift]):
            continue
        moved = units[-shift:]
        ops[k - 1] = (EQUAL, before[1][:-shift])
        ops[k] = (DELETE, moved + units[:-shift])
        ops[k + 1] = (EQUAL, moved + after[1])
    return ops


def _grouped(ops: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Each change between two equal runs as one removal then one addition.

    "le plan" relinked reads ``<del>le plan</del><ins>le plan</ins>``, not
    word by word alternately.
    """
    grouped: list[tuple[int, list[str]]] = []
    removed: list[str] = []
    added: list[str] = []
    for k, (op, units) in enumerate(ops + [(EQUAL, [])]):
        if (
            op == EQUAL
            and (removed or added)
            and 0 < k < len(ops) - 1
            and all(unit.isspace() for unit in units)
        ):  # a space between two changed words belongs to the change
            removed.extend(units)
            added.extend(units)
            continue
        if op == DELETE:
            removed.extend(units)
        elif op == INSERT:
            added.extend(units)
        else:
            if removed:
                grouped.append((DELETE, removed))
            if added:
                grouped.append((INSERT, added))
            removed, added = [], []
            if units:
                grouped.append((EQUAL, list(units)))
    return grouped


class _Writer:
    """Writes the new version's markup, marking added words and placing removed ones."""

    def __init__(self, labels: _Labels):
        self.labels = labels
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.run: list[str] = []
        self.run_mark: str | None = None
        self.removed: list[str] = []  # removed words not yet placed
        self.removed_blocks = False
        self.waiting: list[str] = []  # placed removals waiting for a place for text
        self.added_words = self.removed_words = 0

    def _flush(self) -> None:
        html = "".join(self.run)
        if self.run_mark and not html.isspace():
            lead = html[: len(html) - len(html.lstrip())]
            trail = html[len(html.rstrip()) :]
            html = lead + self.labels.mark_html(self.run_mark, html.strip()) + trail
        self.parts.append(html)
        self.run, self.run_mark = [], None

    def _write_text(self, mark: str | None, html: str) -> None:
        if mark != self.run_mark and self.run:
            self._flush()
        self.run_mark = mark
        self.run.append(html)

    def _place_removed(self) -> None:
        text = " ".join("".join(self.removed).split())
        blocks, self.removed, self.removed_blocks = self.removed_blocks, [], False
        if not text:
            return
        html = self.labels.mark_html("del", text)
        top = self.stack[-1] if self.stack else None
        if blocks and (top is None or top in _FLOW):
            html = f"<p>{html}</p>"
        if top in _NO_TEXT:
            self.waiting.append(html)
            return
        if self.run:
            self._flush()
        self.parts.append(html)

    def _release_waiting(self) -> None:
        if self.waiting and not (self.stack and self.stack[-1] in _NO_TEXT):
            self.parts.extend(self.waiting)
            self.waiting = []

    def new_side(self, html: str, added: bool) -> None:
        if self.removed:
            self._place_removed()
        tag = _tag(html)
        if tag is None:
            if added:
                self.added_words += len(_WORDS.findall(html))
            # white space in a list or a table is not text: never marked
            mark = "ins" if added and not html.isspace() else None
            if mark is None and self.run_mark == "ins" and html.isspace():
                mark = "ins"  # keeps "two added" as one mark
            self._write_text(mark, html)
            return
        if self.run:
            self._flush()
        self.parts.append(html)
        name, closing = tag
        if name in _VOID:
            return
        if closing:
            if name in self.stack:
                while self.stack and self.stack.pop() != name:
                    pass
        else:
            self.stack.append(name)
        self._release_waiting()

    def old_side(self, html: str) -> None:
        tag = _tag(html)
        if tag is None:
            self.removed_words += len(_WORDS.findall(html))
            self.removed.append(html)
        elif tag[0] in _BLOCK:
            self.removed.append(" ")
            self.removed_blocks = True

    def finish(self) -> str:
        if self.removed:
            self._place_removed()
        if self.run:
            self._flush()
        self.stack = []
        self._release_waiting()
        return "".join(self.parts)


@dataclass
class RenderedDiff:
    """The change on the text as it reads, with the number of words added and removed."""

    html: Markup
    added: int
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def rendered_diff(old_html: str, new_html: str) -> RenderedDiff:
    """Compare two sanitised renderings word by word: the new one, changes marked.

    The result holds only the new version's tags (ids dropped), its text and the
    old one's, and ``<ins>``, ``<del>`` and their hidden labels: it stays within
    the sanitiser's allow-list.
    """
    old_keys, old = _html_tokens(old_html)
    new_keys, new = _html_tokens(new_html)
    ops = _unit_diff(old_keys, new_keys, time.time() + BUDGET, semantic=True)
    writer = _Writer(_Labels())
    i = j = 0
    for op, units in _aligned(_grouped(ops)):
        if op == DELETE:
            for html in old[i : i + len(units)]:
                writer.old_side(html)
            i += len(units)
            continue
        for html in new[j : j + len(units)]:
            writer.new_side(html, added=op == INSERT)
        j += len(units)
        if op == EQUAL:
            i += len(units)
    return RenderedDiff(
        _safe(writer.finish()), writer.added_words, writer.removed_words
    )


# --- What a change would drop --------------------------------------------------


@dataclass(frozen=True)
class Loss:
    """Something the old text had that the new one would drop."""

    kind: str  # note, link, item
    label: str


class _Inventory(HTMLParser):
    """The notes, links and list items of a sanitised rendering."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.notes: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.items: list[str] = []
        self._open: list[tuple[str, list[str], str]] = []  # (what, text, href)
        self._in_notes = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "div" and "footnote" in (attributes.get("class") or "").split():
            self._in_notes = 1
        elif self._in_notes and tag == "div":
            self._in_notes += 1
        if tag == "li":
            self._open.append(("note" if self._in_notes else "item", [], ""))
        elif tag == "a":
            href = attributes.get("href") or ""
            if not href.startswith("#"):
                self._open.append(("link", [], href))

    def handle_endtag(self, tag):
        if tag == "div" and self._in_notes:
            self._in_notes -= 1
        wanted = {"li": ("note", "item"), "a": ("link",)}.get(tag)
        if not wanted or not self._open or self._open[-1][0] not in wanted:
            return
        what, text, href = self._open.pop()
        words = " ".join("".join(text).replace("\u21a9", "").split())
        if what == "link":
            self.links.append((href, words))
        elif what == "note":
            self.notes.append(words)
        elif words:
            self.items.append(words)

    def handle_data(self, data):
        for _what, text, _href in self._open:
            text.append(data)


def _inventory(html: str) -> _Inventory:
    parser = _Inventory()
    parser.feed(str(html or ""))
    parser.close()
    return parser


def _significant(text: str) -> set[str]:
    """The words that carry meaning: "en", "de", "la" do not tell items apart."""
    return {w for w in _WORDS.findall(text.lower()) if len(w) > 2}


def _kept(text: str, others: list[str]) -> bool:
    """Whether a note or an item is still there, edited at most (half its words)."""
    words = _significant(text)
    for other in others:
        theirs = _significant(other)
        if text == other or (words and len(words & theirs) / len(words) >= 0.5):
            return True
    return False


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def losses(old_html: str, new_html: str) -> list[Loss]:
    """The notes, links and list items of the old rendering that the new one drops.

    An edited note or item is not lost (it keeps half its words); a link is lost
    when its address is nowhere in the new text.
    """
    old, new = _inventory(old_html), _inventory(new_html)
    found = [Loss("note", _short(n)) for n in old.notes if not _kept(n, new.notes)]
    addresses = {href for href, _text in new.links}
    found += [
        Loss("link", _short(f"{text} ({href})" if text and text != href else href))
        for href, text in dict(old.links).items()
        if href not in addresses
    ]
    found += [Loss("item", _short(i)) for i in old.items if not _kept(i, new.items)]
    return found


def side_by_side(old: str, new: str) -> tuple[Markup, Markup]:
    """Two wordings of one passage, each with the words the other lacks marked."""
    _inline, left, right = _block_diff(
        _Labels(), old or "", new or "", time.time() + BUDGET
    )
    return _safe("\n".join(left)), _safe("\n".join(right))
