"""Staff pages: this installation's identity, its links with other
installations, and the messages exchanged with them."""

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from advocacy.blueprints.admin import bp
from advocacy.blueprints.admin.forms import LinkForm, SendStatementForm
from advocacy.blueprints.admin.views import get_or_404
from advocacy.blueprints.common import ask_first
from advocacy.extensions import db
from advocacy.federation import contributions, documents, links
from advocacy.federation.keys import fingerprint, installation_key
from advocacy.models.federation import LinkPurpose, Peer
from advocacy.queries import federation as federation_queries
from advocacy.queries import statements as statement_queries
from advocacy.services import ServiceError
from advocacy.web import refuse_on_field

#: What staff may do to a link, by the address's last word.
STEPS = {
    "accept": links.accept_link,
    "refuse": links.refuse_link,
    "suspend": links.suspend_link,
    "resume": links.resume_link,
    "end": links.end_link,
}
DONE = {
    "accept": lambda name: _("The link with %(name)s is active.", name=name),
    "refuse": lambda name: _("The link asked by %(name)s was refused.", name=name),
    "suspend": lambda name: _("The link with %(name)s is suspended.", name=name),
    "resume": lambda name: _("The link with %(name)s is active again.", name=name),
    "end": lambda name: _("The link with %(name)s has ended.", name=name),
}
MESSAGES_SHOWN = 50


def _page(form: LinkForm, status: int = 200, send_form=None):
    key = installation_key()
    peers = federation_queries.peers()
    names = {p.id: p.name for p in peers}
    messages = federation_queries.recent_messages(MESSAGES_SHOWN)
    page = render_template(
        "admin/federation.html",
        form=form,
        send_form=send_form or SendStatementForm(formdata=None),
        actor_url=documents.actor_url(),
        account=f"{documents.USERNAME}@{urlsplit(documents.actor_url()).netloc}",
        fingerprint=fingerprint(key.public_pem),
        peers=peers,
        names=names,
        messages=messages,
        state_label=links.state_label,
        key_fingerprint=fingerprint,
    )
    db.session.commit()  # the key pair, if this was its first reader
    return page, status


@bp.get("/federation/")
def federation():
    """This installation's identity and links."""
    return _page(LinkForm(formdata=None))


@bp.post("/federation/links")
def link_ask():
    """Ask another installation for a link."""
    form = LinkForm()
    if not form.validate():
        return _page(form, 400)
    try:
        peer = links.ask_link(
            form.address.data, LinkPurpose(form.purpose.data), by=current_user
        )
    except ServiceError as exc:
        return _page(form, refuse_on_field(form.address, exc))
    db.session.commit()
    flash(
        _(
            "The request was sent to %(name)s; its staff will accept or refuse it.",
            name=peer.name,
        ),
        "success",
    )
    return redirect(url_for("admin.federation"))


@bp.post("/federation/links/<int:peer_id>/<step>")
def link_step(peer_id: int, step: str):
    """Accept, refuse, suspend, resume or end a link."""
    if step not in STEPS:
        abort(404)
    peer = get_or_404(Peer, peer_id)
    if step == "end":
        asked = ask_first("end_link", url_for("admin.federation"))
        if asked is not None:
            return asked
    STEPS[step](peer, by=current_user)  # a refusal: ServiceError, answered by errors.py
    db.session.commit()
    flash(DONE[step](peer.name), "success")
    return redirect(url_for("admin.federation"))


@bp.post("/federation/contributions")
def contribution_send():
    """Send a published statement's current version to the national installations."""
    form = SendStatementForm()
    if not form.validate():
        return _page(LinkForm(formdata=None), 400, form)
    slug = form.statement.data.rstrip("/").rsplit("/", 1)[-1]
    statement = statement_queries.published_at_slug(slug)
    if statement is None:
        form.statement.errors = [_("No published statement has this address.")]
        return _page(LinkForm(formdata=None), 400, form)
    try:
        sent = contributions.send_by_hand(statement, by=current_user)
    except ServiceError as exc:
        return _page(
            LinkForm(formdata=None), refuse_on_field(form.statement, exc), form
        )
    db.session.commit()
    flash(
        ngettext(
            "%(title)s was sent to %(num)d installation.",
            "%(title)s was sent to %(num)d installations.",
            sent,
            title=statement.title,
        ),
        "success",
    )
    return redirect(url_for("admin.federation"))
