"""Public indicators: what is published, who takes part, how long it takes."""

from flask import abort, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from advocacy.blueprints.public import bp
from advocacy.queries import indicators as queries
from advocacy.web import csv_response

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
    return csv_response(f"{name}.csv", [dataset.label, dataset.value], dataset.rows)
