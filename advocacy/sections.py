"""Splitting a text into sections, and keeping each section's id across revisions.

A section is a heading and everything up to the next heading; before the first
heading, each top-level block (paragraph, list, table, quote, code) is a section.
Ids survive edits: a section keeps its id when it is unchanged, moved, or edited
in place; a new section gets a new id.
"""

import re
import secrets
from dataclasses import dataclass

_ATX = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_WORD = re.compile(r"\w+")
_LIST = re.compile(r"^ {0,3}([-*+]|\d{1,9}[.)])\s")
#: Edited sections at least this similar to an old one keep its id.
SIMILARITY = 0.5


@dataclass(frozen=True)
class Section:
    id: str
    text: str

    @property
    def title(self) -> str:
        """The heading text, or the start of the block, for lists and margins."""
        first = self.text.strip().splitlines()[0] if self.text.strip() else ""
        first = re.sub(r"^ {0,3}#{1,6}\s*", "", first).strip(" #")
        return first if len(first) <= 80 else first[:77].rstrip() + "…"


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _similarity(a: set[str], b: set[str]) -> float:
    """Share of distinct words in common (Jaccard): cheap, and steady on long sections."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def new_section_id() -> str:
    return "s-" + secrets.token_hex(4)


def _blocks(lines: list[str]) -> list[list[str]]:
    """Top-level blocks: runs of lines separated by blank lines, fences kept whole."""
    blocks: list[list[str]] = []
    current: list[str] = []
    fence: str | None = None
    for line in lines:
        if fence is not None:
            current.append(line)
            if line.strip().startswith(fence):
                fence = None
            continue
        match = _FENCE.match(line)
        if match:
            fence = match.group(1)[0] * 3
            current.append(line)
            continue
        if not line.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        if _ATX.match(line):  # a heading is always a block of its own start
            if current:
                blocks.append(current)
            blocks.append([line])
            current = []
            continue
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _is_heading(block: list[str]) -> bool:
    return bool(_ATX.match(block[0])) or (
        len(block) == 2
        and bool(_SETEXT.match(block[1]))
        and block[0].strip() != ""
        and not _LIST.match(block[0])
    )


def split_sections(text: str) -> list[str]:
    """The section texts of a Markdown document, in order (blank lines normalised)."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    sections: list[list[list[str]]] = []
    in_heading = False
    for block in _blocks(lines):
        if _is_heading(block) or (block and _ATX.match(block[0])):
            sections.append([block])
            in_heading = True
        elif in_heading:
            sections[-1].append(block)
        elif sections and (
            block[0].startswith((" ", "\t"))
            or (_LIST.match(block[0]) and _LIST.match(sections[-1][-1][0]))
        ):
            sections[-1].append(block)  # continuation: indented, or the same list
        else:
            sections.append([block])
    return ["\n\n".join("\n".join(b) for b in section) for section in sections]


def assign_ids(previous: list[Section], texts: list[str]) -> list[Section]:
    """Give each new section text an id, carried over from ``previous`` when it matches."""
    ids: list[str | None] = [None] * len(texts)
    free = {i: s for i, s in enumerate(previous)}
    # 1. Unchanged sections (also when moved) keep their id.
    by_text: dict[str, list[int]] = {}
    for i, section in free.items():
        by_text.setdefault(section.text.strip(), []).append(i)
    for j, text in enumerate(texts):
        candidates = by_text.get(text.strip())
        if candidates:
            i = candidates.pop(0)
            ids[j] = free.pop(i).id
    # 2. Edited sections keep the id of the most similar remaining one.
    words = {i: _words(section.text) for i, section in free.items()}
    pairs = []
    for j, text in enumerate(texts):
        if ids[j] is not None:
            continue
        mine = _words(text)
        for i, theirs in words.items():
            ratio = _similarity(mine, theirs)
            # An edit in place is likelier than a match far away: prefer the same rank.
            if ratio >= SIMILARITY:
                pairs.append((ratio, -abs(i - j), j, i))
    for _ratio, _distance, j, i in sorted(pairs, reverse=True):
        if ids[j] is None and i in free:
            ids[j] = free.pop(i).id
    return [
        Section(id=section_id or new_section_id(), text=text)
        for section_id, text in zip(ids, texts, strict=True)
    ]


def sections_of(text: str, previous: list[Section] | None = None) -> list[Section]:
    """Split ``text`` and give its sections ids, following ``previous`` when given."""
    return assign_ids(previous or [], split_sections(text))
