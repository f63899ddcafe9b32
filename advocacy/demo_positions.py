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


#: (title, lead, co-author, themes, arenas, year, two versions?)
PUBLISHED = [
    (
        "Pour une commande publique qui fait vivre l'ESS des territoires",
        "ess-44",
        "insertion-pdl",
        ["emploi-durable", "relocalisation"],
        [Arena.REGIONAL],
        2023,
        True,
    ),
    (
        "Bien vieillir chez soi : reconnaître l'aide à domicile associative",
        "employeurs-domicile-pdl",
        "mutualite-ligerienne",
        ["bien-vieillir", "sante"],
        [Arena.REGIONAL, Arena.NATIONAL],
        2023,
        False,
    ),
    (
        "Des repas locaux et durables dans toutes les cantines",
        "alimentation-durable-pdl",
        "coop-agricoles-ouest",
        ["alimentation"],
        [Arena.REGIONAL],
        2024,
        True,
    ),
    (
        "Pour un plan régional de prévention santé porté par les mutuelles",
        "mutualite-ligerienne",
        "mutuelle-anjou",
        ["sante"],
        [Arena.REGIONAL],
        2024,
        False,
    ),
    (
        "La jeunesse rurale, une priorité de la stratégie régionale ESS",
        "jeunesse-territoires-53",
        "ess-53",
        ["jeunesse"],
        [Arena.REGIONAL],
        2024,
        False,
    ),
    (
        "Accueil des jeunes enfants : soutenir les crèches associatives",
        "centres-sociaux-pdl",
        "ess-49",
        ["petite-enfance"],
        [Arena.REGIONAL, Arena.NATIONAL],
        2024,
        False,
    ),
    (
        "Réemploi et économie circulaire : changer d'échelle",
        "recyclerie-bocage",
        "ptce-estuaire",
        ["transition-ecologique", "ressources-naturelles"],
        [Arena.REGIONAL, Arena.EUROPEAN],
        2025,
        True,
    ),
    (
        "Énergies citoyennes : associer les habitants à la transition",
        "energies-citoyennes-72",
        "ess-72",
        ["transition-ecologique"],
        [Arena.REGIONAL, Arena.EUROPEAN],
        2025,
        False,
    ),
    (
        "Le tourisme social, un droit aux vacances pour toutes et tous",
        "tourisme-social-pdl",
        "ess-85",
        ["tourisme-social"],
        [Arena.NATIONAL],
        2025,
        False,
    ),
    (
        "Culture et sport : les associations au cœur des territoires",
        "culture-solidaire-nantes",
        "mouvement-associatif-ligerien",
        ["culture-sport"],
        [Arena.REGIONAL],
        2025,
        False,
    ),
    (
        "Sécuriser le financement des associations employeuses",
        "employeurs-ess-pdl",
        "mouvement-associatif-ligerien",
        ["emploi-durable", "solidarites"],
        [Arena.NATIONAL, Arena.EUROPEAN],
        2026,
        False,
    ),
    (
        "Les PTCE, outils de coopération économique à reconnaître",
        "ptce-craonnais",
        "ptce-vallee-loir",
        ["relocalisation", "emploi-durable"],
        [Arena.NATIONAL],
        2026,
        False,
    ),
]

#: What each published statement finds and asks, in its own words.
PUBLISHED_FINDINGS = [
    (
        "Les achats publics de la région et des collectivités représentent des"
        " milliards d'euros chaque année, mais les structures de l'ESS et de"
        " l'insertion n'en captent qu'une faible part.",
        "Généraliser les clauses sociales et environnementales et réserver des"
        " marchés aux structures d'insertion par l'activité économique.",
    ),
    (
        "L'aide à domicile associative peine à recruter : salaires bas, temps"
        " partiels subis et déplacements non reconnus éloignent les professionnels.",
        "Revaloriser les métiers du domicile et financer les temps de trajet dans"
        " les tarifs départementaux.",
    ),
    (
        "La restauration collective reste loin des objectifs d'approvisionnement en"
        " produits locaux et durables fixés par la loi.",
        "Structurer des plateformes coopératives d'approvisionnement entre"
        " producteurs, légumeries solidaires et cantines.",
    ),
    (
        "Les mutuelles financent déjà des actions de prévention, mais sans"
        " coordination régionale ni évaluation partagée.",
        "Bâtir un plan régional de prévention santé avec les mutuelles, les centres"
        " de santé et les associations de patients.",
    ),
    (
        "Dans les territoires ruraux, les jeunes manquent de mobilité, de lieux"
        " d'engagement et d'accès à l'entrepreneuriat collectif.",
        "Soutenir les coopératives jeunesse de services et les tiers-lieux ruraux"
        " dans la stratégie régionale de l'ESS.",
    ),
    (
        "Les crèches associatives et parentales ferment faute de professionnels et"
        " de financements stables.",
        "Garantir un financement pluriannuel et former davantage d'auxiliaires de"
        " puériculture en lien avec les employeurs de l'ESS.",
    ),
    (
        "Ressourceries, recycleries et ateliers de réparation créent des emplois non"
        " délocalisables mais restent de petite taille.",
        "Financer le changement d'échelle des filières du réemploi et leur accès aux"
        " gisements des déchetteries.",
    ),
    (
        "Les projets d'énergie renouvelable citoyens associent les habitants, mais se"
        " heurtent au coût du raccordement et au manque de fonds propres.",
        "Créer un fonds régional de garantie pour les sociétés citoyennes d'énergie"
        " et ouvrir les appels d'offres à la gouvernance partagée.",
    ),
    (
        "Une famille sur trois ne part pas en vacances ; les villages vacances"
        " associatifs vieillissent faute d'investissement.",
        "Soutenir la rénovation du patrimoine du tourisme social et les aides au"
        " départ des familles.",
    ),
    (
        "Clubs sportifs et associations culturelles font vivre les bourgs, mais le"
        " bénévolat s'essouffle et les subventions se raréfient.",
        "Reconnaître le bénévolat dans les politiques régionales et simplifier les"
        " demandes de subvention.",
    ),
    (
        "Les associations employeuses voient leurs financements devenir annuels et"
        " fléchés sur projet, au détriment de leur fonctionnement.",
        "Généraliser les conventions pluriannuelles d'objectifs et le financement du"
        " fonctionnement des associations.",
    ),
    (
        "Les pôles territoriaux de coopération économique réunissent entreprises,"
        " collectivités et structures de l'ESS, sans statut ni financement durable.",
        "Reconnaître les PTCE dans le schéma régional de développement économique et"
        " financer leur animation.",
    ),
]


def _published_text(index: int) -> str:
    finding, proposal = PUBLISHED_FINDINGS[index % len(PUBLISHED_FINDINGS)]
    return f"""Les entreprises et organisations de l'ESS des Pays de la Loire agissent chaque jour sur ce sujet, au plus près des territoires.

# Constat

{finding} Les acteurs de l'ESS sont encore trop peu associés aux politiques publiques.

# Propositions

- {proposal}
- Associer les réseaux de l'ESS à la conception des politiques régionales.
- Sécuriser des financements pluriannuels pour les projets d'intérêt collectif.

# Suivi

Les réseaux signataires s'engagent à rendre compte chaque année des suites données."""


def _walk_to_approved(position, author, networks, voters, board_members, approvals=2):
    from datetime import timedelta

    from advocacy.models import BallotChoice, BoardChoice, utcnow
    from advocacy.services import board, consolidation, consultation, votes

    consultation.open_consultation(
        position, closes_at=utcnow() + timedelta(days=1), message="", by=author
    )
    position.consultation_closes_at = utcnow() - timedelta(minutes=1)
    motions = votes.open_vote(
        position, closes_at=utcnow() + timedelta(days=1), by=author
    )
    for slug in voters:
        for motion in motions:
            votes.cast_ballot(
                motion,
                position,
                network=networks[slug],
                choice=BallotChoice.FOR,
                by=_user(slug, networks),
            )
    position.vote_closes_at = utcnow() - timedelta(minutes=1)
    votes.close_vote(position, by=author)
    consolidation.apply_amendments(position, by=author)
    board.submit_to_board(position, by=author)
    for member in board_members[:approvals]:
        board.record_board_decision(
            position,
            choice=BoardChoice.APPROVE,
            motivation="Texte représentatif, porté par plusieurs familles de l'ESS.",
            by=member,
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
    voters = [
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
    signers = [
        "ess-44",
        "ess-85",
        "urscop-pdl",
        "fondation-solidarites-ligeriennes",
        "societes-ess-ouest",
        "mutuelle-solidaire-vendee",
    ]
    for index, (
        title,
        lead_slug,
        partner,
        theme_slugs,
        arenas,
        year,
        twice,
    ) in enumerate(PUBLISHED):
        if db.session.scalar(sa.select(Position.id).filter_by(title=title)):
            continue
        lead = networks[lead_slug]
        author = _representative(lead)
        position = service.create_position(
            title=title,
            summary=PUBLISHED_FINDINGS[index][1],
            body=_published_text(index),
            lead=lead,
            themes=[themes[s] for s in theme_slugs],
            arenas=arenas,
            by=author,
            message="premier jet",
        )
        service.add_coauthor(position, networks[partner], by=author)
        _walk_to_approved(position, author, networks, voters, board_members)
        statements_service.publish_statement(position, by=staff)
        if twice:
            statements_service.revise_statement(position, by=author)
            current = position.current_revision
            service.save_revision(
                position,
                title=current.title,
                summary=current.summary,
                body=current.body
                + "\n\n# Actualisation\n\nLes chiffres ont été mis à jour"
                " avec l'observatoire régional de l'ESS.",
                message="actualisation",
                base=current,
                network=lead,
                by=author,
            )
            _walk_to_approved(position, author, networks, voters, board_members)
            statements_service.publish_statement(position, by=staff)
        statement = db.session.scalar(
            sa.select(Statement).filter_by(position_id=position.id)
        )
        for slug in signers[: 2 + index % 5]:
            if slug != lead_slug:
                statements_service.sign_statement(
                    statement, network=networks[slug], by=_user(slug, networks)
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
        author = _representative(lead)
        position = service.create_position(
            title=title,
            summary="",
            body=_published_text(0),
            lead=lead,
            themes=[themes["relocalisation"]],
            arenas=[Arena.REGIONAL],
            by=author,
        )
        service.add_coauthor(position, networks["urscop-pdl"], by=author)
        _walk_to_approved(
            position,
            author,
            networks,
            voters,
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


def quiet_demo_history() -> None:
    """The demo's past is shown in the app, not emailed.

    Its notifications are marked as mailed (no digest of two years of history)
    and read, but those about what is open now; nothing waits in the outbox.
    The demo accounts then get every new notification by email at once, so that
    a person trying the app finds them in ``instance/outbox/``.
    """
    from advocacy.demo import DEMO_DOMAIN
    from advocacy.models import (
        Category,
        Delivery,
        Notification,
        NotificationPreference,
        OutboxMessage,
        PositionState,
        User,
        utcnow,
    )

    now = utcnow()
    open_now = sa.select(Position.id).where(
        Position.state.in_([PositionState.CONSULTATION, PositionState.VOTE])
    )
    db.session.execute(sa.delete(OutboxMessage))
    db.session.execute(
        sa.update(Notification)
        .where(Notification.mailed_at.is_(None))
        .values(mailed_at=now)
    )
    paths = [f"/positions/{i}" for i in db.session.scalars(open_now)]
    paths += [f"{p}/vote" for p in paths]
    db.session.execute(
        sa.update(Notification)
        .where(Notification.read_at.is_(None), Notification.link.not_in(paths))
        .values(read_at=now)
    )
    chosen = set(
        db.session.execute(
            sa.select(NotificationPreference.user_id, NotificationPreference.category)
        ).all()
    )
    for user_id in db.session.scalars(
        sa.select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}"))
    ):
        for category in Category:
            if (user_id, category) not in chosen:
                db.session.add(
                    NotificationPreference(
                        user_id=user_id, category=category, delivery=Delivery.IMMEDIATE
                    )
                )
