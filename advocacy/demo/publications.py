"""Published demo statements, spread over the years of the strategic plan, taken
through consultation, vote and board approval by ``walk``; one waits for the board,
one was rejected."""

import sqlalchemy as sa

from advocacy.demo import texts
from advocacy.demo.people import member_of, representative
from advocacy.demo.walk import walk
from advocacy.extensions import db
from advocacy.models import Arena, Network, Position, Theme
from advocacy.services import positions as service

#: (title, lead, co-author, themes, arenas, year, two versions?, text, summary)
PUBLISHED = [
    (
        "Pour une commande publique qui fait vivre l'ESS des territoires",
        "ess-44",
        "insertion-pdl",
        ["emploi-durable", "relocalisation"],
        [Arena.REGIONAL],
        2023,
        True,
        "01-commande-publique",
        "Généraliser les clauses sociales et environnementales et réserver des marchés aux structures d'insertion par l'activité économique.",
    ),
    (
        "Bien vieillir chez soi : reconnaître l'aide à domicile associative",
        "employeurs-domicile-pdl",
        "mutualite-ligerienne",
        ["bien-vieillir", "sante"],
        [Arena.REGIONAL, Arena.NATIONAL],
        2023,
        False,
        "02-aide-a-domicile",
        "Revaloriser les métiers du domicile et financer les temps de trajet dans les tarifs départementaux.",
    ),
    (
        "Des repas locaux et durables dans toutes les cantines",
        "alimentation-durable-pdl",
        "coop-agricoles-ouest",
        ["alimentation"],
        [Arena.REGIONAL],
        2024,
        True,
        "03-cantines",
        "Structurer des plateformes coopératives d'approvisionnement entre producteurs, légumeries solidaires et cantines.",
    ),
    (
        "Pour un plan régional de prévention santé porté par les mutuelles",
        "mutualite-ligerienne",
        "mutuelle-anjou",
        ["sante"],
        [Arena.REGIONAL],
        2024,
        False,
        "04-prevention-sante",
        "Bâtir un plan régional de prévention santé avec les mutuelles, les centres de santé et les associations de patients.",
    ),
    (
        "La jeunesse rurale, une priorité de la stratégie régionale ESS",
        "jeunesse-territoires-53",
        "ess-53",
        ["jeunesse"],
        [Arena.REGIONAL],
        2024,
        False,
        "05-jeunesse-rurale",
        "Soutenir les coopératives jeunesse de services et les tiers-lieux ruraux dans la stratégie régionale de l'ESS.",
    ),
    (
        "Accueil des jeunes enfants : soutenir les crèches associatives",
        "centres-sociaux-pdl",
        "ess-49",
        ["petite-enfance"],
        [Arena.REGIONAL, Arena.NATIONAL],
        2024,
        False,
        "06-creches-associatives",
        "Garantir un financement pluriannuel et former davantage d'auxiliaires de puériculture en lien avec les employeurs de l'ESS.",
    ),
    (
        "Réemploi et économie circulaire : changer d'échelle",
        "recyclerie-bocage",
        "ptce-estuaire",
        ["transition-ecologique", "ressources-naturelles"],
        [Arena.REGIONAL, Arena.EUROPEAN],
        2025,
        True,
        "07-reemploi",
        "Financer le changement d'échelle des filières du réemploi et leur accès aux gisements des déchetteries.",
    ),
    (
        "Énergies citoyennes : associer les habitants à la transition",
        "energies-citoyennes-72",
        "ess-72",
        ["transition-ecologique"],
        [Arena.REGIONAL, Arena.EUROPEAN],
        2025,
        False,
        "08-energies-citoyennes",
        "Créer un fonds régional de garantie pour les sociétés citoyennes d'énergie et ouvrir les appels d'offres à la gouvernance partagée.",
    ),
    (
        "Le tourisme social, un droit aux vacances pour toutes et tous",
        "tourisme-social-pdl",
        "ess-85",
        ["tourisme-social"],
        [Arena.NATIONAL],
        2025,
        False,
        "09-tourisme-social",
        "Soutenir la rénovation du patrimoine du tourisme social et les aides au départ des familles.",
    ),
    (
        "Culture et sport : les associations au cœur des territoires",
        "culture-solidaire-nantes",
        "mouvement-associatif-ligerien",
        ["culture-sport"],
        [Arena.REGIONAL],
        2025,
        False,
        "10-culture-et-sport",
        "Reconnaître le bénévolat dans les politiques régionales et simplifier les demandes de subvention.",
    ),
    (
        "Sécuriser le financement des associations employeuses",
        "employeurs-ess-pdl",
        "mouvement-associatif-ligerien",
        ["emploi-durable", "solidarites"],
        [Arena.NATIONAL, Arena.EUROPEAN],
        2026,
        False,
        "11-associations-employeuses",
        "Généraliser les conventions pluriannuelles d'objectifs et le financement du fonctionnement des associations.",
    ),
    (
        "Les PTCE, outils de coopération économique à reconnaître",
        "ptce-craonnais",
        "ptce-vallee-loir",
        ["relocalisation", "emploi-durable"],
        [Arena.NATIONAL],
        2026,
        False,
        "12-ptce",
        "Reconnaître les PTCE dans le schéma régional de développement économique et financer leur animation.",
    ),
]

#: Networks that vote on every demo position, and those that co-sign statements.
VOTERS = [
    "ess-44",
    "ess-49",
    "ess-53",
    "ess-72",
    "ess-85",
    "urscop-pdl",
    "mutualite-ligerienne",
    "mouvement-associatif-ligerien",
    "employeurs-ess-pdl",
]
SIGNERS = [
    "ess-44",
    "ess-85",
    "urscop-pdl",
    "fondation-solidarites-ligeriennes",
    "societes-ess-ouest",
    "mutuelle-solidaire-vendee",
]
MOTIVATION = "Texte représentatif, porté par plusieurs familles de l'ESS."


def _walk_to_board(position, author, networks, board_members, approvals):
    voters = [(networks[slug], member_of(slug, networks)) for slug in VOTERS]
    walk(
        position,
        until="approved" if approvals >= 2 else "board_review",
        by=author,
        voters=voters,
        approvers=board_members[:approvals],
        motivation=MOTIVATION,
    )


def seed_publications() -> None:
    """Twelve published statements (some in two versions), one in board review, one rejected."""
    from datetime import UTC, date, datetime, timedelta

    from advocacy.models import (
        BoardChoice,
        FollowUpKind,
        PositionState,
        Statement,
        StatementVersion,
        User,
    )
    from advocacy.services import board
    from advocacy.services import statements as statements_service

    networks = {n.slug: n for n in db.session.scalars(sa.select(Network))}
    themes = {t.slug: t for t in db.session.scalars(sa.select(Theme))}
    board_members = db.session.scalars(
        sa.select(User).where(User.is_board.is_(True)).order_by(User.id)
    ).all()
    staff = db.session.scalar(sa.select(User).where(User.is_admin.is_(True)))
    for index, (
        title,
        lead_slug,
        partner,
        theme_slugs,
        arenas,
        year,
        twice,
        text,
        summary,
    ) in enumerate(PUBLISHED):
        if db.session.scalar(sa.select(Position.id).filter_by(title=title)):
            continue
        lead = networks[lead_slug]
        author = representative(lead)
        position = service.create_position(
            title=title,
            summary=summary,
            body=texts.read(f"declarations/{text}"),
            lead=lead,
            themes=[themes[s] for s in theme_slugs],
            arenas=arenas,
            by=author,
            message="premier jet",
        )
        service.add_coauthor(position, networks[partner], by=author)
        _walk_to_board(position, author, networks, board_members, approvals=2)
        statements_service.publish_statement(position, by=staff)
        if twice:
            statements_service.revise_statement(position, by=author)
            current = position.current_revision
            service.save_revision(
                position,
                title=current.title,
                summary=current.summary,
                body=current.body + "\n\n" + texts.read("actualisation"),
                message="actualisation",
                base=current,
                network=lead,
                by=author,
            )
            _walk_to_board(position, author, networks, board_members, approvals=2)
            statements_service.publish_statement(position, by=staff)
        statement = db.session.scalar(
            sa.select(Statement).filter_by(position_id=position.id)
        )
        for slug in SIGNERS[: 2 + index % 5]:
            if slug != lead_slug:
                statements_service.sign_statement(
                    statement, network=networks[slug], by=member_of(slug, networks)
                )
        statements_service.record_follow_up(
            statement,
            happened_on=date(year, 6, 1 + index),
            kind=FollowUpKind.SENT,
            text="Adressée au Conseil régional et aux parlementaires de la région.",
            link="",
            by=staff,
        )
        if index % 3 == 0:
            statements_service.record_follow_up(
                statement,
                happened_on=date(year, 10, 1 + index),
                kind=FollowUpKind.NATIONAL,
                text="Reprise dans la contribution de la fédération nationale de l'ESS.",
                link="",
                by=staff,
            )
        # Spread the demo over the years of the strategic plan: a second version
        # five months after the first, positions started weeks before.
        moment = datetime(year, 3 + index % 8, 10 + index, 10, 0, tzinfo=UTC)
        first = moment - timedelta(days=150) if twice else moment
        for number, when in ((1, first), (2, moment)):
            db.session.execute(
                sa.update(StatementVersion)
                .where(
                    StatementVersion.statement_id == statement.id,
                    StatementVersion.number == number,
                )
                .values(published_at=when)
            )
        db.session.execute(
            sa.update(Statement)
            .where(Statement.id == statement.id)
            .values(published_at=moment)
        )
        position.created_at = first - timedelta(days=30 + (index * 11) % 60)

    for title, outcome in (
        ("Relocaliser la production textile grâce aux Scic", "review"),
        ("Une marque régionale unique pour les produits de l'ESS", "rejected"),
    ):
        if db.session.scalar(sa.select(Position.id).filter_by(title=title)):
            continue
        lead = networks["societes-ess-ouest"]
        author = representative(lead)
        position = service.create_position(
            title=title,
            summary="",
            body=texts.read("declarations/01-commande-publique"),
            lead=lead,
            themes=[themes["relocalisation"]],
            arenas=[Arena.REGIONAL],
            by=author,
        )
        service.add_coauthor(position, networks["urscop-pdl"], by=author)
        _walk_to_board(
            position,
            author,
            networks,
            board_members,
            approvals=1 if outcome == "review" else 0,
        )
        if outcome == "rejected":
            for member in board_members[:2]:
                if position.state is PositionState.BOARD_REVIEW:
                    board.record_board_decision(
                        position,
                        choice=BoardChoice.REJECT,
                        motivation="Le sujet relève d'une démarche commerciale plutôt que"
                        " d'un plaidoyer commun.",
                        by=member,
                    )
    db.session.flush()
