"""Named reads: what the pages and the API ask of the database.

One module per domain, beside ``services/`` for the writes. A query returns a
statement (``sa.Select``) that the view paginates, or the rows it needs; it
never changes anything. Views call them instead of writing ``sa.select``.
"""
