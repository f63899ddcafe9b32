"""The public directory of member networks, and what each co-wrote and co-signed."""

from flask import abort, render_template, request

from advocacy.blueprints.public import bp
from advocacy.forms import PublicNetworkFilterForm
from advocacy.queries import networks as network_queries
from advocacy.queries import statements as queries
from advocacy.web import paginate


@bp.get("/networks/")
def networks():
    """The member networks, filtered by family, département and kind."""
    form = PublicNetworkFilterForm(request.args)
    if not form.validate():
        return render_template(
            "public/networks.html", filters=form, pagination=None
        ), 400
    return render_template(
        "public/networks.html",
        filters=form,
        pagination=paginate(network_queries.filtered(form)),
    )


@bp.get("/networks/<slug:slug>")
def network(slug: str):
    """A network: the statements it led or co-wrote, and those it co-signed."""
    network = queries.network_by_slug(slug)
    if network is None:
        abort(404)
    written = queries.listed(queries.written_by(network, limit=100))
    signed = queries.listed(queries.signed_by(network, limit=100))
    return render_template(
        "public/network.html", network=network, written=written, signed=signed
    )
