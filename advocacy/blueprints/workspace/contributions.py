"""Members' pages: the contributions other installations (the regions) sent for
the national debate, read-only, each version as it was sent."""

from flask import abort, render_template, request
from flask_babel import gettext as _

from advocacy.blueprints.common import label_of
from advocacy.blueprints.workspace import bp
from advocacy.models import Department, EssFamily
from advocacy.parsing import whole_number
from advocacy.permissions import member_required
from advocacy.queries import federation as federation_queries
from advocacy.web import peek


@bp.get("/contributions/")
@member_required
def contributions():
    """The regions' contributions received, the latest first."""
    page = peek(federation_queries.contributions(), per_page=25, whole_rows=True)
    return render_template("workspace/contributions.html", page=page)


@bp.get("/contributions/<int:contribution_id>")
@member_required
def contribution(contribution_id: int):
    """One contribution, in its latest version or the one asked for."""
    found = federation_queries.contribution(contribution_id)
    if found is None:
        abort(404)
    contribution, peer = found
    versions = federation_queries.contribution_versions(contribution.id)
    asked = request.args.get("version")
    number = contribution.number if asked is None else whole_number(asked)
    if number is None:
        abort(400, description=_("The version must be a whole number, from 1."))
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        abort(
            404,
            description=_(
                "This contribution has no version %(number)d.", number=number
            ),
        )
    return render_template(
        "workspace/contribution.html",
        contribution=contribution,
        peer=peer,
        versions=versions,
        version=version,
        family_label=lambda value: label_of(EssFamily, value),
        department_label=lambda value: label_of(Department, value),
    )
