"""Full-text search over the published statements."""

import sqlalchemy as sa
from flask import render_template, request
from sqlalchemy.orm import joinedload

from advocacy import search as engine
from advocacy.blueprints.public import bp
from advocacy.blueprints.public.forms import SearchForm
from advocacy.extensions import db
from advocacy.models import SearchDocument, Statement
from advocacy.web import paginate


@bp.get("/search")
def search():
    """Statements matching the question, best first, with highlighted extracts."""
    form = SearchForm(request.args)
    if not request.args:
        return render_template("public/search.html", form=form, pagination=None)
    if not form.validate():
        return render_template("public/search.html", form=form, pagination=None), 400
    query = engine.parse(form.q.data)
    hits = engine.matches(query)
    pagination = paginate(
        sa.select(Statement)
        .join(hits, hits.c.statement_id == Statement.id)
        .where(Statement.current_version_id.is_not(None))
        .options(joinedload(Statement.lead_network))
        .order_by(hits.c.score.desc(), Statement.published_at.desc())
    )
    documents = {
        d.statement_id: d
        for d in db.session.scalars(
            sa.select(SearchDocument).where(
                SearchDocument.statement_id.in_([s.id for s in pagination.items])
            )
        )
    }
    results = [
        (
            statement,
            engine.highlight(documents[statement.id].title, query, length=200),
            engine.highlight(documents[statement.id].text, query),
        )
        for statement in pagination.items
        if statement.id in documents
    ]
    return render_template(
        "public/search.html", form=form, pagination=pagination, results=results
    )
