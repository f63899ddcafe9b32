"""The drafting room over HTTP: who may see and do what, bad input, cost per page."""

import re
from html import unescape

import pytest
import sqlalchemy as sa

from advocacy.models import (
    AuditEvent,
    CoAuthor,
    Position,
    PositionState,
    Revision,
    Theme,
)
from advocacy.services import positions as service
from tests.conftest import IS_POSTGRES, login, page_text, refused, sent_to_sign_in

BODY = (
    "Préambule.\n\n# Constat\n\nL'emploi progresse.\n\n# Propositions\n\nRelocaliser."
)


@pytest.fixture
def theme(db):
    theme = Theme(
        slug="emploi-durable", name_fr="Emploi durable", name_en="Sustainable jobs"
    )
    db.session.add(theme)
    db.session.commit()
    return theme


@pytest.fixture
def partner(create_network):
    return create_network(name="Mutuelle solidaire de Vendée", slug="mutuelle-85")


@pytest.fixture
def position(app, db, representative, network, partner):
    position = service.create_position(
        title="Pour un emploi durable",
        summary="Ce que nous demandons.",
        body=BODY,
        lead=network,
        themes=[],
        arenas=[],
        by=representative,
    )
    service.add_coauthor(position, partner, by=representative)
    db.session.commit()
    return position


@pytest.fixture
def coauthor_rep(create_user, partner):
    return create_user(
        email="coauteur@example.org", display_name="Co-autrice", networks=[partner]
    )


@pytest.fixture
def outsider(create_user, create_network):
    return create_user(
        email="autre@example.org",
        display_name="Autre membre",
        networks=[create_network(name="Réseau tiers")],
    )


def form_of(client, position):
    html = client.get(f"/positions/{position.id}/edit").get_data(as_text=True)
    base = re.search(r'name="base_revision" type="hidden" value="(\d+)"', html).group(1)
    return {
        "title": position.title,
        "summary": position.summary,
        "body": BODY,
        "base_revision": base,
        "message": "",
        "action": "save",
    }


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


class TestWhoMay:
    PAGES = ["", "/history", "/v1", "/compare", "/edit"]

    @pytest.mark.parametrize("suffix", PAGES)
    def test_the_public_gets_404(self, client, position, suffix):
        text = refused(client.get(f"/positions/{position.id}{suffix}"), 404)
        assert "Pour un emploi durable" not in text

    def test_the_public_gets_404_for_every_action(self, client, position, db):
        events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        for action in (
            "edit",
            "withdraw",
            "coauthors",
            "details",
            "v1/restore",
            f"coauthors/{position.lead_network_id}/remove",
        ):
            refused(client.post(f"/positions/{position.id}/{action}"), 404)
        sent_to_sign_in(client.get("/positions/"))
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
            == events
        )

    def test_someone_without_a_network_gets_404(self, client, position, create_user):
        login(client, create_user())
        assert "Pour un emploi durable" not in refused(
            client.get(f"/positions/{position.id}"), 404
        )
        refused(client.get("/positions/"), 403)

    def test_any_member_reads_but_only_authors_edit(self, client, position, outsider):
        login(client, outsider)
        page = page_text(client.get(f"/positions/{position.id}"))
        assert "Pour un emploi durable" in page and "Modifier" not in page
        assert client.get(f"/positions/{position.id}/edit").status_code == 403
        assert (
            client.post(
                f"/positions/{position.id}/edit", data={"title": "x"}
            ).status_code
            == 403
        )

    def test_a_coauthor_edits_but_does_not_manage_coauthors(
        self, client, position, coauthor_rep, create_network, db
    ):
        login(client, coauthor_rep)
        assert client.get(f"/positions/{position.id}/edit").status_code == 200
        third = create_network(name="Réseau invité")
        assert (
            client.post(
                f"/positions/{position.id}/coauthors", data={"network": third.id}
            ).status_code
            == 403
        )
        assert (
            client.post(
                f"/positions/{position.id}/withdraw", data={"reason": "non"}
            ).status_code
            == 403
        )
        assert count(db, CoAuthor) == 1

    def test_the_lead_manages_coauthors(
        self, client, position, representative, create_network, db
    ):
        third = create_network(name="Réseau invité")
        login(client, representative)
        assert (
            client.post(
                f"/positions/{position.id}/coauthors", data={"network": third.id}
            ).status_code
            == 302
        )
        assert (
            client.post(
                f"/positions/{position.id}/coauthors/{third.id}/remove"
            ).status_code
            == 302
        )
        actions = db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.object_type == "position")
            .order_by(AuditEvent.id)
        ).all()
        assert actions[-2:] == ["position.coauthor_add", "position.coauthor_remove"]

    def test_staff_may_do_everything(self, client, position, staff):
        login(client, staff)
        assert client.get(f"/positions/{position.id}/edit").status_code == 200
        response = client.post(
            f"/positions/{position.id}/edit",
            data=form_of(client, position) | {"body": BODY + "\n\nAjout de l'équipe."},
        )
        assert response.status_code == 302
        assert "Ajout de l'équipe." in page_text(
            client.get(f"/positions/{position.id}")
        )

    def test_the_edit_link_is_shown_to_authors_only(
        self, client, position, representative
    ):
        login(client, representative)
        assert f'href="/positions/{position.id}/edit"' in client.get(
            f"/positions/{position.id}"
        ).get_data(as_text=True)


class TestCreate:
    def test_a_member_creates_a_position_for_their_network(
        self, client, representative, network, theme, db
    ):
        login(client, representative)
        response = client.post(
            "/positions/new",
            data={
                "title": "Bien vieillir à domicile",
                "summary": "Résumé.",
                "body": BODY,
                "lead": network.id,
                "themes": [theme.id],
                "arenas": ["regional", "national"],
            },
        )
        assert response.status_code == 302
        position = db.session.scalar(sa.select(Position))
        assert (
            position.lead_network_id == network.id
            and position.state is PositionState.DRAFT
        )
        assert [t.slug for t in position.themes] == ["emploi-durable"]
        assert [a.value for a in position.arenas] == ["regional", "national"]
        page = page_text(client.get(response.headers["Location"]))
        assert "Bien vieillir à domicile" in page and 'id="h-constat"' in page

    @pytest.mark.parametrize(
        "change,message",
        [
            ({"title": ""}, "Donnez un titre à la position."),
            ({"title": "x" * 201}, "200 caractères"),
            ({"summary": "x" * 1001}, "1 000 caractères"),
            ({"body": "x" * 200_001}, "200 000 caractères"),
            ({"lead": "99999"}, "N'est pas un choix valide"),
            ({"lead": "abc"}, "Choix non valide"),
            ({"lead": "{other}"}, "N'est pas un choix valide"),
            ({"themes": ["424242"]}, "pas un choix valide"),
            ({"arenas": ["galactic"]}, "pas un choix valide"),
        ],
    )
    def test_bad_input_creates_nothing(
        self, client, representative, network, outsider, theme, db, change, message
    ):
        login(client, representative)
        data = {
            "title": "Titre",
            "summary": "",
            "body": BODY,
            "lead": network.id,
            "arenas": ["regional"],
        }
        other = outsider.memberships[0].network_id
        data.update(
            {
                k: (v.format(other=other) if isinstance(v, str) else v)
                for k, v in change.items()
            }
        )
        response = client.post("/positions/new", data=data)
        assert response.status_code == 400
        assert message in page_text(response)
        assert count(db, Position) == 0 and count(db, Revision) == 0


def another_position(db, network, by):
    """A second position, whose versions the first one's forms must refuse."""
    other = service.create_position(
        title="Autre",
        summary="",
        body="Autre texte.",
        lead=network,
        themes=[],
        arenas=[],
        by=by,
    )
    db.session.commit()
    return other


class TestEdit:
    def test_save_then_history_compare_and_restore(
        self, client, position, representative, db
    ):
        login(client, representative)
        data = form_of(client, position) | {
            "body": BODY.replace("progresse", "progresse vite"),
            "message": "précision",
        }
        response = client.post(
            f"/positions/{position.id}/edit", data=data, follow_redirects=True
        )
        assert "Enregistré comme version 2." in page_text(response)
        history = page_text(client.get(f"/positions/{position.id}/history"))
        assert "précision" in history and "Version 2" in history
        diff = page_text(client.get(f"/positions/{position.id}/compare?from=1&to=2"))
        assert "<ins>" in diff and "vite" in diff
        side = page_text(
            client.get(f"/positions/{position.id}/compare?from=1&to=2&view=side")
        )
        assert 'class="data diff-side"' in side
        assert client.post(f"/positions/{position.id}/v1/restore").status_code == 302
        assert db.session.get(Position, position.id).current_revision.body == BODY

    def test_a_stale_save_is_merged_and_the_author_told(
        self, app, client, position, representative, coauthor_rep, db
    ):
        login(client, representative)
        stale = form_of(client, position)
        other = app.test_client()
        login(other, coauthor_rep)
        other.post(
            f"/positions/{position.id}/edit",
            data=form_of(other, position)
            | {"body": BODY.replace("Préambule.", "Préambule revu.")},
        )
        response = client.post(
            f"/positions/{position.id}/edit",
            data=stale
            | {"body": BODY.replace("Relocaliser.", "Relocaliser les achats.")},
            follow_redirects=True,
        )
        text = page_text(response)
        assert "Co-autrice" in text and "fusionnées" in text
        body = db.session.get(Position, position.id).current_revision.body
        assert "Préambule revu." in body and "Relocaliser les achats." in body

    def conflicted(self, app, client, position, representative, coauthor_rep):
        """Two co-authors change the same sentence; the second save conflicts."""
        login(client, representative)
        stale = form_of(client, position)
        other = app.test_client()
        login(other, coauthor_rep)
        other.post(
            f"/positions/{position.id}/edit",
            data=form_of(other, position)
            | {
                "body": BODY.replace("L'emploi progresse.", "Version de la co-autrice.")
            },
        )
        return client.post(
            f"/positions/{position.id}/edit",
            data=stale
            | {
                "body": BODY.replace("L'emploi progresse.", "Ma version.").replace(
                    "Relocaliser.", "Relocaliser les achats."
                )
            },
        )

    def resolution(self, page) -> dict:
        """What the conflict page's form posts, before any choice."""
        html = page.get_data(as_text=True)
        form = html[html.index('action="/positions/') :]
        data = {}
        for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', form):
            name = re.search(r'name="([^"]+)"', tag).group(1)
            data[name] = unescape(re.search(r'value="([^"]*)"', tag).group(1))
        data["message"] = "accord"
        return data

    @pytest.mark.parametrize(
        "choice,edited,expected",
        [
            ("mine", "", "Ma version."),
            ("theirs", "", "Version de la co-autrice."),
            ("both", "", "Version de la co-autrice.\nMa version."),
            ("edit", "Version commune.", "Version commune."),
        ],
    )
    def test_a_conflict_is_settled_by_a_choice_never_by_markers(
        self,
        app,
        client,
        position,
        representative,
        coauthor_rep,
        db,
        choice,
        edited,
        expected,
    ):
        page = self.conflicted(app, client, position, representative, coauthor_rep)
        assert page.status_code == 409
        html = page.get_data(as_text=True)
        text = page_text(page)
        # both wordings, side by side, their differing words marked
        assert re.search(r"<del>.*co-autrice.*</del>", text)
        assert re.search(r"<ins>.*Ma version.*</ins>", text)  # one mark
        assert "<<<<<<<" not in html and "=======" not in html
        assert "Garder la mienne" in text and "Garder les deux" in text
        assert count(db, Revision) == 2  # nothing saved
        data = self.resolution(page) | {"pick-body-0": choice, "edit-body-0": edited}
        response = client.post(f"/positions/{position.id}/resolve", data=data)
        assert response.status_code == 302
        body = db.session.get(Position, position.id).current_revision.body
        assert expected in body
        assert "Relocaliser les achats." in body  # what did not conflict is kept
        assert "<<<<<<<" not in body

    @pytest.mark.parametrize(
        "change,status,message",
        [
            ({}, 400, "Choisissez une formulation pour le passage 1 du texte"),
            ({"pick-body-0": "all"}, 400, "Choisissez la formulation à garder"),
            (
                {"pick-body-0": "mine", "started_from": "abc"},
                400,
                "Les versions à concilier ne sont pas valides",
            ),
            (
                {"pick-body-0": "mine", "base_revision": "999999"},
                400,
                "Les versions à concilier ne sont pas valides",
            ),
            (
                {"pick-body-0": "mine", "base_revision": "{other_revision}"},
                400,
                "Les versions à concilier ne sont pas valides",
            ),
            (
                {"pick-body-0": "edit", "edit-body-0": "x" * 200_001},
                400,
                "200 000 caractères",
            ),
        ],
    )
    def test_bad_resolutions_save_nothing_and_keep_the_choices(
        self,
        app,
        client,
        position,
        representative,
        coauthor_rep,
        network,
        db,
        change,
        status,
        message,
    ):
        other = another_position(db, network, representative)
        page = self.conflicted(app, client, position, representative, coauthor_rep)
        data = self.resolution(page) | {
            k: v.format(other_revision=other.current_revision_id)
            for k, v in change.items()
        }
        response = client.post(f"/positions/{position.id}/resolve", data=data)
        assert response.status_code == status
        assert message in unescape(page_text(response))
        assert count(db, Revision) == 3  # two of this position, one of the other

    def test_a_save_meanwhile_is_merged_into_the_resolution(
        self, app, client, position, representative, coauthor_rep, db
    ):
        page = self.conflicted(app, client, position, representative, coauthor_rep)
        third = app.test_client()
        login(third, coauthor_rep)
        third.post(
            f"/positions/{position.id}/edit",
            data=form_of(third, position)
            | {
                "body": BODY.replace(
                    "L'emploi progresse.", "Version de la co-autrice."
                ).replace("Préambule.", "Préambule revu.")
            },
        )
        data = self.resolution(page) | {"pick-body-0": "mine"}
        assert (
            client.post(f"/positions/{position.id}/resolve", data=data).status_code
            == 302
        )
        body = db.session.get(Position, position.id).current_revision.body
        assert "Préambule revu." in body and "Ma version." in body

    @pytest.mark.parametrize(
        "change,status,message",
        [
            ({"title": ""}, 400, "Donnez un titre à la position."),
            ({"message": "x" * 201}, 400, "200 caractères au plus."),
            ({"body": "x" * 200_001}, 400, "200 000 caractères"),
            ({"base_revision": ""}, 400, "la version de départ"),
            ({"base_revision": "abc"}, 400, "n'est pas valide"),
            ({"base_revision": "999999"}, 400, "n'existe pas"),
            (
                {"base_revision": "{other_revision}"},
                400,
                "n'appartient pas à cette position",
            ),
        ],
    )
    def test_bad_edits_save_nothing(
        self,
        app,
        client,
        position,
        representative,
        network,
        db,
        change,
        status,
        message,
    ):
        other = another_position(db, network, representative)
        login(client, representative)
        data = form_of(client, position) | {"body": BODY + "\n\nAjout."}
        data.update(
            {
                k: v.format(other_revision=other.current_revision_id)
                for k, v in change.items()
            }
        )
        before = count(db, Revision)
        response = client.post(f"/positions/{position.id}/edit", data=data)
        assert response.status_code == status
        assert message in page_text(response)
        assert count(db, Revision) == before

    def test_the_preview_is_sanitised(self, client, position, representative):
        login(client, representative)
        response = client.post(
            "/positions/preview", data={"body": "# Titre\n\n<script>alert(1)</script>"}
        )
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert '<h2 id="h-titre">' in html and "<script" not in html
        assert (
            client.post("/positions/preview", data={"body": "x" * 200_001}).status_code
            == 400
        )

    def test_the_no_script_preview_keeps_the_form(
        self, client, position, representative, db
    ):
        login(client, representative)
        data = form_of(client, position) | {
            "action": "preview",
            "body": "# Aperçu\n\nTexte.",
        }
        response = client.post(f"/positions/{position.id}/edit", data=data)
        assert response.status_code == 200
        assert 'id="h-apercu"' in page_text(response)
        assert count(db, Revision) == 1

    def test_a_withdrawn_position_cannot_be_edited(
        self, client, position, representative, db
    ):
        login(client, representative)
        data = form_of(client, position)
        assert (
            client.post(
                f"/positions/{position.id}/withdraw",
                data={"reason": "Repris par la fédération nationale."},
            ).status_code
            == 302
        )
        response = client.post(
            f"/positions/{position.id}/edit", data=data | {"body": "x"}
        )
        assert response.status_code == 409
        assert "retirée" in page_text(client.get(f"/positions/{position.id}"))
        assert count(db, Revision) == 1


class TestBadInput:
    def test_inviting_a_network_twice(
        self, client, position, representative, partner, db
    ):
        login(client, representative)
        response = client.post(
            f"/positions/{position.id}/coauthors", data={"network": partner.id}
        )
        assert response.status_code == 409
        assert "écrit déjà cette position" in page_text(response)
        assert count(db, CoAuthor) == 1

    @pytest.mark.parametrize("value,status", [("", 400), ("abc", 400), ("999999", 400)])
    def test_inviting_a_bad_network(
        self, client, position, representative, value, status, db
    ):
        login(client, representative)
        response = client.post(
            f"/positions/{position.id}/coauthors", data={"network": value}
        )
        assert response.status_code == status
        assert count(db, CoAuthor) == 1

    def test_removing_the_lead_network(self, client, position, representative, db):
        login(client, representative)
        response = client.post(
            f"/positions/{position.id}/coauthors/{position.lead_network_id}/remove"
        )
        assert response.status_code == 409
        assert "réseau pilote" in page_text(response)

    def test_removing_an_unknown_network(
        self, client, position, representative, create_network, db
    ):
        login(client, representative)
        stranger = create_network(name="Jamais invité")
        before = set(position.author_network_ids)
        refused(
            client.post(f"/positions/{position.id}/coauthors/{stranger.id}/remove"),
            404,
        )
        refused(client.post(f"/positions/{position.id}/coauthors/999999/remove"), 404)
        db.session.expire_all()
        assert set(db.session.get(Position, position.id).author_network_ids) == before

    @pytest.mark.parametrize(
        "reason,message", [("", "Dites pourquoi"), ("x" * 2001, "2 000 caractères")]
    )
    def test_withdrawal_needs_a_reason(
        self, client, position, representative, db, reason, message
    ):
        login(client, representative)
        response = client.post(
            f"/positions/{position.id}/withdraw", data={"reason": reason}
        )
        assert response.status_code == 400
        assert message in page_text(response)
        assert db.session.get(Position, position.id).state is PositionState.DRAFT

    def test_withdrawing_twice(self, client, position, representative, db):
        login(client, representative)
        client.post(f"/positions/{position.id}/withdraw", data={"reason": "Fin."})
        refused(
            client.post(
                f"/positions/{position.id}/withdraw", data={"reason": "Encore."}
            ),
            409,
            "Cette position ne peut plus être retirée.",
        )
        db.session.expire_all()
        assert db.session.get(Position, position.id).withdrawn_reason == "Fin."

    @pytest.mark.parametrize(
        "query,status",
        [
            ("from=abc", 400),
            ("to=-1", 400),
            ("from=1&to=99", 404),
            ("view=3d", 400),
            ("from=" + "9" * 40, 400),
        ],
    )
    def test_bad_comparisons(self, client, position, representative, query, status):
        login(client, representative)
        refused(client.get(f"/positions/{position.id}/compare?{query}"), status)

    def test_unknown_versions_and_positions(self, client, position, representative):
        login(client, representative)
        refused(
            client.get(f"/positions/{position.id}/v99"),
            404,
            "Cette position n'a pas de version 99.",
        )
        refused(client.get("/positions/999999"), 404)
        refused(client.post(f"/positions/{position.id}/v99/restore"), 404)
        assert position.current_revision.number == 1

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ("state=lost", "État : Choisissez l'une des options proposées."),
            ("arena=mars", "Échelon : Choisissez l'une des options proposées."),
            ("theme=nope", "Thématique : N'est pas un choix valide."),
            ("network=abc", "Réseau : Choix non valide"),
            ("network=999999", "Réseau : N'est pas un choix valide."),
            ("q=" + "x" * 201, "Le titre contient : 200 caractères au plus."),
            ("page=0", "Le numéro de page doit être un nombre entier à partir de 1."),
        ],
    )
    def test_bad_list_filters(self, client, position, representative, query, message):
        login(client, representative)
        text = refused(client.get(f"/positions/?{query}"), 400, message)
        assert "Pour un emploi durable" not in text  # no list from refused filters

    def test_bad_details(self, client, position, representative, db):
        login(client, representative)
        for data, message in (
            ({"arenas": ["moon"]}, "n'est pas un choix valide pour ce champ"),
            ({"themes": ["x"]}, "Choix incorrect"),
        ):
            refused(
                client.post(f"/positions/{position.id}/details", data=data),
                400,
                message,
            )
        db.session.expire_all()
        assert db.session.get(Position, position.id).themes == []


def test_list_filters(client, position, representative, theme, db, app, network):
    service.update_details(position, themes=[theme], arenas=[], by=representative)
    other = service.create_position(
        title="Jeunesse et engagement",
        summary="",
        body="",
        lead=network,
        themes=[],
        arenas=[],
        by=representative,
    )
    service.withdraw_position(other, reason="fin", by=representative)
    db.session.commit()
    login(client, representative)

    def titles(query):
        html = page_text(client.get("/positions/?" + query))
        return {
            t for t in ("Pour un emploi durable", "Jeunesse et engagement") if t in html
        }

    assert titles("") == {"Pour un emploi durable", "Jeunesse et engagement"}
    assert titles("state=withdrawn") == {"Jeunesse et engagement"}
    assert titles("theme=emploi-durable") == {"Pour un emploi durable"}
    assert titles("q=jeunesse") == {"Jeunesse et engagement"}
    assert titles(f"network={position.coauthors[0].network_id}") == {
        "Pour un emploi durable"
    }


class TestCost:
    def _grow(
        self, app, db, position, representative, create_network, revisions, coauthors
    ):
        for _ in range(coauthors):
            service.add_coauthor(position, create_network(), by=representative)
        for i in range(revisions):
            current = position.current_revision
            service.save_revision(
                position,
                title=current.title,
                summary=current.summary,
                body=current.body + f"\n\nParagraphe {i}.",
                message=f"{i}",
                base=current,
                network=position.lead_network,
                by=representative,
            )
        db.session.commit()

    @pytest.mark.parametrize("page", ["", "/history", "/compare", "/edit"])
    def test_pages_cost_the_same_with_1_or_50_revisions_and_1_or_10_coauthors(
        self,
        app,
        client,
        db,
        position,
        representative,
        create_network,
        count_queries,
        page,
    ):
        login(client, representative)
        with count_queries() as small:
            assert client.get(f"/positions/{position.id}{page}").status_code == 200
        self._grow(
            app, db, position, representative, create_network, revisions=49, coauthors=9
        )
        with count_queries() as large:
            assert client.get(f"/positions/{position.id}{page}").status_code == 200
        assert large.count == small.count, (page, small.statements, large.statements)

    def test_the_list_costs_the_same_with_more_positions(
        self, app, client, db, representative, network, theme, count_queries
    ):
        login(client, representative)

        def add(n):
            for i in range(n):
                service.create_position(
                    title=f"Position {i}",
                    summary="",
                    body="",
                    lead=network,
                    themes=[theme],
                    arenas=[],
                    by=representative,
                )
            db.session.commit()

        add(1)
        with count_queries() as small:
            client.get("/positions/")
        add(30)
        with count_queries() as large:
            client.get("/positions/")
        assert large.count == small.count


@pytest.mark.skipif(not IS_POSTGRES, reason="concurrent writers need PostgreSQL")
def test_concurrent_saves_over_http_lose_nothing(
    app, position, network, create_user, db
):
    """Six browsers post their edits at the same instant, each on its own line."""
    import threading

    lines = [f"Ligne {i}." for i in range(6)]
    writers = [
        create_user(display_name=f"Plume {i}", networks=[network]) for i in range(6)
    ]
    clients = [app.test_client() for _ in writers]
    for client, writer in zip(clients, writers, strict=True):
        login(client, writer)
    first = clients[0]
    first.post(
        f"/positions/{position.id}/edit",
        data=form_of(first, position) | {"body": "\n\n".join(lines)},
    )
    forms = [form_of(client, position) for client in clients]
    barrier = threading.Barrier(len(clients), timeout=30)
    statuses = []

    def post(index):
        body = "\n\n".join(
            f"Ligne {i} revue par {index}." if i == index else f"Ligne {i}."
            for i in range(6)
        )
        barrier.wait()
        response = clients[index].post(
            f"/positions/{position.id}/edit", data=forms[index] | {"body": body}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * 6
    db.session.expire_all()
    final = db.session.get(Position, position.id).current_revision
    for i in range(6):
        assert f"Ligne {i} revue par {i}." in final.body
    assert final.number == 8


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("coauthors", {"network": "2"}, "se choisissent tant que la position est un"),
        ("consultation/open", {}, "La consultation s'ouvre sur un brouillon."),
        ("consolidation/apply", {}, "Le texte n'est pas en consolidation"),
        ("submit", {}, "Le texte n'est pas en consolidation"),
        ("publish", {}, "Seule une position validée peut être publiée"),
        ("revise", {}, "Seule une déclaration publiée peut être révisée."),
    ],
)
def test_a_step_taken_at_the_wrong_moment_is_a_409_that_says_why(
    client, db, walk_position, network, representative, staff, path, data, message
):
    """The lead's representative (and staff) may take these steps, but not now."""
    position = walk_position(lead=network, by=representative, until="consultation")
    login(client, staff if path == "publish" else representative)
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    response = client.post(f"/positions/{position.id}/{path}", data=data)
    assert response.status_code == 409
    assert message in page_text(response)
    db.session.expire_all()
    assert db.session.get(Position, position.id).state is PositionState.CONSULTATION
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events
    )
