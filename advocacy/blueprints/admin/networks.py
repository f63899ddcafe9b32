"""Staff pages: the member networks."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy.blueprints.admin import bp
from advocacy.blueprints.admin.forms import (
    NetworkFilterForm,
)
from advocacy.blueprints.admin.views import _filters_or_400, _form_page, _get_or_404
from advocacy.extensions import db
from advocacy.forms import NetworkForm
from advocacy.models import (
    Network,
)
from advocacy.services import networks
from advocacy.web import contains, paginate


@bp.get("/networks/")
def networks_list():
    """All networks, filtered and paginated."""
    form = NetworkFilterForm(request.args)
    failed = _filters_or_400(form, "admin/networks.html")
    if failed:
        return failed
    stmt = sa.select(Network).order_by(Network.name, Network.id)
    if form.q.data:
        stmt = stmt.where(contains(Network.name, form.q.data))
    for field in ("family", "department", "kind"):
        value = getattr(form, field).data
        if value is not None:
            stmt = stmt.where(getattr(Network, field) == value)
    if form.status.data != "all":
        stmt = stmt.where(Network.is_active.is_(form.status.data == "active"))
    return render_template(
        "admin/networks.html", filters=form, pagination=paginate(stmt)
    )


@bp.route("/networks/new", methods=["GET", "POST"])
def network_create():
    """Add a network."""
    form = NetworkForm()
    if form.validate_on_submit():
        network = networks.create_network(form.data, by=current_user)
        db.session.commit()
        flash(_("The network %(name)s was created.", name=network.name), "success")
        return redirect(url_for("admin.networks_list"))
    return _form_page("admin/network_form.html", form, network=None)


@bp.route("/networks/<int:network_id>/edit", methods=["GET", "POST"])
def network_edit(network_id: int):
    """Change a network's details."""
    network = _get_or_404(Network, network_id)
    form = NetworkForm(obj=network)
    if form.validate_on_submit():
        networks.update_network(network, form.data, by=current_user)
        db.session.commit()
        flash(_("The network %(name)s was updated.", name=network.name), "success")
        return redirect(url_for("admin.networks_list"))
    return _form_page("admin/network_form.html", form, network=network)


@bp.post("/networks/<int:network_id>/deactivate")
def network_deactivate(network_id: int):
    """Deactivate a network: it no longer takes part, its history stays."""
    network = _get_or_404(Network, network_id)
    networks.set_network_active(network, False, by=current_user)
    db.session.commit()
    flash(_("The network %(name)s was deactivated.", name=network.name), "success")
    return redirect(url_for("admin.network_edit", network_id=network.id))


@bp.post("/networks/<int:network_id>/reactivate")
def network_reactivate(network_id: int):
    """Reactivate a network."""
    network = _get_or_404(Network, network_id)
    networks.set_network_active(network, True, by=current_user)
    db.session.commit()
    flash(_("The network %(name)s was reactivated.", name=network.name), "success")
    return redirect(url_for("admin.network_edit", network_id=network.id))


# --- People --------------------------------------------------------------------
