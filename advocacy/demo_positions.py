"""Demo positions for ``flask seed-demo``: drafts written by several networks, in turns."""

import sqlalchemy as sa

from advocacy.extensions import db
from advocacy.models import Arena, Membership, Network, Position, Theme
from advocacy.services import positions as service

COMMANDE_V1 = """La commande publique représente près de 8 % du PIB régional. Elle peut devenir un levier majeur pour l'emploi durable et non délocalisable que portent les entreprises de l'ESS.

# Constat

Les coopératives, associations et entreprises d'insertion des Pays de la Loire répondent encore trop peu aux marchés publics : lots trop larges, délais trop courts, critères centrés sur le prix.

# Propositions

1. Allotir les marchés pour les rendre accessibles aux structures de l'ESS.
2. Généraliser les critères sociaux et environnementaux dans l'attribution."""

COMMANDE_V2_ADD = """

# Clauses sociales

Les clauses sociales d'insertion ont permis en 2023 plusieurs centaines de milliers d'heures de travail pour des personnes éloignées de l'emploi. Nous demandons qu'elles figurent dans tous les marchés de travaux et de services de plus de 90 000 €, avec un facilitateur dans chaque département."""

COMMANDE_V3_TERRITOIRES = """

# Dans les territoires

En Loire-Atlantique, les PTCE et les réseaux départementaux accompagnent déjà les collectivités : ces coopérations doivent être soutenues dans les cinq départements."""

VIEILLIR_V1 = """L'accompagnement du « bien vieillir » est l'un des grands défis des Pays de la Loire. Les mutuelles, les associations d'aide à domicile et les fondations de l'ESS y répondent chaque jour.

# Constat

Les métiers du domicile peinent à recruter ; les personnes âgées isolées sont de plus en plus nombreuses dans les territoires ruraux.

# Propositions

- Revaloriser les métiers de l'aide et du soin à domicile.
- Soutenir l'habitat inclusif porté par l'ESS."""

ALIMENTATION_V1 = """Une alimentation saine et durable doit être accessible à toutes et tous. L'ESS le démontre par la preuve : épiceries solidaires, coopératives agricoles, projets alimentaires territoriaux.

# Constat

La précarité alimentaire progresse, y compris chez les étudiants et les travailleurs pauvres.

# Propositions

- Porter à 50 % la part des produits durables et locaux dans la restauration collective.
- Financer durablement les épiceries solidaires."""

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
                lambda t: t + COMMANDE_V2_ADD,
                "ajoute les clauses sociales",
            ),
            (
                "ess-44",
                lambda t: t + COMMANDE_V3_TERRITOIRES,
                "ajoute la dimension territoriale",
            ),
            (
                "urscop-pdl",
                lambda t: t.replace("près de 8 %", "environ 8 %"),
                "précise le chiffre",
            ),
        ],
        "body": COMMANDE_V1,
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
        "body": VIEILLIR_V1,
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
        "body": ALIMENTATION_V1,
    },
]


def _representative(network: Network):
    membership = db.session.scalar(
        sa.select(Membership).filter_by(network_id=network.id).order_by(Membership.id)
    )
    return membership.user if membership else None


def seed_positions() -> int:
    """Create the demo drafts that do not exist yet; returns how many were made."""
    made = 0
    networks = {n.slug: n for n in db.session.scalars(sa.select(Network))}
    themes = {t.slug: t for t in db.session.scalars(sa.select(Theme))}
    for spec in POSITIONS:
        if db.session.scalar(sa.select(Position.id).filter_by(title=spec["title"])):
            continue
        lead = networks[spec["lead"]]
        author = _representative(lead)
        position = service.create_position(
            title=spec["title"],
            summary=spec["summary"],
            body=spec["body"],
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
                by=_representative(network),
            )
        made += 1
    db.session.flush()
    return made
