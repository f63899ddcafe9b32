"""Staff pages: the member networks."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy.blueprints.admin import bp
from advocacy.blueprints.admin.forms import (
    NetworkFilterForm,
)
from advocacy.blueprints.admin.views import filters_or_400, form_page, get_or_404
from advocacy.extensions import db
from advocacy.forms import NetworkForm
from advocacy.models import (
    Network,
)
from advocacy.queries import networks as network_queries
from advocacy.services import networks
from advocacy.web import paginate


@bp.get("/networks/")
def networks_list():
    """All networks, filtered and paginated."""
    form = NetworkFilterForm(request.args)
    failed = filters_or_400(form, "admin/networks.html")
    if failed:
        return failed
    status = form.status.data
    stmt = network_queries.filtered(
        form, active=None if status == "all" else status == "active"
    )
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
    return form_page("admin/network_form.html", form, network=None)


@bp.route("/networks/<int:network_id>/edit", methods=["GET", "POST"])
def network_edit(network_id: int):
    """Change a network's details."""
    network = get_or_404(Network, network_id)
    form = NetworkForm(obj=network)
    if form.validate_on_submit():
        networks.update_network(network, form.data, by=current_user)
        db.session.commit()
        flash(_("The network %(name)s was updated.", name=network.name), "success")
        return redirect(url_for("admin.networks_list"))
    return form_page("admin/network_form.html", form, network=network)


@bp.post("/networks/<int:network_id>/deactivate")
def network_deactivate(network_id: int):
    """Deactivate a network: it no longer takes part, its history stays."""
    network = get_or_404(Network, network_id)
    networks.set_network_active(network, False, by=current_user)
    db.session.commit()
    flash(_("The network %(name)s was deactivated.", name=network.name), "success")
    return redirect(url_for("admin.network_edit", network_id=network.id))


@bp.post("/networks/<int:network_id>/reactivate")
def network_reactivate(network_id: int):
    """Reactivate a network."""
    network = get_or_404(Network, network_id)
    networks.set_network_active(network, True, by=current_user)
    db.session.commit()
    flash(_("The network %(name)s was reactivated.", name=network.name), "success")
    return redirect(url_for("admin.network_edit", network_id=network.id))


# --- People --------------------------------------------------------------------
