"""Default settings. Secrets never live here: see README, "Configuration"."""

from datetime import timedelta

#: The development key; ``create_app`` refuses it outside debug and testing.
DEV_SECRET_KEY = "dev-only-change-me"  # noqa: S105


class DefaultConfig:
    SECRET_KEY = DEV_SECRET_KEY
    #: Empty means the SQLite file ``instance/porte-voix.sqlite3``.
    SQLALCHEMY_DATABASE_URI = ""
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}

    # Language and time
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")

    # Cookies and sessions
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: None means "Secure unless debug or testing".
    SESSION_COOKIE_SECURE = None
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    #: Largest request body accepted, in bytes (413 beyond); annex uploads excepted.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    #: Largest annex, in bytes, and how many a position may hold.
    ANNEX_MAX_BYTES = 10 * 1024 * 1024
    ANNEX_MAX_COUNT = 20
    #: Number of reverse proxies in front of the app (0: none, no ProxyFix).
    PROXY_FIX = 0

    # CSRF
    WTF_CSRF_TIME_LIMIT = None

    # Rate limits (Flask-Limiter)
    #: Always set: Flask-Limiter otherwise inherits the last app's choice.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    #: Failed sign-ins allowed per account and per address.
    LOGIN_RATE_LIMIT = "5 per 15 minutes"
    #: Password-reset requests allowed per address.
    RESET_RATE_LIMIT = "5 per hour"

    # Passwords
    PASSWORD_MIN_LENGTH = 12
    #: Minimum zxcvbn score (0-4).
    PASSWORD_MIN_SCORE = 3
    #: Cheap argon2 parameters: for the test suite only.
    PASSWORD_HASH_CHEAP = False

    # Accounts
    INVITATION_VALID_DAYS = 7
    RESET_VALID_HOURS = 1

    # Mail
    MAIL_BACKEND = "file"  # "file" or "smtp"
    MAIL_FROM = "Porte-voix <no-reply@localhost>"
    #: Where the file backend writes .eml files; empty means instance/outbox.
    MAIL_OUTBOX_DIR = ""
    MAIL_SMTP_HOST = "localhost"
    MAIL_SMTP_PORT = 25
    MAIL_SMTP_STARTTLS = False
    MAIL_SMTP_SSL = False
    MAIL_SMTP_USERNAME = ""
    MAIL_SMTP_PASSWORD = ""
    MAIL_SMTP_TIMEOUT = 10
    #: The site's public address, used in emailed links (e.g. https://plaidoyer.example.org).
    SITE_URL = "http://127.0.0.1:5000"
    #: Emails of the outbox: tries before giving up; reminders this long before a close.
    OUTBOX_MAX_ATTEMPTS = 8
    REMINDER_HOURS = 48
    #: Send the outbox at the end of each request that filled it (None: in debug only,
    #: so that `make run` shows the emails at once; production runs a worker).
    OUTBOX_SEND_AFTER_REQUEST = None
    #: Public pages kept in memory per worker for anonymous readers (0: off), and
    #: for at most this long; any write makes them stale at once (advocacy/cache.py).
    PUBLIC_CACHE_ENTRIES = 1000
    PUBLIC_CACHE_SECONDS = 300
    #: Public pages each worker renders at its start, in every language, for the
    #: host of SITE_URL (gunicorn.conf.py), so that its first readers wait for none.
    PUBLIC_CACHE_WARM = ("/", "/statements/", "/networks/", "/indicators")
    #: A member's pages kept in memory per worker for that member (0: off), and for
    #: at most this long: any write makes them stale at once; what changes with
    #: time alone (a deadline passing) shows at most this late (advocacy/cache.py).
    MEMBER_CACHE_ENTRIES = 500
    MEMBER_CACHE_SECONDS = 60
    #: The session cookie is set when the session changes, not at every answer:
    #: a session lasts PERMANENT_SESSION_LIFETIME from its start (accounts.py),
    #: and an answer that sets no cookie may be kept for the member (cache.py).
    SESSION_REFRESH_EACH_REQUEST = False
    #: Rendered parts of members' pages (advocacy/fragments.py), kept by
    #: Flask-Caching: "SimpleCache" keeps them in each worker (at most
    #: CACHE_THRESHOLD entries); "RedisCache" with CACHE_REDIS_URL shares them
    #: between workers and hosts; "NullCache" turns keeping off.
    CACHE_TYPE = "SimpleCache"
    CACHE_THRESHOLD = 5000
    CACHE_DEFAULT_TIMEOUT = 3600
    CACHE_KEY_PREFIX = "porte-voix:"
    #: Public pages release scheduled publications at most this often (seconds).
    PUBLICATION_CHECK_SECONDS = 60
    SITE_NAME = "Porte-voix"
    ORGANISATION_NAME = "CRESS Pays de la Loire"

    # Federation (advocacy/federation, docs/federation.md)
    #: How long a request to another installation may take (seconds).
    FEDERATION_TIMEOUT = 10
    #: Let other installations be reached over plain HTTP and on private or local
    #: addresses: for a test run or a private network only.
    FEDERATION_ALLOW_PRIVATE = False
    #: How many activities one client may post to the inbox.
    FEDERATION_INBOX_RATE = "120 per minute"

    # Live co-writing (advocacy/collab)
    #: Where browsers reach the collaboration server: a path on the site's own
    #: host behind the reverse proxy ("/collab"), or a whole address; `make run`
    #: serves it beside the app on port 5001. Empty: no live editing, the plain
    #: form only.
    COLLAB_URL = "/collab"
    #: How long the token that lets an editor join a room is valid (seconds); the
    #: editor asks for a fresh one each time it reconnects.
    COLLAB_TOKEN_SECONDS = 600
    #: How often a room reads the updates other collaboration processes stored.
    COLLAB_POLL_SECONDS = 0.2
    #: A version is saved from the live text after this long without typing.
    COLLAB_IDLE_SECONDS = 180

    # Votes
    #: Share of eligible networks that must take part for a motion's result to count.
    VOTE_QUORUM = 0.25
    #: The shortest consultation and vote, in days; staff may open a shorter one,
    #: with a reason shown to the members.
    CONSULTATION_MIN_DAYS = 7
    VOTE_MIN_DAYS = 3

    # Board review
    #: Approvals needed (and more approvals than rejections) to validate a statement.
    BOARD_APPROVALS_REQUIRED = 2
    #: Rejections that archive a position as rejected.
    BOARD_REJECTIONS_REQUIRED = 2
    #: A board member whose network led, co-wrote or voted on a position must
    #: step aside from deciding on it (else they may, and are told why).
    BOARD_RECUSAL_MANDATORY = False

    # Lists
    PER_PAGE = 25

    # Demo
    DEMO_PASSWORD = "porte-voix-demo-2026"  # noqa: S105
