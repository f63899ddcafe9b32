"""The consultation: opening it, comments on sections, edits, deletion, reports, moderation."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from advocacy.demo.walk import skip_to
from advocacy.models import (
    AuditEvent,
    Comment,
    CommentEdit,
    CommentReport,
    Position,
    PositionState,
    utcnow,
)
from advocacy.services import consultation
from advocacy.services import positions as service
from tests.conftest import login, page_text, refused

BODY = (
    "Préambule.\n\n# Constat\n\nL'emploi progresse.\n\n# Propositions\n\nRelocaliser."
)


def local(delta: timedelta) -> str:
    """A date-time field value, in Paris time, ``delta`` from now."""
    from zoneinfo import ZoneInfo

    return (
        (utcnow() + delta)
        .astimezone(ZoneInfo("Europe/Paris"))
        .strftime("%Y-%m-%dT%H:%M")
    )


@pytest.fixture
def position(app, db, representative, network):
    position = service.create_position(
        title="Pour un emploi durable",
        summary="",
        body=BODY,
        lead=network,
        themes=[],
        arenas=[],
        by=representative,
    )
    db.session.commit()
    return position


@pytest.fixture
def open_position(app, db, position, representative):
    consultation.open_consultation(
        position,
        closes_at=utcnow() + timedelta(days=14),
        message="Vos avis d'ici la fin du mois.",
        by=representative,
    )
    db.session.commit()
    return position


@pytest.fixture
def member(create_user, create_network):
    return create_user(
        email="membre@example.org",
        display_name="Membre Mutuelle",
        networks=[create_network(name="Mutuelle de Sarthe")],
    )


def sections(position):
    return [s["id"] for s in position.current_revision.sections]


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


class TestOpening:
    def test_the_lead_opens_the_consultation(
        self, client, position, representative, db
    ):
        login(client, representative)
        response = client.post(
            f"/positions/{position.id}/consultation/open",
            data={
                "closes_at": local(timedelta(days=10)),
                "message": "À vos commentaires.",
            },
        )
        assert response.status_code == 302
        position = db.session.get(Position, position.id)
        assert (
            position.state is PositionState.CONSULTATION
            and position.consultation_is_open()
        )
        assert (
            timedelta(days=9)
            < position.consultation_closes_at - utcnow()
            < timedelta(days=11)
        )
        page = page_text(client.get(f"/positions/{position.id}"))
        assert "Consultation ouverte jusqu'au" in page and "À vos commentaires." in page
        assert db.session.scalar(
            sa.select(AuditEvent.payload).filter_by(action="position.consultation_open")
        )["state"] == ["draft", "consultation"]

    def test_the_text_is_frozen(self, client, open_position, representative):
        login(client, representative)
        refused(
            client.get(f"/positions/{open_position.id}/edit"),
            409,
            "Seul un brouillon peut être modifié",
        )

    @pytest.mark.parametrize(
        "data,message",
        [
            ({"closes_at": ""}, "Choisissez une date et une heure de clôture."),
            ({"closes_at": "demain"}, "date"),
            ({"closes_at": "2020-01-01T10:00"}, "doit être dans le futur"),
            ({"closes_at": "FUTURE", "message": "x" * 2001}, "2 000 caractères"),
        ],
    )
    def test_bad_openings_change_nothing(
        self, client, position, representative, db, data, message
    ):
        login(client, representative)
        data = {
            k: (local(timedelta(days=3)) if v == "FUTURE" else v)
            for k, v in data.items()
        }
        response = client.post(f"/positions/{position.id}/consultation/open", data=data)
        assert response.status_code == 400
        assert message in page_text(response)
        assert db.session.get(Position, position.id).state is PositionState.DRAFT

    def test_only_the_lead_or_staff_open_it(self, client, position, member, db):
        login(client, member)
        response = client.post(
            f"/positions/{position.id}/consultation/open",
            data={"closes_at": local(timedelta(days=3))},
        )
        assert response.status_code == 403
        assert db.session.get(Position, position.id).state is PositionState.DRAFT

    def test_opening_twice_is_refused(self, client, open_position, representative, db):
        before = open_position.consultation_closes_at
        login(client, representative)
        response = client.post(
            f"/positions/{open_position.id}/consultation/open",
            data={"closes_at": local(timedelta(days=3))},
        )
        assert response.status_code == 409
        assert "La consultation s'ouvre sur un brouillon." in page_text(response)
        db.session.expire_all()
        assert (
            db.session.get(Position, open_position.id).consultation_closes_at == before
        )

    def test_staff_extend_and_close_early(self, client, open_position, staff, db):
        login(client, staff)
        before = db.session.get(Position, open_position.id).consultation_closes_at
        assert (
            client.post(
                f"/positions/{open_position.id}/consultation/extend",
                data={"closes_at": local(timedelta(days=30))},
            ).status_code
            == 302
        )
        assert (
            db.session.get(Position, open_position.id).consultation_closes_at > before
        )
        response = client.post(
            f"/positions/{open_position.id}/consultation/extend",
            data={"closes_at": local(timedelta(days=1))},
        )
        assert response.status_code == 400
        assert "plus tardive" in page_text(response)
        assert (
            client.post(f"/positions/{open_position.id}/consultation/close").status_code
            == 302
        )
        assert not db.session.get(Position, open_position.id).consultation_is_open()
        assert (
            client.post(f"/positions/{open_position.id}/consultation/close").status_code
            == 409
        )

    def test_the_lead_cannot_extend(self, client, open_position, representative, db):
        before = open_position.consultation_closes_at
        login(client, representative)
        refused(
            client.post(
                f"/positions/{open_position.id}/consultation/extend",
                data={"closes_at": local(timedelta(days=30))},
            ),
            403,
        )
        db.session.expire_all()
        assert (
            db.session.get(Position, open_position.id).consultation_closes_at == before
        )


class TestComments:
    def test_a_member_comments_on_a_section_and_it_shows_in_the_margin(
        self, client, open_position, member, db
    ):
        login(client, member)
        section = sections(open_position)[1]
        response = client.post(
            f"/positions/{open_position.id}/comments",
            data={
                "body": "Précisez **les chiffres** par département.",
                "section": section,
            },
        )
        assert response.status_code == 302
        comment = db.session.scalar(sa.select(Comment))
        assert (
            comment.section_id == section
            and comment.network.name == "Mutuelle de Sarthe"
        )
        assert "<strong>les chiffres</strong>" in comment.body_html
        page = page_text(client.get(f"/positions/{open_position.id}"))
        assert "1 commentaire" in page and "Membre Mutuelle" in page
        assert f"section={section}" in page

    def test_a_comment_stays_with_its_section_in_later_revisions(
        self, app, client, open_position, member, representative, db
    ):
        login(client, member)
        first, constat, props = sections(open_position)
        client.post(
            f"/positions/{open_position.id}/comments",
            data={"body": "Sur le constat.", "section": constat},
        )
        client.post(
            f"/positions/{open_position.id}/comments",
            data={"body": "Sur les propositions.", "section": props},
        )
        # Back to draft: the constat is edited, the propositions removed.
        position = db.session.get(Position, open_position.id)
        skip_to(position, PositionState.DRAFT)
        db.session.commit()
        current = position.current_revision
        service.save_revision(
            position,
            title=current.title,
            summary="",
            body="Préambule.\n\n# Constat\n\nL'emploi progresse vite.",
            message="",
            base=current,
            network=None,
            by=representative,
        )
        db.session.commit()
        page = page_text(client.get(f"/positions/{open_position.id}"))
        assert "Sur le constat." in page and "Sur les propositions." in page
        assert "sur une section supprimée" in page
        assert constat in sections(db.session.get(Position, open_position.id))

    def test_replies_are_one_level_deep(
        self, client, open_position, member, representative, db
    ):
        login(client, member)
        client.post(
            f"/positions/{open_position.id}/comments", data={"body": "Question ?"}
        )
        parent = db.session.scalar(sa.select(Comment))
        client.post("/logout")
        login(client, representative)
        assert (
            client.post(
                f"/positions/{open_position.id}/comments",
                data={"body": "Réponse.", "parent": parent.id},
            ).status_code
            == 302
        )
        reply = db.session.scalar(
            sa.select(Comment).where(Comment.parent_id == parent.id)
        )
        response = client.post(
            f"/positions/{open_position.id}/comments",
            data={"body": "Réponse à la réponse.", "parent": reply.id},
        )
        assert response.status_code == 400
        assert "premier commentaire du fil" in page_text(response)
        assert count(db, Comment) == 2

    def test_edit_keeps_history_and_shows_edited(
        self, client, open_position, member, db
    ):
        login(client, member)
        client.post(
            f"/positions/{open_position.id}/comments", data={"body": "Premier jet."}
        )
        comment = db.session.scalar(sa.select(Comment))
        assert (
            client.get(
                f"/positions/{open_position.id}/comments/{comment.id}/edit"
            ).status_code
            == 200
        )
        assert (
            client.post(
                f"/positions/{open_position.id}/comments/{comment.id}/edit",
                data={"body": "Version revue."},
            ).status_code
            == 302
        )
        assert db.session.scalar(sa.select(CommentEdit.body)) == "Premier jet."
        page = page_text(client.get(f"/positions/{open_position.id}"))
        assert "Version revue." in page and "modifié" in page

    def test_delete_keeps_the_replies(
        self, client, app, open_position, member, representative, db
    ):
        login(client, member)
        client.post(
            f"/positions/{open_position.id}/comments", data={"body": "À supprimer."}
        )
        parent = db.session.scalar(sa.select(Comment))
        other = app.test_client()
        login(other, representative)
        other.post(
            f"/positions/{open_position.id}/comments",
            data={"body": "Une réponse qui reste.", "parent": parent.id},
        )
        assert (
            client.post(
                f"/positions/{open_position.id}/comments/{parent.id}/delete"
            ).status_code
            == 302
        )
        page = page_text(client.get(f"/positions/{open_position.id}"))
        assert "À supprimer." not in page and "supprimé par son auteur" in page
        assert "Une réponse qui reste." in page
        assert (
            client.post(
                f"/positions/{open_position.id}/comments/{parent.id}/delete"
            ).status_code
            == 409
        )

    def test_only_the_author_edits_or_deletes(
        self, client, app, open_position, member, representative, db
    ):
        login(client, member)
        client.post(
            f"/positions/{open_position.id}/comments", data={"body": "Le mien."}
        )
        comment = db.session.scalar(sa.select(Comment))
        other = app.test_client()
        login(other, representative)
        assert (
            other.post(
                f"/positions/{open_position.id}/comments/{comment.id}/edit",
                data={"body": "piraté"},
            ).status_code
            == 403
        )
        assert (
            other.post(
                f"/positions/{open_position.id}/comments/{comment.id}/delete"
            ).status_code
            == 403
        )
        assert db.session.get(Comment, comment.id).body == "Le mien."

    @pytest.mark.parametrize(
        "data,status,message",
        [
            ({"body": ""}, 400, "Écrivez votre commentaire."),
            ({"body": "x" * 10_001}, 400, "10 000 caractères"),
            ({"body": "ok", "section": "s-00000000"}, 400, "pas un choix valide"),
            ({"body": "ok", "section": "not-a-section"}, 400, "pas un choix valide"),
            ({"body": "ok", "parent": "abc"}, 400, "n'existe pas"),
            ({"body": "ok", "parent": "999999"}, 400, "n'existe pas"),
        ],
    )
    def test_bad_comments_write_nothing(
        self, client, open_position, member, db, data, status, message
    ):
        login(client, member)
        response = client.post(f"/positions/{open_position.id}/comments", data=data)
        assert response.status_code == status
        assert message in page_text(response)
        assert count(db, Comment) == 0

    def test_a_reply_to_another_positions_comment_is_refused(
        self,
        app,
        client,
        open_position,
        member,
        network,
        representative,
        db,
        walk_position,
    ):
        other = walk_position(
            lead=network, by=representative, until="consultation", title="Autre", days=3
        )
        foreign = consultation.post_comment(
            other, body="Ailleurs.", by=representative, network=network
        )
        db.session.commit()
        login(client, member)
        response = client.post(
            f"/positions/{open_position.id}/comments",
            data={"body": "ok", "parent": foreign.id},
        )
        assert response.status_code == 400
        assert "une autre position" in page_text(response)
        assert count(db, Comment) == 1

    def test_comments_are_refused_outside_the_consultation(
        self, client, position, member, db
    ):
        login(client, member)
        response = client.post(
            f"/positions/{position.id}/comments", data={"body": "Trop tôt."}
        )
        assert response.status_code == 409
        assert "Les commentaires sont fermés" in page_text(response)
        assert "Ajouter un commentaire" not in page_text(
            client.get(f"/positions/{position.id}")
        )

    def test_comments_are_refused_after_the_closing_date(
        self, client, open_position, member, db
    ):
        position = db.session.get(Position, open_position.id)
        position.consultation_closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        login(client, member)
        response = client.post(
            f"/positions/{open_position.id}/comments", data={"body": "Tard."}
        )
        assert response.status_code == 409
        assert count(db, Comment) == 0

    def test_the_public_never_sees_comments(self, client, open_position, db):
        refused(client.get(f"/positions/{open_position.id}"), 404)
        refused(
            client.post(f"/positions/{open_position.id}/comments", data={"body": "x"}),
            404,
        )
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0

    def test_the_page_costs_the_same_with_500_comments(
        self,
        app,
        client,
        open_position,
        member,
        representative,
        network,
        db,
        count_queries,
    ):
        login(client, member)
        first = consultation.post_comment(
            open_position, body="Un.", by=representative, network=network
        )
        consultation.post_comment(
            open_position, body="Réponse.", by=member, network=None, parent=first
        )
        db.session.commit()
        with count_queries() as small:
            assert client.get(f"/positions/{open_position.id}").status_code == 200
        section = sections(open_position)[1]
        parents = [
            consultation.post_comment(
                open_position,
                body=f"Avis {i}.",
                by=representative,
                network=network,
                section_id=section,
            )
            for i in range(250)
        ]
        for parent in parents:
            consultation.post_comment(
                open_position,
                body="Réponse.",
                by=member,
                network=None,
                parent=parent,
            )
        db.session.commit()
        with count_queries() as large:
            response = client.get(f"/positions/{open_position.id}")
        assert response.status_code == 200
        assert "500 commentaires" in page_text(response)  # in the section's margin
        assert large.count == small.count, (small.statements, large.statements)
        assert client.get(f"/positions/{open_position.id}?page=11").status_code == 200
        assert client.get(f"/positions/{open_position.id}?page=99").status_code == 404
        assert (
            client.get(f"/positions/{open_position.id}?section=zzz").status_code == 400
        )


class TestModeration:
    @pytest.fixture
    def comment(self, app, open_position, member, db):
        comment = consultation.post_comment(
            open_position, body="Achetez nos produits !", by=member, network=None
        )
        db.session.commit()
        return comment

    def test_a_hidden_comment_takes_no_reply(
        self, client, open_position, comment, representative, staff, db
    ):
        reply_form = f'name="parent" value="{comment.id}"'
        login(client, representative)
        assert reply_form in client.get(f"/positions/{open_position.id}").get_data(
            as_text=True
        )
        consultation.moderate_comments(
            [comment], hide=True, reason="Publicité.", by=staff
        )
        db.session.commit()
        page = client.get(f"/positions/{open_position.id}").get_data(as_text=True)
        assert reply_form not in page
        response = client.post(
            f"/positions/{open_position.id}/comments",
            data={"body": "Réponse.", "parent": comment.id},
        )
        assert response.status_code in (400, 409)
        assert count(db, Comment) == 1

    def test_report_then_hide_then_restore(
        self, client, app, open_position, comment, representative, staff, db
    ):
        login(client, representative)
        path = f"/positions/{open_position.id}/comments/{comment.id}/report"
        assert client.get(path).status_code == 200
        assert (
            client.post(path, data={"reason": "spam", "note": "publicité"}).status_code
            == 302
        )
        response = client.post(path, data={"reason": "spam"})
        assert response.status_code == 409
        assert "déjà signalé" in page_text(response)
        moderator = app.test_client()
        login(moderator, staff)
        queue = page_text(moderator.get("/admin/moderation/"))
        assert "Achetez nos produits" in queue and "publicité" in queue
        assert (
            moderator.post(
                "/admin/moderation/",
                data={
                    "comments": [comment.id],
                    "action": "hide",
                    "reason": "Publicité",
                },
            ).status_code
            == 302
        )
        assert db.session.get(Comment, comment.id).hidden_at is not None
        assert db.session.scalar(sa.select(CommentReport.resolved_at)) is not None
        assert "Achetez" not in page_text(client.get(f"/positions/{open_position.id}"))
        assert "Masqué par l'équipe" in page_text(
            moderator.get(f"/positions/{open_position.id}")
        )
        assert (
            moderator.post(
                "/admin/moderation/",
                data={"comments": [comment.id], "action": "restore", "reason": ""},
            ).status_code
            == 302
        )
        assert "Achetez" in page_text(client.get(f"/positions/{open_position.id}"))
        actions = db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.object_type == "comment")
            .order_by(AuditEvent.id)
        ).all()
        assert actions == [
            "comment.create",
            "comment.report",
            "comment.hide",
            "comment.restore",
        ]

    def test_several_at_once(
        self, client, app, open_position, member, staff, network, db
    ):
        many = [
            consultation.post_comment(
                open_position, body=f"Hors sujet {i}", by=member, network=None
            )
            for i in range(3)
        ]
        db.session.commit()
        login(client, staff)
        response = client.post(
            "/admin/moderation/",
            data={
                "comments": [c.id for c in many],
                "action": "hide",
                "reason": "Hors sujet",
            },
            follow_redirects=True,
        )
        assert "3 commentaires ont été modérés." in page_text(response)

    @pytest.mark.parametrize(
        "data,status",
        [
            ({"action": "hide", "reason": "x"}, 400),
            ({"comments": ["{id}"], "action": "hide", "reason": ""}, 400),
            ({"comments": ["{id}"], "action": "erase", "reason": "x"}, 400),
            ({"comments": ["{id}"], "action": "hide", "reason": "x" * 501}, 400),
            ({"comments": ["999999"], "action": "hide", "reason": "x"}, 404),
        ],
    )
    def test_bad_moderation(self, client, comment, staff, db, data, status):
        login(client, staff)
        data = {
            k: ([x.format(id=comment.id) for x in v] if isinstance(v, list) else v)
            for k, v in data.items()
        }
        assert client.post("/admin/moderation/", data=data).status_code == status
        assert db.session.get(Comment, comment.id).hidden_at is None

    def test_members_cannot_moderate(self, client, comment, member):
        login(client, member)
        text = refused(client.get("/admin/moderation/"), 403)
        assert comment.body not in text

    @pytest.mark.parametrize(
        "data", [{"reason": "gossip"}, {"reason": "spam", "note": "x" * 501}]
    )
    def test_bad_reports(
        self, client, open_position, comment, representative, db, data
    ):
        login(client, representative)
        response = client.post(
            f"/positions/{open_position.id}/comments/{comment.id}/report", data=data
        )
        assert response.status_code == 400
        assert count(db, CommentReport) == 0

    def test_one_cannot_report_oneself(
        self, client, open_position, comment, member, db
    ):
        login(client, member)
        refused(
            client.post(
                f"/positions/{open_position.id}/comments/{comment.id}/report",
                data={"reason": "spam"},
            ),
            403,
        )
        reports = sa.select(sa.func.count()).select_from(CommentReport)
        assert db.session.scalar(reports) == 0
