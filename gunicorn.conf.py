"""Gunicorn's settings, read from the directory it starts in (``gunicorn wsgi:app``).

Each worker renders the busiest public pages before its first request
(``PageCache.warm``): the first readers after a start or a deploy are
served from memory instead of waiting behind the renders.
"""


def post_worker_init(worker):
    app = getattr(worker, "wsgi", None)
    cache = getattr(app, "extensions", {}).get("page_cache")
    if cache is not None:
        kept = cache.warm()
        worker.log.info("public page cache warmed: %d pages", kept)
