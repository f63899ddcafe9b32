"""Staff pages: moderation of comments."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from advocacy.blueprints.admin import bp
from advocacy.blueprints.admin.forms import (
    ModerationForm,
)
from advocacy.extensions import db
from advocacy.forms import choices
from advocacy.models import (
    Comment,
    CommentReport,
)
from advocacy.parsing import whole_number
from advocacy.services import consultation
from advocacy.web import paginate


def _moderation_queue():
    reported = (
        sa.select(Comment)
        .where(
            Comment.id.in_(
                sa.select(CommentReport.comment_id).where(
                    CommentReport.resolved_at.is_(None)
                )
            )
            | Comment.hidden_at.is_not(None)
        )
        .options(selectinload(Comment.author), selectinload(Comment.network))
        .order_by(Comment.hidden_at.is_not(None), Comment.id.desc())
    )
    return paginate(reported)


@bp.route("/moderation/", methods=["GET", "POST"])
def moderation():
    """Reported and hidden comments; hide or restore several at once, with a reason."""
    form = ModerationForm()
    pagination = _moderation_queue()
    form.comments.choices = choices((c.id, str(c.id)) for c in pagination.items)
    status = 200
    if request.method == "POST":
        ids = [whole_number(v) for v in request.form.getlist("comments")]
        ids = [i for i in ids if i is not None]
        form.comments.choices = choices((i, str(i)) for i in ids)
        if form.validate_on_submit():
            comments = db.session.scalars(
                sa.select(Comment).where(Comment.id.in_(ids))
            ).all()
            if len(comments) != len(set(ids)):
                abort(404)
            changed = consultation.moderate_comments(
                comments,
                hide=form.action.data == "hide",
                reason=form.reason.data,
                by=current_user,
            )
            db.session.commit()
            flash(
                ngettext(
                    "%(num)d comment was moderated.",
                    "%(num)d comments were moderated.",
                    changed,
                ),
                "success",
            )
            return redirect(url_for("admin.moderation"))
        status = 400
    comment_ids = [c.id for c in pagination.items]
    reports = {}
    if comment_ids:
        for report in db.session.scalars(
            sa.select(CommentReport).where(
                CommentReport.comment_id.in_(comment_ids),
                CommentReport.resolved_at.is_(None),
            )
        ):
            reports.setdefault(report.comment_id, []).append(report)
    return render_template(
        "admin/moderation.html", form=form, pagination=pagination, reports=reports
    ), status
