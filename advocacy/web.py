"""Helpers shared by views: pagination, safe redirects, form answers."""

import csv
import io
from urllib.parse import urlsplit

from flask import abort, current_app, flash, request
from flask_babel import gettext as _

from advocacy.extensions import db
from advocacy.parsing import whole_number

MAX_PAGE = 100_000


def query_number(param: str, default: int, *, high: int, message) -> int:
    """A whole number from the query string (1 to ``high``); 400 with ``message``.

    An absent or empty parameter is ``default``.
    """
    raw = request.args.get(param, "")
    if raw == "":
        return default
    number = whole_number(raw, high=high)
    if number is None:
        abort(400, description=str(message))
    return number


def get_page(param: str = "page") -> int:
    """The ``page`` query parameter, a whole number from 1; 400 otherwise."""
    return query_number(
        param,
        1,
        high=MAX_PAGE,
        message=_("The page number must be a whole number from 1."),
    )


def version_param(name: str, default: int) -> int:
    """A version number from the query string (``from``, ``to``); 400 if not one."""
    return query_number(
        name,
        default,
        high=1_000_000,
        message=_("Choose the versions to compare by their number."),
    )


def paginate(stmt, per_page: int | None = None, param: str = "page"):
    """One page of ``stmt``; 404 with a clear message past the last page.

    ``param`` names the page's query parameter, for pages that show several lists.
    """
    page = get_page(param)
    pagination = db.paginate(
        stmt,
        page=page,
        per_page=per_page or current_app.config["PER_PAGE"],
        error_out=False,
        count=True,
    )
    if page > 1 and page > pagination.pages:
        _refuse_past_the_end(page, pagination.pages)
    return pagination


def _refuse_past_the_end(page: int, pages: int):
    abort(
        404,
        description=_(
            "There is no page %(page)d: the list has %(pages)d.", page=page, pages=pages
        ),
    )


def _page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


class Peek:
    """A page of a list read one row past its end: it knows whether a next page
    exists without counting the list, whose length then costs nothing to show."""

    pages = total = None

    def __init__(self, rows: list, page: int, per_page: int, total: int | None = None):
        self.items = rows[:per_page]
        self.page = page
        self.has_prev = page > 1
        self.has_next = len(rows) > per_page
        self.prev_num = page - 1
        self.next_num = page + 1
        if total is not None:  # counted with other figures the page shows
            self.total = total
            self.pages = _page_count(total, per_page)


def peek(stmt, per_page: int, param: str = "page", *, whole_rows=False) -> Peek:
    """One page of ``stmt``, without its count; 404 past the end.

    Its items are the first entity of each row, or ``whole_rows``.
    """
    page = get_page(param)
    result = db.session.execute(
        stmt.limit(per_page + 1).offset((page - 1) * per_page)
    ).unique()
    rows = result.all() if whole_rows else result.scalars().all()
    if page > 1 and not rows:
        abort(404, description=_("There is no page %(page)d.", page=page))
    return Peek(rows, page, per_page)


def counted_page(stmt, total: int, param: str = "page") -> Peek:
    """One page of ``stmt``, whose length ``total`` the caller already knows;
    404 with a clear message past the last page."""
    per_page = current_app.config["PER_PAGE"]
    page = get_page(param)
    pages = _page_count(total, per_page)
    if page > pages:
        _refuse_past_the_end(page, pages)
    rows = db.session.scalars(
        stmt.limit(per_page + 1).offset((page - 1) * per_page)
    ).all()
    return Peek(rows, page, per_page, total)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def flash_invitation_sent(email: str) -> None:
    """Tell staff or a coordinator that the invitation is on its way."""
    flash(_("An invitation was sent to %(email)s.", email=email), "success")


def refuse_on_field(field, exc) -> int:
    """Show a service's refusal next to the field it concerns; returns the status.

    The transaction is rolled back, so nothing is half-written, and the form keeps
    what the person typed.
    """
    db.session.rollback()
    field.errors = [*field.errors, exc.message]
    return exc.status


def contains(column, text: str):
    """``column`` contains ``text`` (case-insensitive; % and _ taken literally)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def _cell(value) -> str:
    """A CSV cell a spreadsheet shows as text: nothing it would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(filename: str, header: list, rows):
    """A CSV download: comma-separated, UTF-8 with its mark (spreadsheets need it to
    read accents), a header row, and no cell a spreadsheet would take for a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(h) for h in header])
    writer.writerows([_cell(v) for v in row] for row in rows)
    response = current_app.response_class(
        "\ufeff" + out.getvalue(), mimetype="text/csv"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def ods_response(filename: str, sheet: str, header: list, rows):
    """The same table as an OpenDocument spreadsheet (odfpy): one sheet, a
    header row, numbers as numbers and every other cell as text (never a
    formula)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name=sheet[:31])
    for values in [header, *rows]:
        row = TableRow()
        for value in values:
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    response = current_app.response_class(
        out.getvalue(), mimetype="application/vnd.oasis.opendocument.spreadsheet"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


#: Views that receive a file, and may carry more than ``MAX_CONTENT_LENGTH``.
UPLOADS = {"positions.annex_add"}


def allow_uploads(app) -> None:
    """Let the upload views read a file up to ``ANNEX_MAX_BYTES``; every other
    request keeps ``MAX_CONTENT_LENGTH``. Registered before CSRFProtect, which
    reads the form first."""

    @app.before_request
    def _upload_limit():
        if request.endpoint in UPLOADS:
            request.max_content_length = app.config["ANNEX_MAX_BYTES"] + 256 * 1024
