"""The public directory of member networks, and what each co-wrote and co-signed."""

import sqlalchemy as sa
from flask import abort, render_template, request
from sqlalchemy.orm import joinedload

from advocacy.blueprints.public import bp
from advocacy.extensions import db
from advocacy.forms import PublicNetworkFilterForm
from advocacy.models import CoAuthor, Network, Position, Signature, Statement
from advocacy.queries.statements import filtered_networks
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
        pagination=paginate(filtered_networks(form)),
    )


@bp.get("/networks/<slug:slug>")
def network(slug: str):
    """A network: the statements it led or co-wrote, and those it co-signed."""
    network = db.session.scalar(sa.select(Network).filter_by(slug=slug))
    if network is None:
        abort(404)
    written = db.session.scalars(
        sa.select(Statement)
        .join(Position, Position.id == Statement.position_id)
        .where(Statement.current_version_id.is_not(None))
        .where(
            sa.or_(
                Position.lead_network_id == network.id,
                Position.coauthors.any(CoAuthor.network_id == network.id),
            )
        )
        .order_by(Statement.published_at.desc())
        .limit(100)
    ).all()
    signed = db.session.scalars(
        sa.select(Statement)
        .join(Signature, Signature.statement_id == Statement.id)
        .where(
            Signature.network_id == network.id,
            Statement.current_version_id.is_not(None),
        )
        .options(joinedload(Statement.lead_network))
        .order_by(Statement.published_at.desc())
        .limit(100)
    ).all()
    return render_template(
        "public/network.html", network=network, written=written, signed=signed
    )
