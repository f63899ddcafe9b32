"""Demo positions under way: one in consultation (comments, amendments, supports),
one in vote (ballots cast, closing in a few days)."""

import sqlalchemy as sa

from advocacy.demo import texts
from advocacy.demo.people import member_of, representative
from advocacy.extensions import db
from advocacy.models import Arena, Network, Position, Theme
from advocacy.services import positions as service


def seed_live_steps() -> None:
    """A position in consultation (comments, amendments, supports) and one in vote."""
    networks = {n.slug: n for n in db.session.scalars(sa.select(Network))}
    themes = {t.slug: t for t in db.session.scalars(sa.select(Theme))}
    _in_consultation(networks, themes)
    _in_vote(networks, themes)
    db.session.flush()


def _in_consultation(networks, themes) -> None:
    """Jeunesse: open for twelve days, with comments, a reply, two amendments."""
    from datetime import timedelta

    from advocacy.models import AmendmentKind, utcnow
    from advocacy.services import amendments as amendments_service
    from advocacy.services import consultation

    title = "Jeunesse : faire de l'engagement un levier d'insertion"
    if not db.session.scalar(sa.select(Position.id).filter_by(title=title)):
        lead = networks["jeunesse-territoires-53"]
        author = representative(lead)
        position = service.create_position(
            title=title,
            summary="Reconnaître et accompagner l'engagement des jeunes dans"
            " l'ESS, en particulier en milieu rural.",
            body=texts.read("jeunesse"),
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
        ess72 = member_of("ess-72", networks)
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
            by=member_of("ptce-craonnais", networks),
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
            by=member_of("urscop-pdl", networks),
            form_token=amendments_service.new_form_token(),
        )
        for slug in ("ess-53", "mouvement-associatif-ligerien"):
            amendments_service.support_amendment(
                amendment,
                position,
                network=networks[slug],
                by=member_of(slug, networks),
            )
        amendments_service.file_amendment(
            position,
            section_id=sections[1]["id"],
            kind=AmendmentKind.INSERT_AFTER,
            proposed="# Mobilité\n\nSans solution de transport, l'engagement reste hors de"
            " portée de nombreux jeunes ruraux.",
            rationale="La mobilité est le premier frein cité par les jeunes.",
            network=networks["ess-53"],
            by=member_of("ess-53", networks),
            form_token=amendments_service.new_form_token(),
        )


def _in_vote(networks, themes) -> None:
    """Tourisme social: an amendment put to the vote, eight networks have voted."""
    from datetime import timedelta

    from advocacy.models import AmendmentKind, BallotChoice, Motion, utcnow
    from advocacy.services import amendments as amendments_service
    from advocacy.services import consultation, votes

    title = "Tourisme social et solidaire : des vacances pour toutes et tous"
    if not db.session.scalar(sa.select(Position.id).filter_by(title=title)):
        lead = networks["tourisme-social-pdl"]
        author = representative(lead)
        position = service.create_position(
            title=title,
            summary="Rénover les équipements du tourisme social et soutenir les"
            " départs en vacances.",
            body=texts.read("tourisme-social"),
            lead=lead,
            themes=[themes["tourisme-social"], themes["transition-ecologique"]],
            arenas=[Arena.REGIONAL],
            by=author,
            message="premier jet",
        )
        service.add_coauthor(position, networks["ess-85"], by=author)
        consultation.open_consultation(
            position, closes_at=utcnow() + timedelta(days=8), message="", by=author
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
            by=member_of("mutualite-ligerienne", networks),
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
                    by=member_of(slug, networks),
                )
