"""The Nu HTML checker the suite runs at its end does catch invalid pages."""

import pytest

from tests import htmlcheck


@pytest.mark.skipif(htmlcheck.available() is not None, reason="no Java or vnu.jar")
def test_the_checker_finds_a_stray_end_tag(tmp_path):
    page = tmp_path / "00001-GET-200.html"
    page.write_text(
        '<!doctype html><html lang="fr"><head><title>T</title></head>'
        "<body><p><form></form></p></body></html>"
    )
    (tmp_path / "00001-GET-200.html.url").write_text("GET /notifications/?")
    errors = htmlcheck.check(tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith("GET /notifications/? (line 1)")
    assert "“p” end tag" in errors[0]


@pytest.mark.skipif(htmlcheck.available() is not None, reason="no Java or vnu.jar")
def test_a_valid_page_has_no_error(tmp_path):
    (tmp_path / "00001-GET-200.html").write_text(
        '<!doctype html><html lang="fr"><head><title>T</title></head>'
        "<body><main><p>Bonjour.</p></main></body></html>"
    )
    assert htmlcheck.check(tmp_path) == []
