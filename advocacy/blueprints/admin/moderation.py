"""Staff pages: moderation of comments."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from advocacy.blueprints.admin import bp
from advocacy.blueprints.admin.forms import (
    ModerationForm,
)
from advocacy.extensions import db
from advocacy.forms import choices
from advocacy.parsing import whole_number
from advocacy.queries import discussion
from advocacy.services import consultation
from advocacy.web import paginate


@bp.route("/moderation/", methods=["GET", "POST"])
def moderation():
    """Reported and hidden comments; hide or restore several at once, with a reason."""
    form = ModerationForm()
    pagination = paginate(discussion.moderation_queue())
    form.comments.choices = choices((c.id, str(c.id)) for c in pagination.items)
    status = 200
    if request.method == "POST":
        ids = [whole_number(v) for v in request.form.getlist("comments")]
        ids = [i for i in ids if i is not None]
        form.comments.choices = choices((i, str(i)) for i in ids)
        if form.validate_on_submit():
            comments = discussion.comments_by_ids(ids)
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
    reports = discussion.open_reports(c.id for c in pagination.items)
    return render_template(
        "admin/moderation.html", form=form, pagination=pagination, reports=reports
    ), status
