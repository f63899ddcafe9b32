"""Read-only JSON: statements (filtered, paginated), one statement, its versions, networks."""

from flask import abort, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from advocacy.blueprints.api import bp, serializers
from advocacy.blueprints.api.openapi import openapi_document
from advocacy.blueprints.common import (
    release_due_publications,
    statement_filter_form,
    statement_or_404,
)
from advocacy.errors import json_error
from advocacy.forms import PublicNetworkFilterForm
from advocacy.models import (
    Statement,
    StatementVersion,
)
from advocacy.queries import networks as network_queries
from advocacy.queries import statements as queries
from advocacy.web import paginate, query_number

#: Page sizes the lists accept.
DEFAULT_PER_PAGE, MAX_PER_PAGE = 20, 100


bp.before_request(release_due_publications)


@bp.before_request
def refuse_blank_numbers():
    """``page=`` or ``per_page=`` given empty is not a number: the API says so.

    (The HTML pages read an empty number as its default, as forms send it.)
    """
    for name in ("page", "per_page"):
        if request.args.get(name, None) == "":
            abort(400, description=_("%(name)s must be a whole number.", name=name))


@bp.after_app_request
def allow_cross_origin(response):
    """Anyone may read the open data from a page of their own (GET only, no cookies).

    On every answer under the API's prefix, errors and unknown addresses included,
    so that a script in a browser can read why it was refused.
    """
    if not request.path.startswith(bp.url_prefix + "/"):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Link"
    return response


def _per_page() -> int:
    return query_number(
        "per_page",
        DEFAULT_PER_PAGE,
        high=MAX_PER_PAGE,
        message=_(
            "per_page must be a whole number from 1 to %(max)d.", max=MAX_PER_PAGE
        ),
    )


def _invalid(form):
    fields = {
        name: [str(m) for m in messages] for name, messages in form.errors.items()
    }
    first = next(iter(fields.values()))[0]
    return json_error(400, first, fields=fields)


def _page(pagination, endpoint: str, items: list) -> dict:
    """A page of a list, with its position and the links to the others."""
    args = {k: v for k, v in request.args.items() if k != "page"}

    def link(page):
        return url_for(endpoint, **args, page=page, _external=True)

    last = max(pagination.pages, 1)
    return {
        "data": items,
        "meta": {
            "page": pagination.page,
            "per_page": pagination.per_page,
            "total": pagination.total,
            "pages": pagination.pages,
        },
        "links": {
            "self": link(pagination.page),
            "first": link(1),
            "last": link(last),
            "prev": link(pagination.prev_num) if pagination.has_prev else None,
            "next": link(pagination.next_num) if pagination.has_next else None,
        },
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())


@bp.get("/statements")
def statements():
    """Published statements, newest first, with the public list's filters."""
    form = statement_filter_form()
    if not form.validate():
        return _invalid(form)
    per_page = _per_page()
    pagination = paginate(
        queries.filtered_statements(form).options(
            joinedload(Statement.lead_network),
            # a list item needs none of the text, sections or "how it was built"
            joinedload(Statement.current_version).load_only(
                StatementVersion.number,
                StatementVersion.published_at,
                StatementVersion.themes,
                StatementVersion.arenas,
            ),
        ),
        per_page=per_page,
    )
    counts = queries.signature_counts(s.id for s in pagination.items)
    return jsonify(
        _page(
            pagination,
            "api.statements",
            [
                serializers.statement_item(s, counts.get(s.id, 0))
                for s in pagination.items
            ],
        )
    )


@bp.get("/statements/<slug:slug>")
def statement(slug: str):
    """A statement: current version, versions, signatories and follow-ups."""
    statement = statement_or_404(slug)
    versions = queries.versions_of(statement)
    signatures = queries.signatures_of(statement)
    follow_ups = queries.follow_ups_of(statement)
    return jsonify(
        serializers.statement_detail(statement, versions, signatures, follow_ups)
    )


@bp.get("/statements/<slug:slug>/versions/<int:number>")
def statement_version(slug: str, number: int):
    """One published version, as it was published."""
    statement = statement_or_404(slug)
    version = queries.version(statement, number)
    if version is None:
        abort(
            404,
            description=_("This statement has no version %(number)d.", number=number),
        )
    return jsonify(serializers.version_detail(statement, version))


@bp.get("/networks")
def networks():
    """The active member networks, by name, filtered by family, département and kind."""
    form = PublicNetworkFilterForm(request.args)
    if not form.validate():
        return _invalid(form)
    per_page = _per_page()
    pagination = paginate(network_queries.filtered(form), per_page=per_page)
    return jsonify(
        _page(
            pagination,
            "api.networks",
            [serializers.network_item(n) for n in pagination.items],
        )
    )


@bp.get("/networks/<slug:slug>")
def network(slug: str):
    """A network, with the statements it co-wrote and those it co-signed."""
    network = queries.network_by_slug(slug, active_only=True)
    if network is None:
        abort(404, description=_("There is no network at this address."))
    written = queries.slugs(queries.written_by(network))
    signed = queries.slugs(queries.signed_by(network))
    return jsonify(
        {
            **serializers.network_item(network),
            "description": network.description,
            "statements_written": written,
            "statements_signed": signed,
        }
    )
