"""The addresses other installations read and post to: WebFinger, the actor,
the context of our terms, each activity we sent, and the inbox."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort, current_app, jsonify, request
from flask_babel import gettext as _

from advocacy.extensions import csrf, db, limiter
from advocacy.federation import bp, documents
from advocacy.federation import inbox as inbox_service
from advocacy.links import site_url
from advocacy.queries import federation as federation_queries


def _document(body: dict, media_type: str = documents.MEDIA_TYPE, status: int = 200):
    answer = jsonify(body)
    answer.status_code = status
    answer.mimetype = media_type
    return answer


@bp.get("/.well-known/webfinger")
def webfinger():
    """Who this installation is, by its account name (RFC 7033)."""
    resource = request.args.get("resource", "")
    if not resource:
        return _document(
            {"error": _("Say which resource: ?resource=acct:…")}, status=400
        )
    host = urlsplit(current_app.config["SITE_URL"]).netloc
    known = {f"acct:{documents.USERNAME}@{host}", documents.actor_url()}
    if resource not in known:
        abort(404)
    return _document(documents.webfinger(host), "application/jrd+json")


@bp.get("/federation/actor")
def actor():
    """This installation: its name, its inbox, its public key."""
    answer = _document(documents.actor())
    db.session.commit()  # the key pair, if this was its first reader
    return answer


@bp.get("/federation/context")
def context():
    """The JSON-LD context of Porte-voix's own terms."""
    return _document(documents.context_document(), "application/ld+json")


@bp.get("/federation/activities/<ident>")
def activity(ident: str):
    """An activity this installation sent, at the address that is its id."""
    found = federation_queries.sent_activity(
        site_url("federation.activity", ident=ident[:100])
    )
    if found is None:
        abort(404)
    return _document(found.activity)


@bp.post("/federation/inbox")
@csrf.exempt  # signed by the sending installation, not a browser's form
@limiter.limit(lambda: current_app.config["FEDERATION_INBOX_RATE"])
def inbox():
    """Take an activity from a linked installation (or a request to link)."""
    body = request.get_data()
    try:
        inbox_service.receive(request.method, request.url, request.headers, body)
        db.session.commit()
    except inbox_service.Refusal as refusal:
        db.session.rollback()
        inbox_service.record_refusal(refusal, body)
        db.session.commit()
        return _document({"error": refusal.reason}, status=refusal.status)
    except sa.exc.IntegrityError:  # the same activity, acted on meanwhile
        db.session.rollback()
    return _document({"status": "accepted"}, status=202)
