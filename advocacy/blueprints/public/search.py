"""Full-text search over the published statements."""

from flask import render_template, request

from advocacy import search as engine
from advocacy.blueprints.public import bp
from advocacy.blueprints.public.forms import SearchForm
from advocacy.queries import statements as queries
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
    pagination = paginate(queries.search_hits(query))
    documents = queries.search_documents(s.id for s in pagination.items)
    results = [
        (
            statement,
            engine.highlight(documents[statement.id].title, query, length=200),
            engine.highlight(documents[statement.id].text, query),
        )
        for statement in pagination.items
        if statement.id in documents
    ]
    # PostgreSQL ranks at most RANKED matches: then say so, not a false total
    capped = engine.ranks_at_most() and pagination.total >= engine.RANKED
    return render_template(
        "public/search.html",
        form=form,
        pagination=pagination,
        results=results,
        capped=capped,
    )
