"""The demo's French texts, one Markdown file each, as a representative would write them."""

from importlib.resources import files


def read(name: str) -> str:
    """The text ``name`` (``"jeunesse"``, ``"declarations/01-…"``), without its last newline."""
    return (files(__name__) / f"{name}.md").read_text(encoding="utf-8").rstrip("\n")
