"""Contributions: a regional statement for the national debate.

Going up: when this installation publishes a version of a statement whose
arenas include "national", it is sent (a ``Create`` for the first version, an
``Update`` after) to each installation it contributes to, over an active link.
Staff may also send the current version by hand.

Coming in: the receiving installation keeps each version as it was sent,
read-only, attributed to the sender; its HTML is sanitised here.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from advocacy.extensions import db
from advocacy.federation import documents
from advocacy.federation.deliveries import queue
from advocacy.links import site_url
from advocacy.markup import sanitize_html
from advocacy.models import (
    Revision,
    Signature,
    Statement,
    StatementVersion,
    User,
    utcnow,
)
from advocacy.models.federation import (
    Contribution,
    ContributionVersion,
    LinkPurpose,
    LinkState,
    Peer,
)
from advocacy.queries.federation import active_peers
from advocacy.services import ServiceError
from advocacy.services.audit import record_event

NATIONAL = "national"
#: The longest text a contribution may carry (characters of HTML).
MAX_CONTENT = 2_000_000
#: The longest section source kept (characters of Markdown).
MAX_SECTION = 100_000


def article(version: StatementVersion) -> dict:
    """A version of one of our statements, as the national installation reads it."""
    statement = version.statement
    signatories = db.session.scalars(
        sa.select(Signature)
        .where(Signature.statement_id == statement.id)
        .order_by(Signature.created_at, Signature.id)
    ).all()
    # each section's Markdown, so that the national side can quote it and
    # file it as an amendment
    texts = {
        s["id"]: s["text"]
        for s in db.session.get(Revision, version.revision_id).sections
    }
    return {
        "id": site_url("public.statement", slug=statement.slug),
        "type": "Article",
        "attributedTo": documents.actor_url(),
        "url": site_url(
            "public.statement_version", slug=statement.slug, number=version.number
        ),
        "name": version.title,
        "summary": version.summary,
        "content": version.body_html,
        "mediaType": "text/html",
        "published": version.published_at.isoformat(),
        "version": version.number,
        "sections": [
            {
                "id": s["id"],
                "title": s.get("title") or "",
                "network": s.get("network"),
                "amendment": s.get("amendment"),
                "text": texts.get(s["id"], ""),
            }
            for s in version.sections
        ],
        "networks": [{"name": n["name"], "role": n["role"]} for n in version.networks],
        "signatories": [s.network.name for s in signatories],
        "building": version.building,
    }


def send_version(version: StatementVersion, *, by: User | None) -> int:
    """Send ``version`` to every installation we contribute to; how many."""
    peers = active_peers(LinkPurpose.CONTRIBUTES_TO)
    kind = "Create" if version.number == 1 else "Update"
    for peer in peers:
        queue(peer, documents.activity(kind, article(version), to=peer.actor_url))
        record_event(
            "federation.contribution_send",
            by=by,
            object_type="statement",
            object_id=version.statement_id,
            version=version.number,
            installation=peer.name,
        )
    return len(peers)


def contribute(version: StatementVersion) -> None:
    """On publication: a statement for the national debate goes up."""
    if NATIONAL in (version.arenas or []):
        send_version(version, by=None)


def send_by_hand(statement: Statement, *, by: User) -> int:
    """Staff send a statement's current version to the national installations."""
    sent = send_version(statement.current_version, by=by)
    if not sent:
        raise ServiceError(
            _("This installation contributes to no other over an active link."), 409
        )
    return sent


# --- coming in -------------------------------------------------------------------


_read = documents.Reader(_l("The contribution is not as Porte-voix describes it."))


def _checked(obj) -> dict:
    """The Article, checked field by field."""
    if not isinstance(obj, dict) or obj.get("type") != "Article":
        raise _read.refuse()
    number = _read.whole(obj.get("version"), low=1)
    published = _read.moment(obj.get("published"), aware=False)
    sections = obj.get("sections", [])
    if not isinstance(sections, list) or not all(
        isinstance(s, dict) and isinstance(s.get("id"), str) for s in sections
    ):
        raise _read.refuse()
    return {
        "remote_id": _read.text(obj.get("id"), 500),
        "url": _read.text(obj.get("url"), 500),
        "number": number,
        "title": _read.text(obj.get("name"), 300),
        "summary": _read.text(obj.get("summary", ""), 5000),
        "body_html": sanitize_html(_read.text(obj.get("content"), MAX_CONTENT)),
        "published_at": published,
        "sections": [
            {
                "id": s["id"][:100],
                "title": str(s.get("title") or "")[:300],
                "network": str(s["network"])[:200] if s.get("network") else None,
                "amendment": s.get("amendment")
                if isinstance(s.get("amendment"), int)
                else None,
                "text": s["text"][:MAX_SECTION]
                if isinstance(s.get("text"), str)
                else "",
            }
            for s in sections
        ],
        "networks": [
            {"name": str(n.get("name", ""))[:200], "role": str(n.get("role", ""))[:20]}
            for n in obj.get("networks", [])
            if isinstance(n, dict)
        ][:200],
        "signatories": [str(n)[:200] for n in obj.get("signatories", [])][:2000]
        if isinstance(obj.get("signatories"), list)
        else [],
        "building": obj.get("building")
        if isinstance(obj.get("building"), dict)
        else {},
    }


def receive(activity: dict, peer: Peer) -> ContributionVersion | None:
    """Keep the version a region sent; one already kept is not changed."""
    if peer.purpose is not LinkPurpose.RECEIVES_CONTRIBUTIONS or (
        peer.state is not LinkState.ACTIVE
    ):
        raise documents.Malformed(_("This link does not carry contributions."))
    data = _checked(activity.get("object"))
    if not documents.same_host(data["remote_id"], peer.actor_url):
        raise _read.refuse()
    contribution = db.session.scalar(
        sa.select(Contribution).filter_by(remote_id=data["remote_id"])
    )
    if contribution is None:
        contribution = Contribution(
            peer_id=peer.id,
            remote_id=data["remote_id"],
            title=data["title"],
            number=data["number"],
        )
        db.session.add(contribution)
        db.session.flush()
    elif contribution.peer_id != peer.id:
        raise _read.refuse()
    kept = db.session.scalar(
        sa.select(ContributionVersion).filter_by(
            contribution_id=contribution.id, number=data["number"]
        )
    )
    if kept is not None:
        return None
    version = ContributionVersion(
        contribution_id=contribution.id,
        number=data["number"],
        title=data["title"],
        summary=data["summary"],
        body_html=data["body_html"],
        sections=data["sections"],
        networks=data["networks"],
        signatories=data["signatories"],
        building=data["building"],
        url=data["url"],
        published_at=data["published_at"],
    )
    db.session.add(version)
    if data["number"] >= contribution.number:
        contribution.number, contribution.title = data["number"], data["title"]
        contribution.updated_at = utcnow()
    db.session.flush()
    record_event(
        "federation.contribution_receive",
        by=None,
        object_type="contribution",
        object_id=contribution.id,
        version=data["number"],
        installation=peer.name,
    )
    return version
