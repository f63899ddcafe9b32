"""How statements and networks are written in the API: public facts, no person's name."""

from flask import url_for

from advocacy.models import FollowUp, Network, Signature, Statement, StatementVersion


def network_ref(network: Network) -> dict:
    return {
        "slug": network.slug,
        "name": network.name,
        "family": network.family.value,
        "department": network.department.value,
    }


def network_item(network: Network) -> dict:
    return {
        **network_ref(network),
        "kind": network.kind.value,
        "website": network.website or None,
        "url": url_for("public.network", slug=network.slug, _external=True),
        "api_url": url_for("api.network", slug=network.slug, _external=True),
    }


def _links(statement: Statement, number: int) -> dict:
    slug = statement.slug
    return {
        "url": url_for(
            "public.statement_version", slug=slug, number=number, _external=True
        ),
        "pdf_url": url_for(
            "public.statement_pdf", slug=slug, number=number, _external=True
        ),
        "api_url": url_for(
            "api.statement_version", slug=slug, number=number, _external=True
        ),
    }


def statement_item(statement: Statement, signatures: int) -> dict:
    """A statement in a list: what it is, who wrote it, where it is carried."""
    version = statement.current_version
    return {
        "slug": statement.slug,
        "title": statement.title,
        "summary": statement.summary,
        "version": version.number,
        "published_at": version.published_at.isoformat(),
        "lead_network": network_ref(statement.lead_network),
        "themes": [t["slug"] for t in version.themes],
        "arenas": list(version.arenas),
        "signatures": signatures,
        "url": url_for("public.statement", slug=statement.slug, _external=True),
        "api_url": url_for("api.statement", slug=statement.slug, _external=True),
    }


def version_detail(statement: Statement, version: StatementVersion) -> dict:
    """A published version in full, as frozen when it was published."""
    return {
        "number": version.number,
        "title": version.title,
        "summary": version.summary,
        "published_at": version.published_at.isoformat(),
        "body_html": version.body_html,
        "sections": [
            {
                "id": s["id"],
                "title": s["title"],
                "amendment": s.get("amendment"),
                "network": s.get("network"),
            }
            for s in version.sections
        ],
        "networks": [
            {"slug": n["slug"], "name": n["name"], "role": n["role"]}
            for n in version.networks
        ],
        "themes": [
            {"slug": t["slug"], "name_fr": t["name_fr"], "name_en": t["name_en"]}
            for t in version.themes
        ],
        "arenas": list(version.arenas),
        "board_decisions": [
            {"choice": d["choice"], "motivation": d["motivation"]}
            for d in version.decisions
        ],
        "building": version.building,
        "annexes": [
            {
                "filename": a["filename"],
                "mime": a["mime"],
                "size": a["size"],
                "sha256": a["sha256"],
                "url": url_for(
                    "public.statement_annex",
                    slug=statement.slug,
                    number=version.number,
                    index=index,
                    _external=True,
                ),
            }
            for index, a in enumerate(version.annexes, start=1)
        ],
        **_links(statement, version.number),
    }


def statement_detail(
    statement: Statement,
    versions: list[StatementVersion],
    signatures: list[Signature],
    follow_ups: list[FollowUp],
) -> dict:
    """A statement: its current version, every version, signatories and follow-ups."""
    current = statement.current_version
    return {
        "slug": statement.slug,
        "lead_network": network_ref(statement.lead_network),
        "current_version": version_detail(statement, current),
        "versions": [
            {
                "number": v.number,
                "title": v.title,
                "published_at": v.published_at.isoformat(),
                **_links(statement, v.number),
            }
            for v in versions
        ],
        "signatories": [
            {"network": network_ref(s.network), "signed_at": s.created_at.isoformat()}
            for s in signatures
        ],
        "follow_ups": [
            {
                "date": f.happened_on.isoformat(),
                "kind": f.kind.value,
                "text": f.text,
                "link": f.link or None,
            }
            for f in follow_ups
        ],
        "url": url_for("public.statement", slug=statement.slug, _external=True),
    }
