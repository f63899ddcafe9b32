"""Staff pages: the permission matrix, each form's bad input, audit, cost per page."""

import pytest
import sqlalchemy as sa

from advocacy.models import (
    AuditEvent,
    Department,
    EssFamily,
    Invitation,
    Membership,
    MembershipRole,
    Network,
    NetworkKind,
    Theme,
    User,
)
from tests.conftest import heading, login, page_text, read_outbox, refused

#: Each staff page, and its heading.
STAFF_PAGES = {
    "/admin/": "Administration",
    "/admin/networks/": "Réseaux",
    "/admin/networks/new": "Ajouter un réseau",
    "/admin/networks/{network}/edit": "Réseau ESS de Vendée",
    "/admin/people/": "Personnes",
    "/admin/people/invite": "Inviter une personne",
    "/admin/people/{rep}": "Représentante",
    "/admin/invitations/": "Invitations",
    "/admin/themes/": "Thématiques",
    "/admin/themes/new": "Ajouter une thématique",
    "/admin/themes/{theme}/edit": "Jeunesse",
    "/admin/audit/": "Journal d'audit",
}
STAFF_GET = list(STAFF_PAGES)
STAFF_POST = [
    "/admin/networks/new",
    "/admin/networks/{network}/edit",
    "/admin/networks/{network}/deactivate",
    "/admin/networks/{network}/reactivate",
    "/admin/people/invite",
    "/admin/people/{rep}",
    "/admin/people/{rep}/deactivate",
    "/admin/people/{rep}/reactivate",
    "/admin/people/{rep}/memberships",
    "/admin/people/{rep}/memberships/{membership}/role",
    "/admin/people/{rep}/memberships/{membership}/remove",
    "/admin/themes/new",
    "/admin/themes/{theme}/edit",
]


@pytest.fixture
def theme(db):
    theme = Theme(slug="jeunesse", name_fr="Jeunesse", name_en="Youth")
    db.session.add(theme)
    db.session.commit()
    return theme


@pytest.fixture
def ids(network, representative, theme, db):
    membership = db.session.scalar(
        sa.select(Membership).filter_by(user_id=representative.id)
    )
    return {
        "network": network.id,
        "rep": representative.id,
        "theme": theme.id,
        "membership": membership.id,
    }


def _snapshot(db):
    return {
        model.__tablename__: db.session.scalar(
            sa.select(sa.func.count()).select_from(model)
        )
        for model in (Network, User, Membership, Invitation, Theme, AuditEvent)
    }


class TestPermissionMatrix:
    @pytest.mark.parametrize("url", STAFF_GET)
    def test_anonymous_is_sent_to_sign_in(self, client, ids, url):
        response = client.get(url.format(**ids))
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")

    @pytest.mark.parametrize("url", STAFF_GET)
    def test_a_representative_is_refused(self, client, ids, representative, url):
        login(client, representative)
        response = client.get(url.format(**ids))
        assert response.status_code == 403
        assert "Action non autorisée" in page_text(response)

    @pytest.mark.parametrize("url", STAFF_GET)
    def test_a_board_member_is_refused(self, client, ids, create_user, url):
        login(client, create_user(is_board=True))
        text = refused(client.get(url.format(**ids)), 403)
        assert "Réseau ESS de Vendée" not in text

    @pytest.mark.parametrize("url", STAFF_GET)
    def test_staff_see_the_page(self, client, ids, staff, url):
        login(client, staff)
        response = client.get(url.format(**ids))
        assert response.status_code == 200
        assert heading(response) == STAFF_PAGES[url]

    @pytest.mark.parametrize("url", STAFF_POST)
    def test_nobody_but_staff_can_post(self, client, ids, representative, db, url):
        before = _snapshot(db)
        assert client.post(url.format(**ids)).status_code == 302  # to sign-in
        login(client, representative)
        assert client.post(url.format(**ids)).status_code == 403
        after = _snapshot(db)
        after["audit_events"] -= 1  # the sign-in
        assert after == before

    def test_the_admin_link_is_shown_to_staff_only(self, client, staff, representative):
        login(client, representative)
        assert "/admin/" not in client.get("/workspace/").get_data(as_text=True)
        client.post("/logout")
        login(client, staff)
        assert 'href="/admin/"' in client.get("/workspace/").get_data(as_text=True)


NETWORK = {
    "name": "Union régionale des Scic",
    "kind": "sector",
    "family": "cooperative",
    "department": "region",
    "description": "Fédère les Scic.",
    "website": "https://scic.example.org",
}


class TestNetworks:
    def test_create_edit_deactivate_reactivate(self, client, staff, db):
        login(client, staff)
        assert client.post("/admin/networks/new", data=NETWORK).status_code == 302
        network = db.session.scalar(sa.select(Network))
        assert network.slug == "union-regionale-des-scic"
        assert (
            network.family is EssFamily.COOPERATIVE
            and network.department is Department.REGION
        )
        data = {
            **NETWORK,
            "name": "Union régionale des Scic et Scop",
            "department": "44",
        }
        assert (
            client.post(f"/admin/networks/{network.id}/edit", data=data).status_code
            == 302
        )
        assert (
            client.post(f"/admin/networks/{network.id}/deactivate").status_code == 302
        )
        assert db.session.get(Network, network.id).is_active is False
        assert (
            client.post(f"/admin/networks/{network.id}/reactivate").status_code == 302
        )
        actions = db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.object_type == "network")
            .order_by(AuditEvent.id)
        ).all()
        assert actions == [
            "network.create",
            "network.update",
            "network.deactivate",
            "network.reactivate",
        ]
        update = db.session.scalar(
            sa.select(AuditEvent).filter_by(action="network.update")
        )
        assert update.payload["department"] == ["region", "44"]
        assert update.actor_id == staff.id

    def test_slugs_stay_unique(self, client, staff, db):
        login(client, staff)
        client.post("/admin/networks/new", data=NETWORK)
        client.post("/admin/networks/new", data=NETWORK)
        slugs = db.session.scalars(sa.select(Network.slug).order_by(Network.id)).all()
        assert slugs == ["union-regionale-des-scic", "union-regionale-des-scic-2"]

    @pytest.mark.parametrize(
        "change,message",
        [
            ({"name": ""}, "Saisissez le nom du réseau."),
            ({"name": "x" * 201}, "200 caractères"),
            ({"kind": "federation"}, "Choisissez l'une des options proposées."),
            ({"family": ""}, "Choisissez l'une des options proposées."),
            ({"department": "75"}, "Choisissez l'une des options proposées."),
            ({"description": "x" * 1001}, "1 000 caractères au plus."),
            (
                {"website": "javascript:alert(1)"},
                "doit commencer par http:// ou https://",
            ),
            ({"website": "https://"}, "Saisissez une adresse web complète"),
            ({"website": "https://x.org/" + "a" * 300}, "300 caractères au plus."),
        ],
    )
    def test_bad_input_creates_nothing(self, client, staff, db, change, message):
        login(client, staff)
        before = _snapshot(db)
        response = client.post("/admin/networks/new", data={**NETWORK, **change})
        assert response.status_code == 400
        assert message in page_text(response)
        assert _snapshot(db) == before

    def test_bad_edit_changes_nothing(self, client, staff, network, db):
        login(client, staff)
        response = client.post(
            f"/admin/networks/{network.id}/edit", data={**NETWORK, "name": ""}
        )
        assert response.status_code == 400
        assert db.session.get(Network, network.id).name == "Réseau ESS de Vendée"

    @pytest.mark.parametrize(
        "url", ["/admin/networks/999/edit", "/admin/networks/abc/edit"]
    )
    def test_unknown_network(self, client, staff, network, db, url):
        login(client, staff)
        refused(client.get(url), 404)
        refused(client.post(url.replace("edit", "deactivate")), 404)
        db.session.expire_all()
        assert db.session.get(Network, network.id).is_active is True

    def test_filters(self, client, staff, create_network):
        create_network(
            name="Mutuelle de Sarthe",
            family=EssFamily.MUTUAL,
            department=Department.SARTHE,
            kind=NetworkKind.ENTERPRISE,
        )
        create_network(name="Coopérative du 44", family=EssFamily.COOPERATIVE)
        create_network(name="Ancienne association", is_active=False)
        login(client, staff)

        def names(query):
            html = client.get("/admin/networks/?" + query).get_data(as_text=True)
            return {
                n
                for n in (
                    "Mutuelle de Sarthe",
                    "Coopérative du 44",
                    "Ancienne association",
                )
                if n in html
            }

        assert names("") == {"Mutuelle de Sarthe", "Coopérative du 44"}
        assert names("family=mutual") == {"Mutuelle de Sarthe"}
        assert names("department=72&kind=enterprise") == {"Mutuelle de Sarthe"}
        assert names("q=coop") == {"Coopérative du 44"}
        assert names("q=%25") == set()
        assert names("status=inactive") == {"Ancienne association"}
        assert names("status=all") == {
            "Mutuelle de Sarthe",
            "Coopérative du 44",
            "Ancienne association",
        }

    @pytest.mark.parametrize(
        "query,status",
        [
            ("family=unknown", 400),
            ("department=2A", 400),
            ("status=maybe", 400),
            ("q=" + "x" * 201, 400),
            ("page=0", 400),
            ("page=-1", 400),
            ("page=two", 400),
            ("page=" + "9" * 30, 400),
            ("page=5", 404),
        ],
    )
    def test_bad_filters_get_a_clear_4xx(self, client, staff, network, query, status):
        login(client, staff)
        response = client.get("/admin/networks/?" + query)
        assert response.status_code == status
        assert 'lang="fr"' in response.get_data(as_text=True)

    def test_the_list_is_paginated(self, client, staff, create_network):
        for i in range(30):
            create_network(name=f"Réseau {i:02d}")
        login(client, staff)
        first = client.get("/admin/networks/").get_data(as_text=True)
        second = client.get("/admin/networks/?page=2").get_data(as_text=True)
        assert "Réseau 00" in first and "Réseau 29" not in first
        assert "Réseau 29" in second and "Page 2 sur 2" in second

    def test_query_count_does_not_grow(
        self, client, staff, create_network, count_queries
    ):
        login(client, staff)
        create_network()
        with count_queries() as few:
            client.get("/admin/networks/")
        for _ in range(40):
            create_network()
        with count_queries() as many:
            client.get("/admin/networks/")
        assert few.count == many.count <= 6


class TestPeople:
    def test_invite_then_resend_then_revoke(self, client, staff, network, app, db):
        login(client, staff)
        response = client.post(
            "/admin/people/invite",
            data={
                "email": "Nouvelle@Example.org",
                "network": network.id,
                "role": "coordinator",
            },
        )
        assert response.status_code == 302
        invitation = db.session.scalar(sa.select(Invitation))
        assert invitation.email == "nouvelle@example.org"
        assert invitation.role is MembershipRole.COORDINATOR
        (message,) = read_outbox(app)
        assert message["To"] == "nouvelle@example.org"
        assert network.name in message["Subject"]
        assert (
            client.post(f"/workspace/invitations/{invitation.id}/resend").status_code
            == 302
        )
        assert len(read_outbox(app)) == 2
        assert db.session.get(Invitation, invitation.id).send_count == 2
        assert (
            client.post(f"/workspace/invitations/{invitation.id}/revoke").status_code
            == 302
        )
        assert (
            client.post(f"/workspace/invitations/{invitation.id}/revoke").status_code
            == 409
        )
        assert (
            client.post(f"/workspace/invitations/{invitation.id}/resend").status_code
            == 409
        )

    @pytest.mark.parametrize(
        "data,status,message",
        [
            (
                {"email": "", "network": "{network}", "role": "representative"},
                400,
                "Saisissez une adresse électronique.",
            ),
            (
                {
                    "email": "pas une adresse",
                    "network": "{network}",
                    "role": "representative",
                },
                400,
                "adresse électronique valide",
            ),
            (
                {"email": "a@example.org", "network": "999", "role": "representative"},
                400,
                "N'est pas un choix valide",
            ),
            (
                {"email": "a@example.org", "network": "abc", "role": "representative"},
                400,
                "Choix non valide",
            ),
            (
                {"email": "a@example.org", "network": "{network}", "role": "president"},
                400,
                "Choisissez l'une des options proposées.",
            ),
            (
                {
                    "email": "rep@example.org",
                    "network": "{network}",
                    "role": "representative",
                },
                409,
                "représente déjà",
            ),
        ],
    )
    def test_bad_invitations_create_nothing(
        self, client, staff, network, representative, db, app, data, status, message
    ):
        login(client, staff)
        before = _snapshot(db)
        data = {k: v.format(network=network.id) for k, v in data.items()}
        response = client.post("/admin/people/invite", data=data)
        assert response.status_code == status
        assert message in page_text(response)
        assert _snapshot(db) == before
        assert read_outbox(app) == []

    def test_inviting_twice_is_refused(self, client, staff, network, db):
        login(client, staff)
        data = {
            "email": "twice@example.org",
            "network": network.id,
            "role": "representative",
        }
        assert client.post("/admin/people/invite", data=data).status_code == 302
        response = client.post("/admin/people/invite", data=data)
        assert response.status_code == 409
        assert "déjà en attente" in page_text(response)
        assert 'value="twice@example.org"' in page_text(
            response
        )  # what was typed stays
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1
        )

    def test_inviting_into_a_deactivated_network_is_refused(
        self, client, staff, network, db
    ):
        network.is_active = False
        db.session.commit()
        login(client, staff)
        response = client.post(
            "/admin/people/invite",
            data={
                "email": "x@example.org",
                "network": network.id,
                "role": "representative",
            },
        )
        refused(response, 400, "Réseau : N'est pas un choix valide.")
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
        )

    def test_roles_memberships_and_deactivation_are_audited(
        self, client, staff, representative, network, create_network, db
    ):
        other = create_network(name="Mutuelle solidaire")
        login(client, staff)
        assert (
            client.post(
                f"/admin/people/{representative.id}",
                data={"name": "Représentante", "is_board": "y"},
            ).status_code
            == 302
        )
        assert db.session.get(User, representative.id).is_board is True
        assert (
            client.post(
                f"/admin/people/{representative.id}/memberships",
                data={"network": other.id, "role": "coordinator"},
            ).status_code
            == 302
        )
        membership = db.session.scalar(
            sa.select(Membership).filter_by(
                user_id=representative.id, network_id=network.id
            )
        )
        assert (
            client.post(
                f"/admin/people/{representative.id}/memberships/{membership.id}/role",
                data={"role": "coordinator"},
            ).status_code
            == 302
        )
        assert (
            client.post(
                f"/admin/people/{representative.id}/memberships/{membership.id}/remove"
            ).status_code
            == 302
        )
        assert (
            client.post(f"/admin/people/{representative.id}/deactivate").status_code
            == 302
        )
        assert (
            client.post(f"/admin/people/{representative.id}/reactivate").status_code
            == 302
        )
        actions = db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.actor_id == staff.id, AuditEvent.action != "user.sign_in")
            .order_by(AuditEvent.id)
        ).all()
        assert actions == [
            "user.role_change",
            "membership.create",
            "membership.role_change",
            "membership.delete",
            "user.deactivate",
            "user.reactivate",
        ]
        role_change = db.session.scalar(
            sa.select(AuditEvent).filter_by(action="user.role_change")
        )
        assert role_change.payload == {"is_board": [False, True]}

    def test_another_persons_membership_is_not_found(
        self, client, staff, representative, create_user, network, db
    ):
        stranger = create_user(networks=[network])
        theirs = db.session.scalar(sa.select(Membership).filter_by(user_id=stranger.id))
        login(client, staff)
        for action in ("remove", "role"):
            response = client.post(
                f"/admin/people/{representative.id}/memberships/{theirs.id}/{action}",
                data={"role": "coordinator"},
            )
            assert response.status_code == 404
        assert (
            db.session.get(Membership, theirs.id).role is MembershipRole.REPRESENTATIVE
        )

    @pytest.mark.parametrize(
        "data,message",
        [
            ({"network": "{network}", "role": "representative"}, "représente déjà"),
            ({"network": "", "role": "representative"}, "Choisissez un réseau."),
            (
                {"network": "99999", "role": "representative"},
                "N'est pas un choix valide",
            ),
            (
                {"network": "{network}", "role": ""},
                "Choisissez l'une des options proposées.",
            ),
        ],
    )
    def test_bad_membership_input(
        self, client, staff, representative, network, db, data, message
    ):
        login(client, staff)
        before = _snapshot(db)
        data = {k: v.format(network=network.id) for k, v in data.items()}
        response = client.post(
            f"/admin/people/{representative.id}/memberships", data=data
        )
        assert 400 <= response.status_code < 500
        assert message in page_text(response)
        assert _snapshot(db) == before

    def test_bad_role_change(self, client, staff, representative, db):
        membership = db.session.scalar(sa.select(Membership))
        login(client, staff)
        response = client.post(
            f"/admin/people/{representative.id}/memberships/{membership.id}/role",
            data={"role": "king"},
        )
        assert response.status_code == 400
        assert "Choisissez l'une des options proposées." in page_text(response)

    @pytest.mark.parametrize(
        "data,message",
        [
            ({"name": ""}, "Saisissez un nom."),
            ({"name": "x" * 121}, "120 caractères"),
        ],
    )
    def test_bad_person_input(self, client, staff, representative, db, data, message):
        login(client, staff)
        response = client.post(f"/admin/people/{representative.id}", data=data)
        assert response.status_code == 400
        assert message in page_text(response)
        assert db.session.get(User, representative.id).display_name == "Représentante"

    def test_staff_cannot_lock_themselves_out(self, client, staff, db):
        login(client, staff)
        response = client.post(f"/admin/people/{staff.id}", data={"name": "Équipe"})
        assert response.status_code == 400
        assert client.post(f"/admin/people/{staff.id}/deactivate").status_code == 400
        assert db.session.get(User, staff.id).is_admin is True

    def test_unknown_person(self, client, staff, db):
        login(client, staff)
        refused(client.get("/admin/people/424242"), 404)
        refused(client.post("/admin/people/424242/deactivate"), 404)
        assert not db.session.scalar(
            sa.select(AuditEvent).filter_by(action="user.deactivate")
        )

    def test_people_filters(self, client, staff, representative, create_user, network):
        create_user(display_name="Camille Coordinatrice", coordinator_of=[network])
        create_user(display_name="Bertrand Board", is_board=True)
        login(client, staff)

        def names(query):
            html = client.get("/admin/people/?" + query).get_data(as_text=True)
            return {
                n
                for n in ("Représentante", "Camille Coordinatrice", "Bertrand Board")
                if n in html
            }

        assert names("role=board") == {"Bertrand Board"}
        assert names("role=coordinator") == {"Camille Coordinatrice"}
        assert names("q=rep@") == {"Représentante"}
        assert client.get("/admin/people/?role=pope").status_code == 400

    def test_people_list_query_count_does_not_grow(
        self, client, staff, create_user, create_network, count_queries
    ):
        login(client, staff)
        create_user(networks=[create_network()])
        with count_queries() as few:
            client.get("/admin/people/")
        for _ in range(20):
            create_user(networks=[create_network(), create_network()])
        with count_queries() as many:
            client.get("/admin/people/")
        assert few.count == many.count


class TestThemes:
    DATA = {
        "name_fr": "Bien vieillir",
        "name_en": "Ageing well",
        "description_fr": "",
        "description_en": "",
        "sort_order": "3",
        "is_active": "y",
    }

    def test_create_and_edit(self, client, staff, db):
        login(client, staff)
        assert client.post("/admin/themes/new", data=self.DATA).status_code == 302
        theme = db.session.scalar(sa.select(Theme))
        assert theme.slug == "bien-vieillir"
        data = {**self.DATA, "name_en": "Ageing well together"}
        data.pop("is_active")
        assert (
            client.post(f"/admin/themes/{theme.id}/edit", data=data).status_code == 302
        )
        theme = db.session.get(Theme, theme.id)
        assert theme.name_en == "Ageing well together" and theme.is_active is False
        assert db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.object_type == "theme")
        ).all() == ["theme.create", "theme.update"]

    @pytest.mark.parametrize(
        "change,message",
        [
            ({"name_fr": ""}, "Saisissez le nom en français."),
            ({"name_en": "x" * 121}, "120 caractères au plus."),
            ({"sort_order": "abc"}, "Un nombre entier de 0 à 1 000."),
            ({"sort_order": "１２"}, "Un nombre entier de 0 à 1 000."),
            ({"sort_order": "-1"}, "Un nombre entier de 0 à 1 000."),
            ({"description_fr": "x" * 2001}, "2 000 caractères au plus."),
        ],
    )
    def test_bad_input(self, client, staff, db, change, message):
        login(client, staff)
        response = client.post("/admin/themes/new", data={**self.DATA, **change})
        assert response.status_code == 400
        assert message in page_text(response)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Theme)) == 0

    def test_unknown_theme(self, client, staff):
        login(client, staff)
        refused(client.get("/admin/themes/77/edit"), 404)


class TestAuditLog:
    def test_filters(self, client, staff, representative, network, db):
        login(client, staff)
        client.post(f"/admin/networks/{network.id}/deactivate")
        client.post(f"/admin/people/{representative.id}/deactivate")

        def actions(query):
            html = client.get("/admin/audit/?" + query).get_data(as_text=True)
            return {
                a
                for a in ("network.deactivate", "user.deactivate", "user.sign_in")
                if a in html
            }

        assert actions("") == {"network.deactivate", "user.deactivate", "user.sign_in"}
        assert actions("object_type=network") == {"network.deactivate"}
        assert actions("action=user") == {"user.deactivate", "user.sign_in"}
        assert actions("action=user.deactivate") == {"user.deactivate"}
        assert actions(f"object_type=user&object_id={representative.id}") == {
            "user.deactivate"
        }
        assert actions("actor=STAFF@example.org") == {
            "network.deactivate",
            "user.deactivate",
            "user.sign_in",
        }
        assert actions("actor=nobody@example.org") == set()
        assert actions("date_from=2000-01-01&date_to=2000-01-02") == set()

    @pytest.mark.parametrize(
        "query,message",
        [
            ("object_id=abc", "Un nombre entier à partir de 1."),
            ("object_id=²", "Un nombre entier à partir de 1."),
            ("object_id=99999999999", "Un nombre entier à partir de 1."),
            ("object_id=0", "Un nombre entier à partir de 1."),
            ("date_from=2026-13-01", "N'est pas une date valide"),
            (
                "date_from=2026-05-02&date_to=2026-05-01",
                "La date de fin précède la date de début.",
            ),
            ("object_type=planet", "N'est pas un choix valide"),
            ("action=" + "x" * 65, "64 caractères au plus."),
        ],
    )
    def test_bad_filters(self, client, staff, query, message):
        login(client, staff)
        response = client.get("/admin/audit/?" + query)
        assert response.status_code == 400
        assert message in page_text(response)

    def test_query_count_does_not_grow(
        self, client, staff, create_network, count_queries, db
    ):
        from advocacy.services.audit import record_event

        login(client, staff)
        with count_queries() as few:
            client.get("/admin/audit/")
        for network in [create_network() for _ in range(30)]:
            record_event(
                "network.update",
                by=staff,
                object_type="network",
                object_id=network.id,
                name=["a", "b"],
            )
        db.session.commit()
        with count_queries() as many:
            client.get("/admin/audit/")
        assert few.count == many.count
