"""The record of a position: what a board secretary attaches to the minutes.

The text as it went to consultation, the comments section by section, the
amendments with their decisions and votes, each round's results by ESS family
and département, and the board's decisions; as a page and as a PDF, for members
and the board. Staff also download the ballots, network by network, as CSV.
"""

from flask import abort, current_app, render_template
from flask_babel import gettext as _

from advocacy import pdf
from advocacy.blueprints.common import position_or_404
from advocacy.blueprints.positions import bp
from advocacy.extensions import db
from advocacy.models import (
    BallotChoice,
    Department,
    EssFamily,
    Network,
    Position,
    utcnow,
)
from advocacy.permissions import authorize, can_export_ballots
from advocacy.queries import board as board_queries
from advocacy.queries import discussion
from advocacy.queries import positions as position_queries
from advocacy.queries import votes as vote_queries
from advocacy.sections import Section
from advocacy.web import csv_response, ods_response


def _record(position: Position) -> dict:
    consulted = position_queries.consulted_revision(position)
    revision = consulted or position.current_revision
    top_ids = list(db.session.scalars(discussion.top_comments(position.id)))
    by_section: dict = {}
    for thread in discussion.threads(top_ids):
        by_section.setdefault(thread.section_id, []).append(thread)
    sections = [
        (s["id"], Section(id=s["id"], text=s["text"]).title) for s in revision.sections
    ]
    rounds = []
    for number in vote_queries.vote_rounds(position):
        motions = vote_queries.motions_of_round(position, number)
        closed = [m.id for m in motions if m.closed_at is not None]
        rounds.append(
            {
                "number": number,
                "motions": motions,
                "families": vote_queries.breakdown(closed, Network.family),
                "departments": vote_queries.breakdown(closed, Network.department),
            }
        )
    return {
        "position": position,
        "consulted": consulted,
        "sections": sections,
        "comments": by_section,
        "general": by_section.get(None, []),
        "amendments": board_queries.amendments(position),
        "rounds": rounds,
        "decisions": board_queries.decisions(position),
        "choices": list(BallotChoice),
        "all_families": list(EssFamily),
        "all_departments": list(Department),
    }


@bp.get("/<int:position_id>/record")
def record(position_id: int):
    """The record of the position, on one page."""
    position = position_or_404(position_id)
    return render_template("positions/record.html", **_record(position))


@bp.get("/<int:position_id>/record.pdf")
def record_pdf(position_id: int):
    """The record of the position, as a PDF to attach to the minutes."""
    position = position_or_404(position_id)
    response = current_app.response_class(
        pdf.record_pdf(**_record(position), made_at=utcnow()),
        mimetype="application/pdf",
    )
    response.headers["Content-Disposition"] = (
        f'inline; filename="dossier-position-{position.id}.pdf"'
    )
    return response


def _ballots(position_id: int) -> tuple[Position, list, list]:
    """Every ballot of every closed motion: networks, never the persons who cast
    them; with its header."""
    position = position_or_404(position_id)
    authorize(
        can_export_ballots,
        position,
        conflict=_("The ballots are exported once the vote has closed."),
    )
    rounds = vote_queries.vote_rounds(position)
    if not rounds:
        abort(404, description=_("This position has not been put to the vote."))
    rows = []
    for number in rounds:
        for motion in vote_queries.motions_of_round(position, number):
            if motion.closed_at is None:
                continue
            what = (
                _("Amendment %(number)d", number=motion.amendment.number)
                if motion.amendment
                else _("Adopt the text, as amended")
            )
            for ballot in db.session.scalars(vote_queries.ballots_on(motion)):
                network = ballot.network
                rows.append(
                    [
                        number,
                        what,
                        network.name,
                        network.family.label,
                        network.department.label,
                        ballot.choice.label,
                        ballot.cast_at.isoformat(timespec="seconds"),
                    ]
                )
    header = [
        _("Round"),
        _("Motion"),
        _("Network"),
        _("ESS family"),
        _("Département"),
        _("Ballot"),
        _("Cast at (UTC)"),
    ]
    return position, header, rows


@bp.get("/<int:position_id>/vote/ballots.csv")
def ballots_csv(position_id: int):
    """The ballots, network by network, as CSV."""
    position, header, rows = _ballots(position_id)
    return csv_response(f"bulletins-position-{position.id}.csv", header, rows)


@bp.get("/<int:position_id>/vote/ballots.ods")
def ballots_ods(position_id: int):
    """The ballots, network by network, as an OpenDocument spreadsheet."""
    position, header, rows = _ballots(position_id)
    return ods_response(
        f"bulletins-position-{position.id}.ods", _("Ballots"), header, rows
    )
