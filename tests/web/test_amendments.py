"""Amendments: filing against a section, double submits, supports, withdrawal, decisions."""

import io
import re
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from advocacy.demo.walk import skip_to
from advocacy.models import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    AmendmentSupport,
    AuditEvent,
    Notification,
    Position,
    PositionState,
    utcnow,
)
from advocacy.services import amendments as service
from advocacy.services import positions as positions_service
from tests.conftest import login, page_text, refused

BODY = (
    "Préambule.\n\n# Constat\n\nL'emploi progresse.\n\n# Propositions\n\nRelocaliser."
)


@pytest.fixture
def position(walk_position, representative, network):
    return walk_position(
        lead=network, by=representative, until="consultation", body=BODY, days=14
    )


@pytest.fixture
def member(create_user, create_network):
    return create_user(
        email="membre@example.org",
        display_name="Membre Mutuelle",
        networks=[create_network(name="Mutuelle de Sarthe")],
    )


@pytest.fixture
def third(create_user, create_network):
    return create_user(
        email="tiers@example.org",
        display_name="Tiers Coop",
        networks=[create_network(name="Coopérative d'habitants")],
    )


def section(position, index=1):
    return position.current_revision.sections[index]["id"]


def token_of(client, position):
    html = client.get(
        f"/positions/{position.id}/amendments/new?section={section(position)}"
    ).get_data(as_text=True)
    return re.search(r'name="form_token" type="hidden" value="([^"]+)"', html).group(1)


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def filed(app, db, position, member):
    amendment, _ = service.file_amendment(
        position,
        section_id=section(position),
        kind=AmendmentKind.REPLACE,
        proposed="# Constat\n\nL'emploi progresse, surtout dans l'ESS.",
        rationale="Les chiffres de l'observatoire le montrent.",
        network=member.memberships[0].network,
        by=member,
        form_token=service.new_form_token(),
    )
    db.session.commit()
    return amendment


class TestFiling:
    def test_file_with_preview_then_once_only(self, client, position, member, db):
        login(client, member)
        token = token_of(client, position)
        data = {
            "section": section(position),
            "kind": "replace",
            "proposed": "# Constat\n\nL'emploi progresse nettement.",
            "rationale": "Plus précis.",
            "form_token": token,
        }
        preview = client.post(
            f"/positions/{position.id}/amendments/new",
            data=data | {"action": "preview"},
        )
        assert preview.status_code == 200 and "<ins>" in preview.get_data(as_text=True)
        assert count(db, Amendment) == 0
        first = client.post(
            f"/positions/{position.id}/amendments/new", data=data | {"action": "file"}
        )
        again = client.post(
            f"/positions/{position.id}/amendments/new", data=data | {"action": "file"}
        )
        assert first.status_code == again.status_code == 302
        assert first.headers["Location"] == again.headers["Location"]
        assert count(db, Amendment) == 1
        amendment = db.session.scalar(sa.select(Amendment))
        assert amendment.number == 1 and amendment.section_text.startswith("# Constat")
        page = page_text(client.get(first.headers["Location"]))
        assert "Amendement 1" in page and "nettement" in page and "Plus précis." in page

    def test_the_margin_counts_amendments(self, client, position, filed, member):
        login(client, member)
        assert "1 amendement" in page_text(client.get(f"/positions/{position.id}"))

    @pytest.mark.parametrize(
        "change,status,message",
        [
            ({"rationale": ""}, 400, "Expliquez pourquoi"),
            ({"rationale": "x" * 5001}, 400, "5 000 caractères"),
            ({"proposed": "x" * 50_001}, 400, "50 000 caractères"),
            (
                {"proposed": "", "kind": "replace"},
                400,
                "Écrivez le texte que vous proposez",
            ),
            ({"kind": "rewrite"}, 400, "Choisissez l'une des options"),
            ({"section": "s-00000000"}, 400, "pas un choix valide"),
            ({"section": ""}, 400, "Choisissez la section"),
        ],
    )
    def test_bad_amendments_file_nothing(
        self, client, position, member, db, change, status, message
    ):
        login(client, member)
        data = {
            "section": section(position),
            "kind": "replace",
            "proposed": "Nouveau.",
            "rationale": "Parce que.",
            "form_token": token_of(client, position),
            "action": "file",
        } | change
        response = client.post(f"/positions/{position.id}/amendments/new", data=data)
        assert response.status_code == status
        assert message in page_text(response)
        assert count(db, Amendment) == 0

    def test_another_positions_section_is_refused(
        self, app, client, position, member, network, representative, db
    ):
        other = positions_service.create_position(
            title="Autre",
            summary="",
            body="Ailleurs.\n\n# Autre section\n\nTexte.",
            lead=network,
            themes=[],
            arenas=[],
            by=representative,
        )
        db.session.commit()
        login(client, member)
        response = client.post(
            f"/positions/{position.id}/amendments/new",
            data={
                "section": section(other),
                "kind": "replace",
                "proposed": "x",
                "rationale": "y",
                "form_token": token_of(client, position),
                "action": "file",
            },
        )
        assert response.status_code == 400
        assert count(db, Amendment) == 0

    def test_a_delete_needs_no_text(self, client, position, member, db):
        login(client, member)
        response = client.post(
            f"/positions/{position.id}/amendments/new",
            data={
                "section": section(position, 2),
                "kind": "delete",
                "proposed": "",
                "rationale": "Redondant.",
                "form_token": token_of(client, position),
                "action": "file",
            },
        )
        assert response.status_code == 302
        assert db.session.scalar(sa.select(Amendment)).kind is AmendmentKind.DELETE

    def test_no_amendment_outside_the_consultation(self, client, position, member, db):
        position = db.session.get(Position, position.id)
        position.consultation_closes_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        login(client, member)
        assert client.get(f"/positions/{position.id}/amendments/new").status_code == 409
        assert (
            client.post(
                f"/positions/{position.id}/amendments/new",
                data={
                    "section": section(position),
                    "kind": "replace",
                    "proposed": "x",
                    "rationale": "y",
                    "form_token": "t" * 43,
                    "action": "file",
                },
            ).status_code
            == 409
        )
        assert count(db, Amendment) == 0

    def test_someone_without_network_cannot_file(self, client, position, staff, db):
        login(client, staff)
        refused(client.get(f"/positions/{position.id}/amendments/new"), 403)
        assert count(db, Amendment) == 0


class TestSupportsAndDecisions:
    def test_other_networks_support_once(self, client, position, filed, third, db):
        login(client, third)
        path = f"/positions/{position.id}/amendments/{filed.number}/support"
        network_id = third.memberships[0].network_id
        assert client.post(path, data={"network": network_id}).status_code == 302
        response = client.post(path, data={"network": network_id})
        assert response.status_code in (400, 409)
        assert count(db, AmendmentSupport) == 1

    def test_one_cannot_support_ones_own_amendment(
        self, client, position, filed, member, db
    ):
        login(client, member)
        response = client.post(
            f"/positions/{position.id}/amendments/{filed.number}/support",
            data={"network": member.memberships[0].network_id},
        )
        assert response.status_code == 403
        assert count(db, AmendmentSupport) == 0

    def test_a_support_for_a_network_i_do_not_represent(
        self, client, position, filed, third, representative, db
    ):
        login(client, third)
        response = client.post(
            f"/positions/{position.id}/amendments/{filed.number}/support",
            data={"network": representative.memberships[0].network_id},
        )
        assert response.status_code == 400
        assert count(db, AmendmentSupport) == 0

    def test_the_author_withdraws(self, client, position, filed, member, db):
        login(client, member)
        assert (
            client.post(
                f"/positions/{position.id}/amendments/{filed.number}/withdraw"
            ).status_code
            == 302
        )
        assert db.session.get(Amendment, filed.id).status is AmendmentStatus.WITHDRAWN
        assert (
            client.post(
                f"/positions/{position.id}/amendments/{filed.number}/withdraw"
            ).status_code
            == 409
        )

    def test_others_cannot_withdraw(self, client, position, filed, third, db):
        login(client, third)
        refused(
            client.post(f"/positions/{position.id}/amendments/{filed.number}/withdraw"),
            403,
        )
        db.session.expire_all()
        assert db.session.get(Amendment, filed.id).status is AmendmentStatus.FILED

    @pytest.mark.parametrize(
        "decision,status",
        [
            ("to_vote", AmendmentStatus.TO_VOTE),
            ("integrate", AmendmentStatus.INTEGRATED),
        ],
    )
    def test_the_lead_decides(
        self, client, position, filed, representative, db, decision, status
    ):
        login(client, representative)
        response = client.post(
            f"/positions/{position.id}/amendments/{filed.number}/decide",
            data={"decision": decision, "reason": ""},
        )
        assert response.status_code == 302
        assert db.session.get(Amendment, filed.id).status is status
        assert db.session.scalar(
            sa.select(AuditEvent).filter_by(action="amendment.decide")
        ).payload["status"] == ["filed", status.value]

    def test_declining_needs_a_reason_shown_to_all(
        self, client, position, filed, representative, member, db
    ):
        login(client, representative)
        path = f"/positions/{position.id}/amendments/{filed.number}/decide"
        response = client.post(path, data={"decision": "decline", "reason": ""})
        assert response.status_code == 400
        assert "Dites pourquoi" in page_text(response)
        assert db.session.get(Amendment, filed.id).status is AmendmentStatus.FILED
        assert (
            client.post(
                path,
                data={
                    "decision": "decline",
                    "reason": "Déjà couvert par la section 3.",
                },
            ).status_code
            == 302
        )
        client.post("/logout")
        login(client, member)
        assert "Déjà couvert par la section 3." in page_text(
            client.get(f"/positions/{position.id}/amendments/{filed.number}")
        )

    @pytest.mark.parametrize(
        "data",
        [
            {"decision": "approve"},
            {"decision": ""},
            {"decision": "decline", "reason": "x" * 2001},
        ],
    )
    def test_bad_decisions(self, client, position, filed, representative, db, data):
        login(client, representative)
        assert (
            client.post(
                f"/positions/{position.id}/amendments/{filed.number}/decide", data=data
            ).status_code
            == 400
        )
        assert db.session.get(Amendment, filed.id).status is AmendmentStatus.FILED

    def test_only_the_lead_decides(self, client, position, filed, third, db):
        login(client, third)
        refused(
            client.post(
                f"/positions/{position.id}/amendments/{filed.number}/decide",
                data={"decision": "to_vote"},
            ),
            403,
        )
        db.session.expire_all()
        assert db.session.get(Amendment, filed.id).status is AmendmentStatus.FILED

    def test_unknown_amendments(self, client, position, member, db):
        login(client, member)
        refused(
            client.get(f"/positions/{position.id}/amendments/99"),
            404,
            "Cette position n'a pas d'amendement 99.",
        )
        refused(client.post(f"/positions/{position.id}/amendments/99/support"), 404)
        refused(
            client.get(f"/positions/{position.id}/amendments/?status=lost"),
            400,
            "État inconnu.",
        )
        assert count(db, AmendmentSupport) == 0

    def test_the_list_filters_and_costs_the_same(
        self, app, client, position, member, db, count_queries
    ):
        login(client, member)
        network = member.memberships[0].network

        def add(n):
            for _ in range(n):
                service.file_amendment(
                    position,
                    section_id=section(position),
                    kind=AmendmentKind.DELETE,
                    proposed="",
                    rationale="r",
                    network=network,
                    by=member,
                    form_token=service.new_form_token(),
                )
            db.session.commit()

        add(1)
        with count_queries() as small:
            assert (
                client.get(f"/positions/{position.id}/amendments/").status_code == 200
            )
        with count_queries() as page_small:
            assert client.get(f"/positions/{position.id}").status_code == 200
        add(49)
        with count_queries() as large:
            assert (
                client.get(f"/positions/{position.id}/amendments/").status_code == 200
            )
        with count_queries() as page_large:
            assert client.get(f"/positions/{position.id}").status_code == 200
        assert large.count == small.count
        assert page_large.count == page_small.count
        assert "50 amendements" in page_text(client.get(f"/positions/{position.id}"))
        assert (
            client.get(
                f"/positions/{position.id}/amendments/?status=withdrawn"
            ).status_code
            == 200
        )

    def test_the_state_is_checked(self, position, filed, db):
        skip_to(position, PositionState.DRAFT)
        db.session.commit()
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.text("UPDATE amendments SET status = 'maybe'"))
            db.session.flush()
        db.session.rollback()


def test_members_discuss_an_amendment(client, position, filed, third, db):
    from advocacy.models import Comment

    login(client, third)
    path = f"/positions/{position.id}/amendments/{filed.number}"
    assert (
        client.post(
            f"{path}/comments", data={"body": "Nous soutenons l'idée."}
        ).status_code
        == 302
    )
    assert client.post(f"{path}/comments", data={"body": ""}).status_code == 400
    comment = db.session.scalar(sa.select(Comment))
    assert comment.amendment_id == filed.id and comment.section_id == filed.section_id
    assert "Nous soutenons l'idée." in page_text(client.get(path))
    # Comments on amendments stay with the amendment, not in the text's discussion.
    assert "Nous soutenons l'idée." not in page_text(
        client.get(f"/positions/{position.id}")
    )


NOTED = (
    "Préambule.\n\n# Constat\n\nL'emploi progresse[^1] dans l'ESS.\n\n"
    "- en Vendée\n- en Mayenne\n\n"
    "[^1]: Observatoire régional de l'ESS, 2024.\n\n# Propositions\n\nRelocaliser."
)


@pytest.fixture
def noted(walk_position, representative, network):
    return walk_position(
        lead=network, by=representative, until="consultation", body=NOTED, days=14
    )


def proposed_in(html: str) -> str:
    """The proposed text as the form shows it (the textarea's content)."""
    found = re.search(
        r'<textarea[^>]*name="proposed"[^>]*>\r?\n?(.*?)</textarea>', html, re.S
    )
    return unescape(found.group(1))


class TestProposingFromTheText:
    def test_the_form_opens_on_a_chosen_section_with_its_text(
        self, client, position, member
    ):
        login(client, member)
        url = f"/positions/{position.id}/amendments/new"
        chooser = page_text(client.get(url))
        assert "Quelle section" in chooser and "Amender « Constat »" in chooser
        assert 'name="proposed"' not in chooser
        page = client.get(f"{url}?section={section(position)}").get_data(as_text=True)
        assert proposed_in(page) == "# Constat\n\nL'emploi progresse."
        missing = client.get(f"{url}?section=s-00000000")
        assert missing.status_code == 404
        assert "Cette section n'existe pas dans le texte actuel" in page_text(missing)

    @pytest.mark.parametrize(
        "kind,message",
        [
            ("replace", "le texte proposé est la section telle qu'elle est"),
            ("insert_after", "écrivez seulement la nouvelle section"),
        ],
    )
    def test_the_section_left_as_it_is_is_refused(
        self, client, position, member, db, kind, message
    ):
        login(client, member)
        response = client.post(
            f"/positions/{position.id}/amendments/new",
            data={
                "section": section(position),
                "kind": kind,
                "proposed": "# Constat\n\nL'emploi progresse.",
                "rationale": "Parce que.",
                "form_token": token_of(client, position),
                "action": "file",
            },
        )
        assert response.status_code == 400
        assert message in page_text(response).lower()
        assert count(db, Amendment) == 0

    def test_a_dropped_note_link_or_item_is_named_before_filing(
        self, client, noted, member, db
    ):
        login(client, member)
        data = {
            "section": section(noted),
            "kind": "replace",
            # retyped from memory: the note and the second item are gone
            "proposed": "# Constat\n\nL'emploi progresse nettement.\n\n- en Vendée",
            "rationale": "Plus net.",
            "form_token": token_of(client, noted),
            "action": "file",
        }
        url = f"/positions/{noted.id}/amendments/new"
        warned = client.post(url, data=data)
        text = page_text(warned)
        assert warned.status_code == 400 and count(db, Amendment) == 0
        assert "Cette modification retirerait de la section" in text
        assert "la note « Observatoire régional de l'ESS, 2024. »" in unescape(text)
        assert "l'élément de liste « en Mayenne »" in unescape(text)
        assert "L'emploi progresse nettement." in unescape(text)  # nothing retyped
        meant = client.post(url, data=data | {"accept_losses": "y"})
        assert meant.status_code == 302 and count(db, Amendment) == 1

    def test_the_change_reads_with_its_note_not_its_markdown(
        self, client, noted, member
    ):
        login(client, member)
        url = f"/positions/{noted.id}/amendments/new"
        form = client.get(f"{url}?section={section(noted)}").get_data(as_text=True)
        preview = client.post(
            url,
            data={
                "section": section(noted),
                "kind": "replace",
                "proposed": proposed_in(form).replace("progresse", "progresse vite"),
                "rationale": "Plus net.",
                "form_token": token_of(client, noted),
                "action": "preview",
            },
        )
        html = unescape(preview.get_data(as_text=True))
        start = html.index('class="text rendered diff-rendered"')
        change = html[start : html.index("<details", start)]
        assert re.search(r"<ins>.*vite", change)
        assert "[^1]" not in change and "Observatoire régional" in change
        assert "cochez" not in page_text(preview)  # nothing would be lost

    def test_an_edited_section_keeps_its_note_to_the_published_pdf(
        self, client, noted, member, representative, staff, db
    ):
        from pypdf import PdfReader

        from advocacy.services import consolidation, statements, votes

        login(client, member)
        url = f"/positions/{noted.id}/amendments/new"
        form = client.get(f"{url}?section={section(noted)}").get_data(as_text=True)
        response = client.post(
            url,
            data={
                "section": section(noted),
                "kind": "replace",
                # as a browser sends it: lines ended by CRLF
                "proposed": proposed_in(form)
                .replace("progresse", "progresse vite")
                .replace("\n", "\r\n"),
                "rationale": "Plus net.",
                "form_token": token_of(client, noted),
                "action": "file",
            },
        )
        assert response.status_code == 302
        amendment = db.session.scalar(sa.select(Amendment))
        assert "\r" not in amendment.proposed
        position = db.session.get(Position, noted.id)
        service.decide_amendment(
            amendment, position, decision="integrate", reason="", by=representative
        )
        position.consultation_closes_at = utcnow() - timedelta(seconds=1)
        votes.open_vote(
            position, closes_at=utcnow() + timedelta(days=1), by=representative
        )
        position.vote_closes_at = utcnow() - timedelta(seconds=1)
        votes.close_vote(position, by=representative)
        consolidation.apply_amendments(position, by=representative)
        skip_to(position, PositionState.APPROVED)
        version = statements.publish_statement(position, by=staff)
        db.session.commit()
        public = page_text(client.get(f"/statements/{version.statement.slug}"))
        assert "L'emploi progresse vite" in unescape(public)
        assert "Observatoire régional de l'ESS, 2024." in unescape(public)
        pdf = client.get(f"/statements/{version.statement.slug}/v1.pdf")
        text = " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages
        )
        assert "progresse vite" in text and "Observatoire régional" in text


class TestRewording:
    """can_edit_amendment: the filing network rewords its amendment until the vote
    opens; every wording is kept and shown, and the networks backing it are told."""

    def url(self, position, amendment):
        return f"/positions/{position.id}/amendments/{amendment.number}/edit"

    def data(self, **change):
        return {
            "kind": "replace",
            "proposed": "# Constat\n\nL'emploi progresse, surtout dans l'ESS rurale.",
            "rationale": "Les chiffres de l'observatoire le montrent.",
            "action": "save",
        } | change

    def test_the_filing_network_rewords_and_supporters_are_told(
        self, client, position, filed, member, third, db
    ):
        service.support_amendment(
            filed,
            position,
            network=third.memberships[0].network,
            by=third,
        )
        db.session.commit()
        login(client, member)
        form = client.get(self.url(position, filed)).get_data(as_text=True)
        assert "L'emploi progresse, surtout dans l'ESS." in unescape(
            form
        )  # as it reads
        response = client.post(self.url(position, filed), data=self.data())
        assert response.status_code == 302
        amendment = db.session.get(Amendment, filed.id)
        assert [v.number for v in amendment.versions] == [1, 2]
        assert amendment.proposed.endswith("dans l'ESS rurale.")
        assert amendment.versions[0].proposed.endswith("dans l'ESS.")  # kept
        page = client.get(f"/positions/{position.id}/amendments/{filed.number}")
        html = unescape(page.get_data(as_text=True))
        assert "Ses formulations successives" in html and "reformulée par" in html
        assert re.search(r"<ins>.*rurale", html)  # what changed, as it reads
        told = db.session.scalars(
            sa.select(Notification).where(Notification.kind == "amendment_edited")
        ).all()
        assert [n.user_id for n in told] == [third.id]  # the supporter, not the author
        edits = sa.select(AuditEvent).filter_by(action="amendment.edit")
        assert len(db.session.scalars(edits).all()) == 1

    def test_an_unchanged_wording_keeps_one_version(
        self, client, position, filed, member, db
    ):
        login(client, member)
        response = client.post(
            self.url(position, filed),
            data=self.data(proposed=filed.proposed),
            follow_redirects=True,
        )
        assert "Rien n'a changé" in unescape(page_text(response))
        assert len(db.session.get(Amendment, filed.id).versions) == 1

    def test_other_networks_may_not_reword(
        self, client, position, filed, third, representative
    ):
        for person in (third, representative):  # another network, the lead
            login(client, person)
            refused(client.get(self.url(position, filed)), 403)
            refused(client.post(self.url(position, filed), data=self.data()), 403)
            page = client.get(f"/positions/{position.id}/amendments/{filed.number}")
            assert "Reformuler cet amendement" not in unescape(page_text(page))

    def test_no_rewording_once_the_vote_opens_or_once_declined(
        self, client, position, filed, member, representative, db
    ):
        login(client, member)
        service.decide_amendment(
            filed, position, decision="decline", reason="Hors sujet.", by=representative
        )
        db.session.commit()
        refused(client.post(self.url(position, filed), data=self.data()), 409)
        skip_to(position, PositionState.VOTE)
        db.session.commit()
        refused(client.get(self.url(position, filed)), 409)
        assert len(db.session.get(Amendment, filed.id).versions) == 1

    @pytest.mark.parametrize(
        "change,message",
        [
            ({"rationale": ""}, "Expliquez pourquoi"),
            ({"rationale": "x" * 5001}, "5 000 caractères"),
            ({"proposed": "x" * 50_001}, "50 000 caractères"),
            ({"proposed": ""}, "Écrivez le texte que vous proposez"),
            ({"proposed": "# Constat\n\nL'emploi progresse."}, "telle qu'elle est"),
            ({"kind": "rewrite"}, "Choisissez l'une des options"),
        ],
    )
    def test_bad_rewordings_change_nothing(
        self, client, position, filed, member, db, change, message
    ):
        login(client, member)
        response = client.post(self.url(position, filed), data=self.data(**change))
        assert response.status_code == 400
        assert message in unescape(page_text(response))
        amendment = db.session.get(Amendment, filed.id)
        assert len(amendment.versions) == 1 and amendment.proposed.endswith("l'ESS.")

    def test_an_unknown_amendment(self, client, position, member):
        login(client, member)
        assert (
            client.get(f"/positions/{position.id}/amendments/99/edit").status_code
            == 404
        )
