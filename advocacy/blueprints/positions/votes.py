"""The vote: opening it, ballots, results by round, closing it."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy import fragments
from advocacy.blueprints.common import position_or_404
from advocacy.blueprints.positions import bp
from advocacy.blueprints.positions.forms import (
    BallotForm,
    OpenVoteForm,
)
from advocacy.blueprints.positions.page import (
    run_dated_action,
)
from advocacy.errors import render_error
from advocacy.extensions import db
from advocacy.forms import choices
from advocacy.models import (
    BallotChoice,
    Department,
    EssFamily,
    Motion,
    Network,
    PositionState,
)
from advocacy.parsing import DB_INT_MAX, whole_number
from advocacy.permissions import (
    authorize,
    can_open_vote,
    voting_networks,
)
from advocacy.queries import indicators
from advocacy.queries import votes as queries
from advocacy.services import votes as service
from advocacy.web import paginate, query_number

VOTED_STATES = (
    PositionState.CONSOLIDATION,
    PositionState.BOARD_REVIEW,
    PositionState.APPROVED,
    PositionState.PUBLISHED,
    PositionState.REJECTED,
)


def _back(position):
    return redirect(url_for("positions.vote", position_id=position.id))


@bp.post("/<int:position_id>/vote/open")
def vote_open(position_id: int):
    """Open the vote on the retained amendments and on the text."""
    position = position_or_404(position_id)
    authorize(
        can_open_vote,
        position,
        conflict=_("The vote opens once the consultation has closed."),
    )
    form = OpenVoteForm()
    refused = run_dated_action(
        position,
        form,
        "vote_form",
        lambda closes_at: service.open_vote(
            position,
            closes_at=closes_at,
            by=current_user,
            short_reason=form.short_reason.data or "",
        ),
        _("The vote is open: each network may now cast its ballots."),
    )
    return refused or _back(position)


@bp.get("/<int:position_id>/vote")
def vote(position_id: int):
    """The ballots: participation while open; results, by family and département, after."""
    position = position_or_404(position_id)
    rounds = queries.vote_rounds(position)
    if not rounds:
        abort(404, description=_("This position has not been put to the vote."))
    round_ = query_number(
        "round",
        rounds[-1],
        high=DB_INT_MAX,
        message=_("Choose a round of the vote by its number."),
    )
    if round_ not in rounds:
        abort(404, description=_("This position had no such round of voting."))
    motions = queries.motions_of_round(position, round_)
    ids = [m.id for m in motions]
    networks = voting_networks(current_user, position)
    mine = queries.ballots_of(ids, (n.id for n in networks))
    closed = all(m.closed_at is not None for m in motions)
    context = {
        "position": position,
        "rounds": rounds,
        "round": round_,
        "motions": motions,
        "networks": networks,
        "mine": mine,
        "closed": closed,
        "participation": queries.participation(ids),
        "choices": list(BallotChoice),
    }
    if closed:
        # the same for every reader until something is written: remembered
        generation = indicators.generation()

        def breakdown(name: str, column):
            return fragments.remembered(
                fragments.key("vote-breakdown", name, generation, *ids),
                lambda: queries.breakdown(ids, column),
            )

        context.update(
            families=breakdown("family", Network.family),
            departments=breakdown("department", Network.department),
            all_families=list(EssFamily),
            all_departments=list(Department),
        )
    return render_template("positions/vote.html", **context)


@bp.post("/<int:position_id>/vote/ballot")
def ballot(position_id: int):
    """Cast or change a network's ballot on one motion."""
    position = position_or_404(position_id)
    networks = voting_networks(current_user, position)
    if not networks:
        if not position.vote_is_open():
            return render_error(
                409, _("The vote is closed: ballots are no longer accepted.")
            )
        abort(403)
    form = BallotForm()
    form.network.choices = choices((n.id, n.name) for n in networks)
    if not form.validate_on_submit():
        errors = form.errors
        message = next(iter(errors.values()))[0] if errors else None
        return render_error(400, str(message) if message else None)
    motion_id = whole_number(form.motion.data)
    motion = db.session.get(Motion, motion_id) if motion_id else None
    if motion is None or motion.position_id != position.id:
        return render_error(400, _("This motion does not belong to this vote."))
    network = next(n for n in networks if n.id == form.network.data)
    service.cast_ballot(
        motion, position, network=network, choice=form.choice.data, by=current_user
    )
    db.session.commit()
    flash(
        _(
            "Ballot recorded for %(network)s: %(choice)s.",
            network=network.name,
            choice=form.choice.data.label,
        ),
        "success",
    )
    return redirect(
        url_for("positions.vote", position_id=position.id) + f"#motion-{motion.id}"
    )


@bp.get("/<int:position_id>/vote/ballots")
def ballots(position_id: int):
    """Which network voted what, motion by motion (members only; the public sees totals)."""
    position = position_or_404(position_id)
    motion_id = whole_number(request.args.get("motion"))
    motion = db.session.get(Motion, motion_id) if motion_id else None
    if motion is None or motion.position_id != position.id:
        if position.state not in VOTED_STATES:  # as before a motion was asked for
            abort(409, description=_("Ballots are shown once the vote has closed."))
        abort(404, description=_("This motion does not belong to this vote."))
    if motion.closed_at is None:
        abort(409, description=_("Ballots are shown once the vote has closed."))
    stmt = queries.ballots_on(motion)
    return render_template(
        "positions/ballots.html",
        position=position,
        motion=motion,
        pagination=paginate(stmt),
    )
