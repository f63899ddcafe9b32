"""Fixtures of the notification and outbox tests: three networks, their people, a draft."""

from datetime import timedelta

import pytest

from advocacy.models import utcnow
from advocacy.services import consultation
from advocacy.services import positions as positions_service


@pytest.fixture
def people(create_network, create_user):
    lead = create_network(name="Union régionale des Scop", slug="urscop")
    partner = create_network(name="Mutuelle de Vendée", slug="mutuelle-85")
    other = create_network(name="Réseau ESS du Maine", slug="ess-53")
    return {
        "anne": create_user(
            email="anne@example.org", display_name="Anne", networks=[lead]
        ),
        "bob": create_user(
            email="bob@example.org", display_name="Bob", networks=[partner]
        ),
        "chloe": create_user(
            email="chloe@example.org",
            display_name="Chloé",
            networks=[other],
            locale="en",
        ),
        "ca1": create_user(email="ca1@example.org", display_name="CA 1", is_board=True),
        "ca2": create_user(email="ca2@example.org", display_name="CA 2", is_board=True),
        "lead": lead,
        "partner": partner,
        "other": other,
    }


def draft(people, title: str = "Pour un emploi durable"):
    """A draft led by Anne's network."""
    return positions_service.create_position(
        title=title,
        summary="",
        body="Texte.",
        lead=people["lead"],
        themes=[],
        arenas=[],
        by=people["anne"],
    )


@pytest.fixture
def position(app, db, people):
    """A draft led by Anne's network."""
    made = draft(people)
    db.session.commit()
    return made


@pytest.fixture
def open_position(db, position, people):
    """Anne's draft, open for comments for two weeks."""
    consultation.open_consultation(
        position,
        closes_at=utcnow() + timedelta(days=14),
        message="Vos avis d'ici la fin du mois.",
        by=people["anne"],
    )
    db.session.commit()
    return position


#: The text of the co-written draft: sections, a nested list, a link, a footnote.
COWRITTEN_BODY = (
    "## Constat\n\nL'ESS emploie 14 % des salariés du privé en Pays de la Loire.\n\n"
    "## Propositions\n\n- Un fonds régional\n  - pour les Scop\n  - pour les SCIC\n\n"
    "Voir le plan stratégique[^1].\n\n"
    "[^1]: Source : [CRESS Pays de la Loire](https://www.cress-pdl.org/).\n"
)


@pytest.fixture
def cowritten(db, people):
    """A draft led by Anne's network, co-written by Bob's."""
    position = positions_service.create_position(
        title="Pour un emploi durable",
        summary="Ce que l'ESS demande à la Région.",
        body=COWRITTEN_BODY,
        lead=people["lead"],
        themes=[],
        arenas=[],
        by=people["anne"],
    )
    positions_service.add_coauthor(position, people["partner"], by=people["anne"])
    db.session.commit()
    return position
