"""Demo drafts, written by several networks in turns: a version history to browse."""

import sqlalchemy as sa

from advocacy.demo import texts
from advocacy.demo.people import representative
from advocacy.extensions import db
from advocacy.models import Arena, Network, Position, Theme
from advocacy.services import positions as service

POSITIONS = [
    {
        "title": "Pour une commande publique responsable au service de l'emploi durable",
        "summary": "Faire de la commande publique régionale un levier pour l'emploi durable"
        " et non délocalisable porté par l'ESS.",
        "lead": "urscop-pdl",
        "coauthors": ["insertion-pdl", "ess-44"],
        "themes": ["emploi-durable", "relocalisation"],
        "arenas": [Arena.REGIONAL],
        "turns": [
            (
                "insertion-pdl",
                lambda t: t + "\n\n" + texts.read("commande-publique-clauses-sociales"),
                "ajoute les clauses sociales",
            ),
            (
                "ess-44",
                lambda t: t + "\n\n" + texts.read("commande-publique-territoires"),
                "ajoute la dimension territoriale",
            ),
            (
                "urscop-pdl",
                lambda t: t.replace("près de 8 %", "environ 8 %"),
                "précise le chiffre",
            ),
        ],
        "body": "commande-publique",
    },
    {
        "title": "Bien vieillir dans nos territoires : l'ESS au cœur de l'accompagnement",
        "summary": "Reconnaître et soutenir les acteurs de l'ESS qui accompagnent le bien"
        " vieillir, à domicile comme en habitat inclusif.",
        "lead": "mutualite-ligerienne",
        "coauthors": ["employeurs-domicile-pdl", "fonds-bien-vieillir-anjou"],
        "themes": ["bien-vieillir", "sante"],
        "arenas": [Arena.REGIONAL, Arena.NATIONAL],
        "turns": [
            (
                "employeurs-domicile-pdl",
                lambda t: t.replace(
                    "peinent à recruter",
                    "peinent à recruter : un poste sur"
                    " cinq reste vacant plus de six mois",
                ),
                "chiffre les difficultés de recrutement",
            ),
            (
                "fonds-bien-vieillir-anjou",
                lambda t: (
                    t
                    + "\n- Créer un fonds régional d'amorçage pour l'habitat inclusif."
                ),
                "propose un fonds d'amorçage",
            ),
        ],
        "body": "bien-vieillir",
    },
    {
        "title": "Une alimentation saine et durable accessible à toutes et tous",
        "summary": "Lutter contre la précarité alimentaire en s'appuyant sur les solutions"
        " de l'ESS, du champ à l'assiette.",
        "lead": "alimentation-durable-pdl",
        "coauthors": ["coop-agricoles-ouest", "ptce-vallee-loir"],
        "themes": ["alimentation", "transition-ecologique"],
        "arenas": [Arena.REGIONAL, Arena.EUROPEAN],
        "turns": [
            (
                "coop-agricoles-ouest",
                lambda t: t.replace(
                    "coopératives agricoles,",
                    "coopératives agricoles et leurs filières locales,",
                ),
                "précise le rôle des coopératives",
            ),
            (
                "ptce-vallee-loir",
                lambda t: (
                    t + "\n\n# Coopérations territoriales\n\nLes PTCE structurent des"
                    " filières alimentaires locales : il faut les reconnaître dans la"
                    " politique agricole commune."
                ),
                "ajoute les coopérations territoriales",
            ),
        ],
        "body": "alimentation",
    },
]


def seed_positions() -> int:
    """Create the demo drafts that do not exist yet; returns how many were made."""
    made = 0
    networks = {n.slug: n for n in db.session.scalars(sa.select(Network))}
    themes = {t.slug: t for t in db.session.scalars(sa.select(Theme))}
    for spec in POSITIONS:
        if db.session.scalar(sa.select(Position.id).filter_by(title=spec["title"])):
            continue
        lead = networks[spec["lead"]]
        author = representative(lead)
        position = service.create_position(
            title=spec["title"],
            summary=spec["summary"],
            body=texts.read(spec["body"]),
            lead=lead,
            themes=[themes[s] for s in spec["themes"] if s in themes],
            arenas=spec["arenas"],
            by=author,
            message="premier jet",
        )
        for slug in spec["coauthors"]:
            service.add_coauthor(position, networks[slug], by=author)
        for slug, change, message in spec["turns"]:
            network = networks[slug]
            current = position.current_revision
            service.save_revision(
                position,
                title=current.title,
                summary=current.summary,
                body=change(current.body),
                message=message,
                base=current,
                network=network,
                by=representative(network),
            )
        made += 1
    db.session.flush()
    return made
