"""Benchmark: comparing and saving 200,000-character positions.

Run with ``make bench-diff``. Prints a table and writes it to docs/benchmarks-diff.md.
"""

import random
import statistics
import time
from pathlib import Path

from advocacy import create_app
from advocacy.diffing import compare, rendered_diff
from advocacy.markup import render_markdown, render_sections
from advocacy.sections import sections_of

RUNS = 7
SIZE = 200_000


def _text(rng: random.Random, words: list[str], size: int) -> str:
    paragraphs, length = [], 0
    while length < size:
        if rng.random() < 0.08:
            paragraph = "# " + " ".join(rng.choices(words, k=5))
        else:
            paragraph = " ".join(rng.choices(words, k=rng.randint(30, 90))) + "."
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:size]


def _cases() -> list[tuple[str, str, str]]:
    rng = random.Random(2026)
    words = [
        "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyzéè")
            for _ in range(rng.randint(2, 10))
        )
        for _ in range(6000)
    ]
    base = _text(rng, words, SIZE)
    paragraphs = base.split("\n\n")
    edited = list(paragraphs)
    for i in range(0, len(edited), 20):  # one paragraph in twenty edited
        edited[i] = edited[i].replace(" ", " nouvelle précision ", 1)
    rewritten = list(paragraphs)
    for i in range(len(rewritten) // 3, len(rewritten) // 2):  # a sixth rewritten
        rewritten[i] = " ".join(rng.choices(words, k=50)) + "."
    return [
        ("edits in 5% of paragraphs", base, "\n\n".join(edited)),
        ("a sixth of the text rewritten", base, "\n\n".join(rewritten)),
        ("two unrelated texts", base, _text(rng, words, SIZE)),
    ]


def _time(fn) -> list[float]:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - start)
    return timings


def main() -> None:
    app = create_app({"TESTING": True})
    rows = []
    with app.test_request_context():
        for name, old, new in _cases():
            timings = _time(lambda o=old, n=new: compare(o, n))
            rows.append((f"diff: {name}", len(old), len(new), timings))
        for name, old, new in _cases():
            # pages compare the stored renderings: rendering is not part of it
            old_html, new_html = render_markdown(old), render_markdown(new)
            timings = _time(lambda o=old_html, n=new_html: rendered_diff(o, n))
            rows.append((f"as it reads: {name}", len(old), len(new), timings))
        old, new = _cases()[0][1:]
        previous = sections_of(old)

        def save():
            sections = sections_of(new, previous)
            render_sections([(s.id, s.text) for s in sections])

        rows.append(
            ("save: sections + render (edits in 5%)", len(old), len(new), _time(save))
        )
    lines = [
        "| case | old chars | new chars | median (s) | worst (s) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, a, b, timings in rows:
        lines.append(
            f"| {name} | {a:,} | {b:,} | {statistics.median(timings):.3f} |"
            f" {max(timings):.3f} |"
        )
    table = "\n".join(lines)
    print(table)
    out = Path(__file__).resolve().parent.parent / "docs" / "benchmarks-diff.md"
    out.write_text(
        "# Benchmark: comparing and saving long positions\n\n"
        f"`make bench-diff`, {RUNS} runs each, on the machine that ran it."
        ' "diff" compares the Markdown sources (the source toggle, merges);'
        ' "as it reads" compares the stored renderings, as readers see the'
        " change.\n\n" + table + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
