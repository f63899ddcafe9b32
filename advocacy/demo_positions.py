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


JEUNESSE = """L'engagement des jeunes dans les associations, les coopératives et les services civiques est une porte d'entrée vers l'emploi durable.

# Constat

Dans les territoires ruraux de Mayenne et de Sarthe, les jeunes trouvent peu de lieux pour s'engager et être accompagnés.

# Propositions

- Reconnaître l'engagement bénévole dans les parcours d'insertion.
- Financer des postes d'animation jeunesse dans les réseaux de l'ESS."""

TOURISME = """Le tourisme social et solidaire permet à des milliers de familles de partir en vacances, tout en faisant vivre les territoires.

# Constat

Les villages vacances associatifs de la région vieillissent et peinent à financer leur rénovation énergétique.

# Propositions

- Créer un fonds régional de rénovation des équipements du tourisme social.
- Soutenir les départs en vacances des familles modestes."""


def _user(slug, networks):
    return _representative(networks[slug])


def seed_live_steps() -> None:
    """A position in consultation (comments, amendments, supports) and one in vote."""
    from datetime import timedelta

    from advocacy.models import AmendmentKind, BallotChoice, Motion, utcnow
    from advocacy.services import amendments as amendments_service
    from advocacy.services import consultation, votes

    networks = {n.slug: n for n in db.session.scalars(sa.select(Network))}
    themes = {t.slug: t for t in db.session.scalars(sa.select(Theme))}
    title = "Jeunesse : faire de l'engagement un levier d'insertion"
    if not db.session.scalar(sa.select(Position.id).filter_by(title=title)):
        lead = networks["jeunesse-territoires-53"]
        author = _representative(lead)
        position = service.create_position(
            title=title,
            summary="Reconnaître et accompagner l'engagement des jeunes dans"
            " l'ESS, en particulier en milieu rural.",
            body=JEUNESSE,
            lead=lead,
            themes=[themes["jeunesse"], themes["emploi-durable"]],
            arenas=[Arena.REGIONAL, Arena.NATIONAL],
            by=author,
            message="premier jet",
        )
        service.add_coauthor(position, networks["centres-sociaux-pdl"], by=author)
        consultation.open_consultation(
            position,
            closes_at=utcnow() + timedelta(days=12),
            message="Merci de nous faire part de vos remarques section par section.",
            by=author,
        )
        sections = position.current_revision.sections
        ess72 = _user("ess-72", networks)
        first = consultation.post_comment(
            position,
            body="Le constat vaut aussi pour le nord de la Sarthe : pouvons-nous"
            " ajouter des chiffres de la mission locale ?",
            by=ess72,
            network=networks["ess-72"],
            section_id=sections[1]["id"],
        )
        consultation.post_comment(
            position,
            body="Bonne idée, nous les demandons.",
            by=author,
            network=lead,
            parent=first,
        )
        consultation.post_comment(
            position,
            body="Pensez au lien avec les PTCE, qui accueillent déjà des jeunes en"
            " service civique.",
            by=_user("ptce-craonnais", networks),
            network=networks["ptce-craonnais"],
        )
        amendment, _ = amendments_service.file_amendment(
            position,
            section_id=sections[2]["id"],
            kind=AmendmentKind.REPLACE,
            proposed=sections[2]["text"] + "\n- Ouvrir les dispositifs régionaux aux"
            " coopératives jeunesse de services.",
            rationale="Les coopératives jeunesse de services sont une école de"
            " l'entrepreneuriat collectif.",
            network=networks["urscop-pdl"],
            by=_user("urscop-pdl", networks),
            form_token=amendments_service.new_form_token(),
        )
        for slug in ("ess-53", "mouvement-associatif-ligerien"):
            amendments_service.support_amendment(
                amendment, position, network=networks[slug], by=_user(slug, networks)
            )
        amendments_service.file_amendment(
            position,
            section_id=sections[1]["id"],
            kind=AmendmentKind.INSERT_AFTER,
            proposed="# Mobilité\n\nSans solution de transport, l'engagement reste hors de"
            " portée de nombreux jeunes ruraux.",
            rationale="La mobilité est le premier frein cité par les jeunes.",
            network=networks["ess-53"],
            by=_user("ess-53", networks),
            form_token=amendments_service.new_form_token(),
        )

    title = "Tourisme social et solidaire : des vacances pour toutes et tous"
    if not db.session.scalar(sa.select(Position.id).filter_by(title=title)):
        lead = networks["tourisme-social-pdl"]
        author = _representative(lead)
        position = service.create_position(
            title=title,
            summary="Rénover les équipements du tourisme social et soutenir les"
            " départs en vacances.",
            body=TOURISME,
            lead=lead,
            themes=[themes["tourisme-social"], themes["transition-ecologique"]],
            arenas=[Arena.REGIONAL],
            by=author,
            message="premier jet",
        )
        service.add_coauthor(position, networks["ess-85"], by=author)
        consultation.open_consultation(
            position, closes_at=utcnow() + timedelta(days=1), message="", by=author
        )
        sections = position.current_revision.sections
        amendment, _ = amendments_service.file_amendment(
            position,
            section_id=sections[2]["id"],
            kind=AmendmentKind.REPLACE,
            proposed=sections[2]["text"]
            + "\n- Associer les comités d'entreprise et les"
            " mutuelles au financement des départs.",
            rationale="Élargir les financeurs.",
            network=networks["mutualite-ligerienne"],
            by=_user("mutualite-ligerienne", networks),
            form_token=amendments_service.new_form_token(),
        )
        amendments_service.decide_amendment(
            amendment, position, decision="to_vote", reason="", by=author
        )
        position.consultation_closes_at = utcnow() - timedelta(minutes=1)
        db.session.flush()
        votes.open_vote(position, closes_at=utcnow() + timedelta(days=6), by=author)
        motions = db.session.scalars(
            sa.select(Motion).filter_by(position_id=position.id).order_by(Motion.id)
        ).all()
        choices = [
            BallotChoice.FOR,
            BallotChoice.FOR,
            BallotChoice.AGAINST,
            BallotChoice.FOR,
            BallotChoice.ABSTAIN,
        ]
        for i, slug in enumerate(
            [
                "ess-44",
                "ess-49",
                "recyclerie-bocage",
                "urscop-pdl",
                "fondation-solidarites-ligeriennes",
                "ess-85",
                "mutuelle-solidaire-vendee",
                "centres-sociaux-pdl",
            ]
        ):
            for motion in motions:
                votes.cast_ballot(
                    motion,
                    position,
                    network=networks[slug],
                    choice=choices[i % len(choices)],
                    by=_user(slug, networks),
                )
    db.session.flush()
