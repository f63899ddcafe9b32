"""Addresses of the site's pages, made without a request.

Services, emails, PDFs and the command line build links here: a path from the
URL map, or a full address on ``SITE_URL``. Inside a request, views keep using
``url_for``.
"""

from flask import current_app


def path_for(endpoint: str, **values) -> str:
    """The path of a page of the site, e.g. ``/positions/3``."""
    adapter = current_app.url_map.bind("localhost")
    return adapter.build(endpoint, values)


def site_url(endpoint: str, **values) -> str:
    """The full address of a page, on the site's public address (``SITE_URL``)."""
    return current_app.config["SITE_URL"].rstrip("/") + path_for(endpoint, **values)
