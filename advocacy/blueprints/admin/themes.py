"""Staff pages: the themes of the advocacy."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy.blueprints.admin import bp
from advocacy.blueprints.admin.forms import (
    ThemeForm,
)
from advocacy.blueprints.admin.views import form_page, get_or_404
from advocacy.extensions import db
from advocacy.models import (
    Theme,
)
from advocacy.queries import networks as network_queries
from advocacy.services import networks


@bp.get("/themes/")
def themes_list():
    """The themes of advocacy."""
    themes = network_queries.all_themes()
    return render_template("admin/themes.html", themes=themes)


@bp.route("/themes/new", methods=["GET", "POST"])
def theme_create():
    """Add a theme."""
    form = ThemeForm()
    if form.validate_on_submit():
        theme = networks.create_theme(form.data, by=current_user)
        db.session.commit()
        flash(_("The theme %(name)s was created.", name=theme.name), "success")
        return redirect(url_for("admin.themes_list"))
    return form_page("admin/theme_form.html", form, theme=None)


@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
def theme_edit(theme_id: int):
    """Change a theme."""
    theme = get_or_404(Theme, theme_id)
    form = ThemeForm(obj=theme)
    if form.validate_on_submit():
        networks.update_theme(theme, form.data, by=current_user)
        db.session.commit()
        flash(_("The theme %(name)s was updated.", name=theme.name), "success")
        return redirect(url_for("admin.themes_list"))
    return form_page("admin/theme_form.html", form, theme=theme)


# --- Audit log -----------------------------------------------------------------
