"""Full-text search over published statements, on SQLite or PostgreSQL.

One interface, two engines (the index itself is described in
:mod:`advocacy.models.search`):

- Both fold what they index and what is asked: lower case, accents removed, so
  that "economie" finds "économie".
- PostgreSQL stems with its ``french`` configuration and parses the question
  with ``websearch_to_tsquery``; ranking is ``ts_rank``.
- SQLite's FTS5 has no French stemmer: the terms are stemmed here with the
  Snowball French stemmer (the algorithm PostgreSQL uses too) and the question
  is turned into an FTS5 expression, every word quoted; ranking is ``bm25``,
  the title weighing ten times the text.

The question follows the same small syntax on both: words (all required),
"quoted phrases", and ``-word`` to exclude. Extracts are cut and highlighted
here, from the text as published, for both engines.
"""

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

import sqlalchemy as sa
from markupsafe import Markup
from snowballstemmer import stemmer

from advocacy.extensions import db
from advocacy.markup import plain_text
from advocacy.models.search import SearchDocument

#: The longest question accepted.
MAX_QUERY_LENGTH = 200
WORD = re.compile(r"\w+")
_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
#: Words too common to search for (PostgreSQL's French configuration drops them too).
STOP_WORDS = frozenset(
    "a au aux avec ce ces d dans de des du elle en et il ils je l la le les leur"
    " lui ma mais me meme mes moi mon n ne nos notre nous on ou par pas pour qu"
    " que qui s sa se ses son sur t ta te tes toi ton tu un une vos votre vous".split()
)
_french = stemmer("french")


def fold(text: str) -> str:
    """Lower case, accents and ligatures removed: "Économie" → "economie"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(
        "œ", "oe"
    )


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The French stem of a folded word."""
    return _french.stemWord(word)


@lru_cache(maxsize=100_000)
def word_key(word: str) -> str:
    """What a word of a text is compared by, for highlighting: its folded stem."""
    return stem(fold(word))


def _words(text: str) -> list[str]:
    return [w for w in WORD.findall(fold(text)) if w not in STOP_WORDS]


def terms(text: str, dialect: str) -> str:
    """What the database indexes of ``text``: folded, and stemmed for SQLite."""
    if dialect == "postgresql":
        return fold(text)
    return " ".join(stem(w) for w in _words(text))


@dataclass
class Query:
    """A question, parsed: what must be found, and what must not."""

    text: str
    required: list[list[str]] = field(default_factory=list)  # words and phrases
    excluded: list[list[str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Nothing to look for: no word at all, only punctuation or quotes."""
        return not self.required and not self.excluded

    @property
    def stems(self) -> set[str]:
        """The stems to highlight in extracts."""
        return {stem(w) for phrase in self.required for w in phrase}

    @staticmethod
    def _fts5_phrase(phrase: list[str]) -> str:
        return '"' + " ".join(stem(w) for w in phrase) + '"'

    def fts5(self) -> str:
        """What must be found, as an FTS5 expression; every term quoted, so no syntax leaks."""
        expression = " AND ".join(self._fts5_phrase(p) for p in self.required)
        for phrase in self.excluded:
            expression += " NOT " + self._fts5_phrase(phrase)
        return expression

    def fts5_excluded(self) -> str:
        """Any of the excluded terms, for a question that only excludes."""
        return " OR ".join(self._fts5_phrase(p) for p in self.excluded)

    def websearch(self) -> str:
        """The question in ``websearch_to_tsquery`` syntax, folded."""

        def phrase(words):
            return '"' + " ".join(words) + '"' if len(words) > 1 else words[0]

        return " ".join(
            [phrase(p) for p in self.required]
            + ["-" + phrase(p) for p in self.excluded]
        )


def parse(text: str) -> Query:
    """Read words, "quoted phrases" and -exclusions; punctuation alone is no word.

    Very common words are dropped, unless a part has nothing else (then it is
    kept, and finds nothing, as in PostgreSQL).
    """
    query = Query(text=text)
    for match in _PART.finditer(text[:MAX_QUERY_LENGTH]):
        minus, phrase = match.group(1, 2) if match[2] is not None else match.group(3, 4)
        every = WORD.findall(fold(phrase))
        if every:
            words = [w for w in every if w not in STOP_WORDS] or every
            (query.excluded if minus else query.required).append(words)
    return query


def index_statement(statement_id: int, title: str, summary: str, body_html: str):
    """Put a statement's current version in the index, in the caller's transaction."""
    text = " ".join(filter(None, [summary, plain_text(body_html)]))
    dialect = db.session.get_bind().dialect.name
    document = db.session.get(SearchDocument, statement_id)
    if document is None:
        document = SearchDocument(statement_id=statement_id)
        db.session.add(document)
    document.title, document.text = title, text
    document.terms_title = terms(title, dialect)
    document.terms_text = terms(text, dialect)
    db.session.flush()


#: How many matching documents PostgreSQL ranks at most: a question found in every
#: statement ranks the first of them the index gives, not the whole archive (the
#: page then says there are more, and asks for a closer question).
RANKED = 250


def ranks_at_most() -> bool:
    """Whether this engine ranks a bounded set of the matches (``RANKED``)."""
    return db.session.get_bind().dialect.name == "postgresql"


def matching(query: Query):
    """A subquery of the ids of the statements that match (not ranked)."""
    if db.session.get_bind().dialect.name == "postgresql":
        select = sa.text(
            "SELECT statement_id FROM search_documents"
            " WHERE tsv @@ websearch_to_tsquery('french', :q)"
        ).bindparams(q=query.websearch())
        return select.columns(statement_id=sa.Integer).subquery("matching")
    return sa.select(matches(query).c.statement_id).subquery("matching")


def matches(query: Query):
    """A subquery of ``(statement_id, score)``: the statements that match, higher better.

    On PostgreSQL the GIN index finds the candidates, and at most ``RANKED`` of
    them are ranked."""
    columns = {"statement_id": sa.Integer, "score": sa.Float}
    if db.session.get_bind().dialect.name == "postgresql":
        select = sa.text(
            "SELECT statement_id, ts_rank(tsv, websearch_to_tsquery('french', :q))"
            " AS score FROM (SELECT statement_id, tsv FROM search_documents"
            " WHERE tsv @@ websearch_to_tsquery('french', :q) LIMIT :ranked) AS found"
        ).bindparams(q=query.websearch(), ranked=RANKED)
    elif query.required:
        select = sa.text(
            "SELECT rowid AS statement_id, -bm25(search_index, 10.0, 1.0) AS score"
            " FROM search_index WHERE search_index MATCH :q"
        ).bindparams(q=query.fts5())
    else:  # FTS5 cannot negate alone: every document but those that match
        select = sa.text(
            "SELECT statement_id, 0.0 AS score FROM search_documents"
            " WHERE statement_id NOT IN"
            " (SELECT rowid FROM search_index WHERE search_index MATCH :q)"
        ).bindparams(q=query.fts5_excluded())
    return select.columns(**columns).subquery("hits")


#: How many first letters of a stem a word is sure to share, folded, with ``y``
#: read as ``i`` (the French stemmer changes endings, and ``y`` between vowels).
STEM_HEAD = 3


@lru_cache(maxsize=1024)
def _candidates(stems: frozenset[str]) -> re.Pattern:
    """The words of a text that may have one of ``stems``: those that begin as a
    stem begins, case, accents and ligatures aside. Only they are stemmed to be
    sure: a long statement is not stemmed word by word at each search."""
    heads = sorted({_loose(s[:STEM_HEAD]) for s in stems})
    words = r"(?<!\w)(?:" + "|".join(heads) + r")\w*"
    return re.compile(words, re.IGNORECASE)


@lru_cache(maxsize=1)
def _letters() -> dict[str, frozenset[str]]:
    """The Latin letters by what they fold to: "e" → e, é, è, ê, ë…; "oe" → œ."""
    table: dict[str, set[str]] = {}
    for code in range(0x250):
        letter = chr(code)
        if letter.isalpha():
            table.setdefault(fold(letter), set()).add(letter)
    table["i"] = table["y"] = table["i"] | table["y"]
    return {folded: frozenset(letters) for folded, letters in table.items()}


def _loose(folded: str) -> str:
    """A pattern of what folds to ``folded`` (with ``y`` and ``i`` alike)."""
    if not folded:
        return ""
    options = []
    for size in (1, 2):  # a letter, or a ligature folding to two ("œ")
        head = folded[:size]
        letters = set(_letters().get(head, ()))
        if size == 1:
            letters.add(head)
        if len(head) == size and letters:
            chars = "".join(re.escape(c) for c in sorted(letters))
            options.append(f"[{chars}]{_loose(folded[size:])}")
    return "(?:" + "|".join(options) + ")"


def highlight(text: str, query: Query, length: int = 260) -> Markup:
    """The passage of ``text`` where the question's words are densest, marked.

    At most ``length`` characters, cut at word boundaries; the text is escaped,
    the matching words wrapped in ``<mark>``.
    """
    wanted = query.stems
    spans = []
    if wanted:
        words = _candidates(frozenset(wanted)).finditer(text)
        spans = [m.span() for m in words if word_key(m.group()) in wanted]
    starts = [s for s, _e in spans]
    start = 0
    if spans:
        # the first match that starts the window holding the most matches
        held = [bisect_left(starts, s + length) - i for i, s in enumerate(starts)]
        start = max(0, starts[held.index(max(held))] - length // 4)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 else 0
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    parts = ["… " if start else ""]
    position = start
    for s, e in spans[bisect_left(starts, start) :]:
        if e > end:
            break
        parts += [text[position:s], Markup("<mark>%s</mark>") % text[s:e]]
        position = e
    parts.append(text[position:end])
    if end < len(text):
        parts.append(" …")
    return Markup("").join(parts)  # escapes the text between the marks
