"""Full-text search: French stemming, accents, ranking, extracts, bad questions."""

import re

import pytest

from advocacy import search
from advocacy.demo.walk import skip_to
from advocacy.models import SearchDocument
from tests.conftest import page_text as _page_text
from tests.conftest import refused


def page_text(response) -> str:
    """What a reader sees: highlighted words are marked up, the text is one."""
    return re.sub(r"<[^>]+>", "", _page_text(response))


@pytest.fixture
def corpus(publish):
    return [
        publish(
            "Pour une commande publique responsable",
            "# Constat\n\nLes achats des collectivités ignorent l'économie sociale.\n\n"
            "# Propositions\n\nDes clauses sociales dans chaque marché public.",
        ),
        publish(
            "Économie circulaire et réemploi",
            "# Constat\n\nLes ressourceries créent des emplois.\n\n"
            "# Propositions\n\nFinancer les filières du réemploi en économie circulaire.",
        ),
        publish(
            "Jeunesse et engagement",
            "# Constat\n\nLes jeunes s'engagent dans les associations.",
        ),
    ]


def test_folding_and_stemming():
    assert search.fold("Économie Œuvre") == "economie oeuvre"
    assert search.terms("Les économies", "sqlite") == search.terms("economie", "sqlite")
    query = search.parse('"économie circulaire" -jeunes  ; emploi')
    assert query.required == [["economie", "circulaire"], ["emploi"]]
    assert query.excluded == [["jeunes"]]
    assert search.parse("!!! ... ???").is_empty
    assert search.parse('" " - ; -').is_empty
    # very common words alone are kept: they find nothing, but are no error
    assert search.parse("les de la").required == [["les"], ["de"], ["la"]]


def test_accent_insensitive_and_stemmed(client, corpus):
    response = client.get("/search?q=economie")
    text = page_text(response)
    assert response.status_code == 200
    assert "2 résultats" in text
    assert "Économie circulaire et réemploi" in text
    assert "Pour une commande publique responsable" in text
    assert "Jeunesse" not in text
    # the singular, unaccented, finds the accented plural
    assert "Économie circulaire" in page_text(client.get("/search?q=filiere"))


def test_title_ranks_above_text(client, corpus):
    text = page_text(client.get("/search?q=économie"))
    assert text.index("Économie circulaire et réemploi") < text.index(
        "Pour une commande publique responsable"
    )


def test_extracts_are_highlighted_and_escaped(client, publish):
    publish("Sécurité", "# Constat\n\nUn <script>alert(1)</script> contre l'économie.")
    html = client.get("/search?q=economie").get_data(as_text=True)
    assert "<mark>économie</mark>" in html
    assert "<script>alert" not in html


def test_phrases_and_exclusions(client, corpus):
    text = page_text(client.get('/search?q="economie circulaire"'))
    assert "1 résultat" in text and "Économie circulaire" in text
    text = page_text(client.get("/search?q=economie -reemploi"))
    assert "1 résultat" in text and "commande publique" in text
    text = page_text(client.get("/search?q=-economie"))
    assert "1 résultat" in text and "Jeunesse et engagement" in text


def test_no_match_says_so(client, corpus):
    response = client.get("/search?q=aéronautique")
    assert response.status_code == 200
    assert "Aucune déclaration ne correspond" in page_text(response)


def test_a_new_version_replaces_the_indexed_text(app, db, client, publish, staff):
    from advocacy.models import Position, PositionState, Statement
    from advocacy.services import positions as positions_service
    from advocacy.services import statements

    version = publish("Logement", "# Constat\n\nLes coopératives d'habitants.")
    statement = db.session.get(Statement, version.statement_id)
    position = db.session.get(Position, statement.position_id)
    statements.revise_statement(position, by=staff)
    positions_service.save_revision(
        position,
        title="Logement",
        summary="",
        body="# Constat\n\nLes foncières solidaires.",
        message="v2",
        base=position.current_revision,
        network=None,
        by=staff,
    )
    skip_to(position, PositionState.APPROVED)
    statements.publish_statement(position, by=staff)
    db.session.commit()
    assert "1 résultat" in page_text(client.get("/search?q=foncieres"))
    assert "0 résultat" in page_text(client.get("/search?q=habitants"))
    assert db.session.query(SearchDocument).count() == 1


@pytest.mark.parametrize(
    "q, message",
    [
        ("", "Saisissez ce que vous cherchez."),
        ("x" * 10_000, "Une recherche compte au plus 200 caractères."),
        ("!!! ??? ...", "Saisissez au moins un mot à rechercher"),
        ('"" - -- "', "Saisissez au moins un mot à rechercher"),
    ],
)
def test_bad_questions_are_refused(client, corpus, q, message):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 400
    assert message in page_text(response)


def test_syntax_of_the_engine_does_not_leak(client, corpus, db):
    """Operators of the engine are plain words here: no error, nothing matched."""
    for q in ["economie AND OR NOT", "NEAR(a b)", "title:economie", "econ*", "'; DROP"]:
        response = client.get("/search", query_string={"q": q})
        assert response.status_code == 200
        assert "Aucune déclaration ne correspond" in page_text(response), q
    assert db.session.query(SearchDocument).count() == 3


def test_page_past_the_end(client, corpus):
    refused(client.get("/search?q=economie&page=9"), 404, "Il n'y a pas de page 9")
    refused(client.get("/search?q=economie&page=x"), 400, "nombre entier")


def test_the_list_filters_by_words(client, corpus):
    text = page_text(client.get("/statements/?q=ressourcerie"))
    assert "1 résultat" in text and "Économie circulaire" in text
    response = client.get("/statements/?q=%3F%3F")
    assert response.status_code == 400


def test_a_question_found_everywhere_says_it_ranked_the_first_found(
    client, corpus, monkeypatch
):
    """PostgreSQL ranks a bounded set of the matches: the page says "at least",
    never a false total; SQLite ranks them all and counts them."""
    monkeypatch.setattr(search, "RANKED", 2)
    text = page_text(client.get("/search?q=constat"))  # in all three
    if search.ranks_at_most():
        assert "Au moins 2 résultats" in text
    else:
        assert "Au moins" not in text and "3 résultats" in text
