from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from advocacy.blueprints.board import bp
from advocacy.blueprints.board.forms import (
    BoardDecisionForm,
    PublicationForm,
    RecusalForm,
)
from advocacy.blueprints.common import ask_first, position_or_404
from advocacy.diffing import compare, rendered_diff
from advocacy.extensions import db
from advocacy.forms import choices
from advocacy.i18n import local_to_utc
from advocacy.models import (
    Position,
    PositionState,
    utcnow,
)
from advocacy.permissions import (
    authorize,
    board_required,
    can_decide_on_board,
    publisher_required,
)
from advocacy.queries import board as board_queries
from advocacy.queries import positions as queries
from advocacy.queries import votes as vote_queries
from advocacy.services import ServiceError
from advocacy.services import board as service
from advocacy.services import statements as statements_service
from advocacy.web import paginate, refuse_on_field, safe_next


@bp.get("/")
@board_required
def queue():
    """Positions awaiting the board's decision, oldest submission first."""
    pagination = paginate(queries.board_queue())
    mine = board_queries.my_decisions(current_user, (p.id for p in pagination.items))
    return render_template("board/queue.html", pagination=pagination, mine=mine)


def _render_review(
    position: Position,
    form: BoardDecisionForm | None = None,
    status=200,
    recusal_form: RecusalForm | None = None,
):
    revision = position.current_revision
    consulted = queries.consulted_revision(position)
    decisions = board_queries.decisions(position)
    amendments = board_queries.amendments(position)
    motions = vote_queries.current_motions_listed(position)
    recusals = board_queries.recusals(position)
    deciding = can_decide_on_board(current_user, position)
    conflicts = board_queries.conflicts(current_user, position) if deciding else []
    stepped_aside = any(r.member_id == current_user.id for r in recusals)
    must_step_aside = bool(conflicts) and current_app.config["BOARD_RECUSAL_MANDATORY"]
    if stepped_aside or must_step_aside:
        form = None
    elif form is None and deciding:
        mine = next((d for d in decisions if d.member_id == current_user.id), None)
        form = BoardDecisionForm(
            choice=mine.choice if mine else None,
            motivation=mine.motivation if mine else "",
        )
    return render_template(
        "board/review.html",
        position=position,
        revision=revision,
        consulted=consulted,
        comparison=compare(consulted.body, revision.body) if consulted else None,
        rendered=rendered_diff(consulted.body_html, revision.body_html)
        if consulted
        else None,
        decisions=decisions,
        amendments=amendments,
        motions=motions,
        form=form,
        counts=board_queries.tally(position),
        recusals=recusals,
        conflicts=conflicts,
        recusal_form=(recusal_form or RecusalForm())
        if deciding and not stepped_aside
        else None,
        must_step_aside=must_step_aside,
    ), status


@bp.get("/positions/<int:position_id>")
@board_required
def review(position_id: int):
    """The final text, what changed since the consultation, amendments, votes, decisions."""
    position = position_or_404(position_id)
    if position.board_round == 0:
        abort(404, description=_("This position has not been submitted to the board."))
    return _render_review(position)


@bp.post("/positions/<int:position_id>/decide")
@board_required
def decide(position_id: int):
    """Record my decision, with its motivation."""
    position = position_or_404(position_id)
    authorize(
        can_decide_on_board,
        position,
        conflict=_("This position is not before the board."),
    )
    form = BoardDecisionForm()
    if not form.validate_on_submit():
        return _render_review(position, form, 400)
    try:
        outcome = service.record_board_decision(
            position,
            choice=form.choice.data,
            motivation=form.motivation.data,
            by=current_user,
        )
    except service.ServiceError as exc:
        if exc.status == 409:  # not theirs to decide (now): the page says why
            db.session.rollback()
            abort(409, description=exc.message)
        status = refuse_on_field(form.motivation, exc)
        return _render_review(position_or_404(position_id), form, status)
    db.session.commit()
    messages = {
        PositionState.APPROVED: _(
            "Your decision was recorded: the board approved the text."
        ),
        PositionState.REJECTED: _(
            "Your decision was recorded: the board rejected the text."
        ),
        PositionState.DRAFT: _(
            "Your decision was recorded: the text goes back to the"
            " co-authors for changes."
        ),
    }
    flash(messages.get(outcome, _("Your decision was recorded.")), "success")
    return redirect(
        safe_next(request.form.get("next"))
        or url_for("board.review", position_id=position.id)
    )


@bp.post("/positions/<int:position_id>/recuse")
@board_required
def recuse(position_id: int):
    """Step aside from deciding (a conflict of interest)."""
    position = position_or_404(position_id)
    authorize(
        can_decide_on_board,
        position,
        conflict=_("This position is not before the board."),
    )
    form = RecusalForm()
    if not form.validate_on_submit():
        return _render_review(position, status=400, recusal_form=form)
    try:
        service.recuse(position, reason=form.reason.data or "", by=current_user)
    except service.ServiceError as exc:
        status = refuse_on_field(form.reason, exc)
        return _render_review(
            position_or_404(position_id), status=status, recusal_form=form
        )
    db.session.commit()
    flash(_("You stepped aside: your voice is not counted in this review."), "success")
    return redirect(url_for("board.review", position_id=position.id))


def _publication_page(form, status=200):
    positions = queries.awaiting_publication()
    form.positions.choices = choices([(p.id, p.title) for p in positions])
    return render_template(
        "board/publications.html", form=form, positions=positions
    ), status


@bp.get("/publications")
@publisher_required
def publications():
    """Approved positions awaiting publication, to release now or schedule together."""
    return _publication_page(PublicationForm())[0]


@bp.post("/publications")
@publisher_required
def release():
    """Publish the chosen positions now, or schedule them for one moment."""
    form = PublicationForm()
    positions = {p.id: p for p in queries.awaiting_publication()}
    form.positions.choices = choices([(i, p.title) for i, p in positions.items()])
    if not form.validate():
        return _publication_page(form, 400)
    chosen = [positions[i] for i in form.positions.data]
    if form.when.data == "now":
        if (asked := ask_first("publish", url_for("board.publications"))) is not None:
            return asked
        moment = utcnow()
        for position in chosen:
            statements_service.publish_statement(position, by=current_user, at=moment)
        message = ngettext(
            "%(num)d statement was published.",
            "%(num)d statements were published together.",
            len(chosen),
        )
    else:
        moment = local_to_utc(form.publish_at.data)
        try:
            for position in chosen:
                statements_service.schedule_publication(
                    position, at=moment, by=current_user
                )
        except ServiceError as exc:
            return _publication_page(form, refuse_on_field(form.publish_at, exc))
        message = ngettext(
            "%(num)d statement will be published on %(date)s.",
            "%(num)d statements will be published together on %(date)s.",
            len(chosen),
            date=format_datetime(moment, "d MMMM y, HH:mm"),
        )
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("board.publications"))


@bp.post("/publications/<int:position_id>/cancel")
@publisher_required
def cancel_publication(position_id: int):
    """Take back a scheduled publication; the position stays approved."""
    position = position_or_404(position_id)
    statements_service.cancel_scheduled_publication(position, by=current_user)
    db.session.commit()
    flash(_("The scheduled publication was cancelled."), "success")
    return redirect(url_for("board.publications"))
