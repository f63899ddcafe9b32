"""Public indicators: what is published, who takes part, how long it takes."""

import csv
import io

from flask import abort, current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from advocacy.blueprints.public import bp
from advocacy.queries import indicators as queries

DATASET_NAMES = ("themes", "arenas", "years", "families", "departments", "delays")
HELP = {
    "delays": _l(
        "From the day a position was started to the first publication of its statement."
    ),
}
HELP["families"] = HELP["departments"] = _l(
    "Networks that led, co-wrote, commented, amended, voted on or co-signed a position."
)


@bp.get("/indicators")
def indicators_page():
    """Charts of the indicators, each with its data table and CSV download."""
    return render_template(
        "public/indicators.html",
        datasets=list(queries.indicators().values()),
        help=HELP,
        total=queries.published_count(),
    )


@bp.get("/indicators/<slug:name>.csv")
def indicator_csv(name: str):
    """One indicator as CSV (comma-separated, UTF-8, with a header row)."""
    if name not in DATASET_NAMES:
        abort(404, description=_("There is no such indicator."))
    dataset = queries.indicators()[name]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([dataset.label, dataset.value])
    writer.writerows(dataset.rows)
    response = current_app.response_class(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",  # the mark tells spreadsheets: UTF-8
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
