"""Values from the outside world (paths, query strings, forms), read in one place.

Only ASCII digits count: ``str.isdigit`` and ``int`` also accept ``²``, ``١`` or
fullwidth digits, and ``int`` raises on some of them. Bounds keep every id within
what the database's integer columns hold, so an id that cannot exist is a 404
(paths) or a 400 (forms and query strings), never a database error.
"""

import re

from werkzeug.routing import BaseConverter, IntegerConverter, ValidationError

#: The largest value of an INTEGER column on PostgreSQL (ids, numbers).
DB_INT_MAX = 2**31 - 1

_DIGITS = re.compile(r"[0-9]{1,10}")


def whole_number(raw, *, low: int = 1, high: int = DB_INT_MAX) -> int | None:
    """``raw`` as an int between ``low`` and ``high`` (ASCII digits only), else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if low <= raw <= high else None
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def coerce_id(value):
    """WTForms ``coerce`` for a select of ids: None for the empty choice.

    Raises ValueError (which WTForms turns into a field error) for anything else
    than an id the database could hold.
    """
    if value is None or value == "":
        return None
    number = whole_number(value)
    if number is None:
        raise ValueError(value)
    return number


class IdConverter(IntegerConverter):
    """``<int:…>`` in routes: ASCII digits, 1 to the database's largest integer.

    Anything else does not match the route, so it answers 404.
    """

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=1, max=DB_INT_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max)

    def to_python(self, value: str) -> int:
        number = whole_number(value, low=self.min, high=self.max)
        if number is None:
            raise ValidationError()
        return number


class SlugConverter(BaseConverter):
    """``<slug:…>``: the lower-case words and dashes that python-slugify makes."""

    regex = r"[a-z0-9][a-z0-9-]{0,199}"


class TokenConverter(BaseConverter):
    """``<token:…>``: the URL-safe tokens of emailed links."""

    regex = r"[A-Za-z0-9_.~-]{1,200}"


CONVERTERS = {"int": IdConverter, "slug": SlugConverter, "token": TokenConverter}
