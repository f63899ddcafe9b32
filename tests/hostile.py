"""The hostile walk: every route of the URL map, every parameter it reads, bad values.

Nothing here names a route. The routes come from ``app.url_map``; the query and form
parameters a view reads are recorded while it runs (``RecordingDict``); the forms a
page offers are read from its HTML and used as the valid baseline that each hostile
value replaces, one field at a time. A route added tomorrow is walked tomorrow.
"""

import html
import itertools
import random
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, urlsplit

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

#: Names of query and form parameters the current request has asked for.
READ_NAMES: set[str] = set()


class RecordingDict(ImmutableMultiDict):
    """Request arguments and form data that remember which names a view asks for."""

    def __contains__(self, key):
        READ_NAMES.add(key)
        return super().__contains__(key)

    def __getitem__(self, key):
        READ_NAMES.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002
        READ_NAMES.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        READ_NAMES.add(key)
        return super().getlist(key, type)


class RecordingRequest(Request):
    parameter_storage_class = RecordingDict


#: Values an attacker, a broken client or a clumsy hand sends. Bytes are sent as they
#: are (invalid UTF-8); everything else is UTF-8.
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "²",
    "¹",
    "１２",  # fullwidth digits
    "٣",  # Arabic-Indic digit
    "2147483648",
    "99999999999999999999999",
    "1.5",
    "1e3",
    "abc",
    "\x00",
    "a\x00b",
    b"\xff\xfe",
    b"caf\xe9",
    "x" * 300,
    "é" * 5000,
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-02-30T10:00",
    "true",
    "null",
    "[]",
    "{}",
    "\u202egnp.exe",
]
HOSTILE_PATH = ["0", "2147483648", "99999999999999999999999", "²", "１２", "-1"]
HOSTILE_TEXT_PATH = ["%00", "%FF", "..", "x" * 400, "%C3%A9t%C3%A9", "A%20B"]


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)


class FormParser(HTMLParser):
    """The forms of a page, each with the values a person who submits it sends."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self._radios: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(a.get("action") or "", (a.get("method") or "get").lower())
            self._radios = {}
            return
        form = self._form
        if form is None or a.get("name") is None or "disabled" in a:
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox",) and "checked" not in a:
                return
            if kind == "radio":
                if "checked" in a:
                    form.fields = [f for f in form.fields if f[0] != name]
                    form.fields.append((name, a.get("value", "on")))
                    self._radios[name] = "checked"
                elif name not in self._radios:
                    self._radios[name] = "first"
                    form.fields.append((name, a.get("value", "on")))
                return
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            form.fields.append((name, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = name, []
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "button" and a.get("value") is not None:
            form.fields.append((name, a["value"]))

    def _option(self, a):
        value = a.get("value", "")
        if self._select_first is None:
            self._select_first = value
        if "selected" in a and not self._select_chosen:
            self._select_chosen = True
            self._form.fields.append((self._select, value))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self._form.fields.append((self._select, self._select_first))
            self._select = None


def forms_of(page: str) -> list[Form]:
    parser = FormParser()
    parser.feed(page)
    return parser.forms


def encode(fields: list[tuple[str, str | bytes]]) -> bytes:
    """An application/x-www-form-urlencoded body; bytes values are sent as they are."""
    parts = []
    for name, value in fields:
        raw = value if isinstance(value, bytes) else value.encode("utf-8")
        parts.append(quote_from_bytes(name.encode()) + "=" + quote_from_bytes(raw))
    return "&".join(parts).encode("ascii")


def path_of(url: str) -> str:
    return urlsplit(html.unescape(url)).path


def sample(values, key: str, k: int) -> list:
    """``k`` values chosen for ``key``: the same every run, different per key."""
    rng = random.Random(key)  # noqa: S311 (a deterministic sample, not a secret)
    return rng.sample(values, min(k, len(values)))


PLACEHOLDER = re.compile(r"<(?:[^:<>]+:)?([a-zA-Z_][a-zA-Z0-9_]*)>")


def fill(rule, values: dict) -> str:
    """The rule's path with ``values`` put in as they are (no conversion, no check)."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), rule.rule)


def share(values, key: str, part: int, parts: int) -> list:
    """This part's share of ``values``: the parts together send every value once."""
    shuffled = sample(values, key, len(values))
    size = -(-len(values) // parts)
    return shuffled[part * size : (part + 1) * size]


def is_id_param(rule, name: str) -> bool:
    return isinstance(rule._converters.get(name), IntegerConverter)


def path_combinations(rule, ids: dict[str, list[int]], slugs, limit: int = 12):
    """Path values that exist in the world (own and other networks' objects)."""
    pools = []
    for name in rule.arguments:
        if name in (rule.defaults or {}):
            continue
        if is_id_param(rule, name):
            pools.append([(name, v) for v in ids.get(name, [1])])
        else:
            pools.append([(name, v) for v in slugs.get(name, ["x"])])
    combos = [dict(c) for c in itertools.product(*pools)]
    return sample(combos, rule.rule, limit) if len(combos) > limit else combos


#: English texts that must never reach a French reader of an error page.
ENGLISH = re.compile(
    r"\b(Not Found|Bad Request|Forbidden|Method Not Allowed|Internal Server Error"
    r"|Not a valid|This field is required|Invalid Choice|is not a valid choice"
    r"|The requested URL|Page not found|The request could not be understood"
    r"|You may not do this|Check what you entered)\b"
)
