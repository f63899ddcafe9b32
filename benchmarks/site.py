"""Benchmark: the public site, the API and the pages members use, at region and
national scale, on SQLite and PostgreSQL, each against a bare Flask page.

Run with ``make bench``. ``BENCH_PAGES`` measures some pages only (a quick
check while working; the report is then not written). ``BENCH_TARGETS`` lists what to measure, as
``database:scale`` pairs (default: ``sqlite:region``, and with PostgreSQL
reachable — ``BENCH_POSTGRES_URL``, else ``TEST_DATABASE_URL`` — also
``postgres:region`` and ``postgres:national``). Each database is built once
(``benchmarks/dataset.py``) and kept while the schema and the scale are the
same: SQLite in ``instance/bench-<scale>.sqlite3``, PostgreSQL in a database
``bench_<scale>`` of that server.

For each target the app is served by gunicorn (2 sync workers), and so is the
ceiling, a Flask app answering a fixed page; wrk loads each page from another
process. The table of ratios to the ceiling goes to ``docs/benchmarks.md``.
"""

import hashlib
import html
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess  # noqa: S404
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import sqlalchemy as sa

from benchmarks import dataset

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
#: Measure only the pages whose names contain one of these (comma-separated, any
#: case); the table then goes to the terminal only, not to docs/benchmarks.md.
ONLY = [p.strip().lower() for p in os.environ.get("BENCH_PAGES", "").split(",") if p]
SECRET = secrets.token_hex(32)
GUNICORN = [
    sys.executable,
    "-m",
    "gunicorn",
    "--workers",
    "2",
    "--log-level",
    "warning",
]

#: What wrk sends: each request takes the next entry of the list — a method, a
#: path and a form body — with the cookie, for a signed-in member; at the end the
#: script prints what it measured as one JSON line. A redirection (the answer to
#: a form that was accepted) counts as a success, like any status below 400.
WRK_SCRIPT = """
local entries = {%s}
local cookie = %s
local i = 0
request = function()
  i = i %% #entries + 1
  local entry = entries[i]
  local headers = {["Accept-Language"] = "fr"}
  if cookie ~= "" then headers["Cookie"] = cookie end
  if entry[1] == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", entry[2], headers, entry[3])
  end
  return wrk.format("GET", entry[2], headers)
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "p50": %%f, "p95": %%f, "errors": %%d}\\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, errors))
end
"""


def _postgres_server() -> str | None:
    return os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL")


def targets() -> list[tuple[str, str]]:
    """(database, scale) pairs to measure, in order."""
    asked = os.environ.get("BENCH_TARGETS")
    if asked:
        return [tuple(t.split(":")) for t in asked.split(",") if t]
    found = [("sqlite", "region")]
    if _postgres_server():
        found += [("postgres", "region"), ("postgres", "national")]
    return found


def database_url(database: str, scale: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{ROOT / 'instance' / f'bench-{scale}.sqlite3'}"
    server = sa.engine.make_url(_postgres_server())
    name = f"bench_{scale}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def _app(url: str, **config):
    from advocacy import create_app

    return create_app(
        {
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_STORAGE_URI": "memory://",
            **config,
        }
    )


def _head() -> str:
    """The latest migration: a database built by an older schema is built anew."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(ROOT / "migrations")).get_current_head()


def _marker(url: str) -> Path:
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    return ROOT / "instance" / f"bench-{digest}.json"


def _empty(url: str) -> None:
    if url.startswith("sqlite"):
        Path(sa.engine.make_url(url).database).unlink(missing_ok=True)
        return
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def prepare_database(url: str, scale: str) -> dict:
    """The database of this scale, built once and kept while the schema is the same."""
    head, marker = _head(), _marker(url)
    if marker.exists():
        kept = json.loads(marker.read_text())
        if kept.get("head") == head and kept.get("scale") == dataset.SCALES[scale]:
            print(f"Reusing the {scale} database ({kept['counts']})")
            return kept
    marker.unlink(missing_ok=True)
    _empty(url)
    print(f"Building the {scale} database …")
    started = time.monotonic()
    from flask_migrate import upgrade

    from advocacy.extensions import db

    app = _app(url)
    with app.app_context():
        upgrade()
        counts = dataset.build(scale, echo=print)
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    kept = {
        "head": head,
        "scale": dataset.SCALES[scale],
        "counts": counts,
        "built_in": round(time.monotonic() - started),
    }
    marker.write_text(json.dumps(kept))
    return kept


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(target: str, env: dict) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", target],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        # the port opens with the master; the workers answer once started (and,
        # with gunicorn.conf.py, once they have warmed their page cache)
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/")
            if connection.getresponse().status < 500:
                connection.close()
                return process, f"http://127.0.0.1:{port}"
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{target} did not start")


def _wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        sys.exit(
            "The benchmark needs wrk, the HTTP load generator: apt-get install wrk"
        )
    return path


def _lua(entry) -> str:
    method, path, body = entry if isinstance(entry, tuple) else ("GET", entry, "")
    return "{" + ", ".join(json.dumps(v) for v in (method, path, body)) + "}"


def _load(base: str, paths: list, cookie: str = "", connections: int = 0) -> dict:
    """Load ``base`` with ``paths`` in turn: addresses to GET, or (method, path,
    form body) entries."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            WRK_SCRIPT % (", ".join(_lua(p) for p in paths), json.dumps(cookie))
        )
    try:
        # warm up the workers (imports, caches), then measure
        subprocess.run(  # noqa: S603
            [_wrk(), "-t1", "-c2", "-d2s", "-s", script.name, base],
            check=True,
            capture_output=True,
        )
        out = subprocess.run(  # noqa: S603
            [
                _wrk(),
                f"-t{min(2, connections or CONNECTIONS)}",
                f"-c{connections or CONNECTIONS}",
                f"-d{DURATION}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)
    result = json.loads(out.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def _member_cookie(url: str, user_agent: str | None = None) -> tuple[str, str]:
    """A signed-in session of ``bench.member``, as the served app will read it
    from wrk (from 127.0.0.1, without a User-Agent: the session is bound to both),
    and the CSRF token of that session, for the forms it sends."""
    from flask import session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf

    from advocacy.extensions import db
    from advocacy.models import User
    from advocacy.services import accounts

    app = _app(url)
    headers = {"User-Agent": user_agent} if user_agent else {}
    with app.test_request_context(
        environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers=headers
    ):
        user = db.session.scalar(sa.select(User).filter_by(email=dataset.MEMBER_EMAIL))
        accounts.start_session(user)
        login_user(user)
        token = generate_csrf()
        db.session.commit()
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
        db.engine.dispose()
    return f"{app.config['SESSION_COOKIE_NAME']}={value}", token


def _pages(url: str) -> list[tuple[str, list[str], bool]]:
    """(name, addresses, signed in?) of the pages measured."""
    from advocacy.models import Position, Statement

    app = _app(url)
    with app.app_context():
        from advocacy.extensions import db

        slugs = db.session.scalars(
            sa.select(Statement.slug).order_by(Statement.id).limit(500)
        ).all()

        def position(title: str) -> int:
            return db.session.scalar(
                sa.select(Position.id).filter_by(title=title).order_by(Position.id)
            )

        drafted = position("Pour une commande publique responsable")
        consulted = position("Bien vieillir dans nos territoires")
        voted = position("Une alimentation saine et durable")
        db.engine.dispose()
    questions = [
        "économie sociale",
        "emploi",
        "transition écologique",
        "commande publique",
        "coopération territoire",
        '"innovation sociale"',
        "logement -tourisme",
        "santé",
    ]
    return [
        ("Home", ["/"], False),
        ("Statements list", [f"/statements/?page={n}" for n in range(1, 21)], False),
        ("Statement page", [f"/statements/{s}" for s in slugs], False),
        ("Search", [f"/search?q={quote(q)}" for q in questions], False),
        ("API list", [f"/api/v1/statements?page={n}" for n in range(1, 26)], False),
        ("PDF", [f"/statements/{s}.pdf" for s in slugs[:40]], False),
        ("Workspace", ["/workspace/"], True),
        ("Position in consultation", [f"/positions/{consulted}"], True),
        ("Vote results", [f"/positions/{voted}/vote"], True),
        ("Board queue", ["/board/"], True),
        ("History", [f"/positions/{drafted}/history"], True),
        ("Diff", [f"/positions/{drafted}/compare?from=1&to=41"], True),
        ("Notifications", ["/notifications/"], True),
    ]


def _keep_pdfs(url: str, paths: list[str]) -> None:
    """Lay out the PDFs the benchmark reads, as their first readers would have on
    a site in use (each is laid out once, then kept): measured, they are sends."""
    app = _app(url, PUBLIC_CACHE_ENTRIES=0, MEMBER_CACHE_ENTRIES=0)
    client = app.test_client()
    for path in paths:
        answer = client.get(path, headers={"Accept-Language": "fr"})
        if answer.status_code != 200:
            raise RuntimeError(f"{path}: {answer.status_code}")
    with app.app_context():
        from advocacy.extensions import db

        db.engine.dispose()


#: Comments the benchmark writes carry this, and are removed after it.
WRITTEN = "Avis de charge du banc d'essai"


def _writes(url: str, token: str) -> list[tuple[str, list]]:
    """(name, form posts) of the writes measured: members commenting on the
    position in consultation, and networks changing their ballot on the open vote."""
    from advocacy.extensions import db
    from advocacy.models import Motion, Position, User

    app = _app(url)
    with app.app_context():
        member = db.session.scalar(
            sa.select(User).filter_by(email=dataset.MEMBER_EMAIL)
        )
        network = member.memberships[0].network_id

        def position(title: str) -> int:
            return db.session.scalar(
                sa.select(Position.id).filter_by(title=title).order_by(Position.id)
            )

        consulted = position("Bien vieillir dans nos territoires")
        voting = position("Jeunesse : l'engagement, levier d'insertion")
        motions = db.session.scalars(
            sa.select(Motion.id)
            .where(Motion.position_id == voting, Motion.closed_at.is_(None))
            .order_by(Motion.id)
        ).all()
        db.engine.dispose()
    comment = urlencode(
        {"body": WRITTEN, "section": "", "network": network, "csrf_token": token}
    )
    ballots = [
        urlencode({"motion": m, "network": network, "choice": c, "csrf_token": token})
        for m in motions
        for c in ("for", "against")
    ]
    return [
        ("Comment (write)", [("POST", f"/positions/{consulted}/comments", comment)]),
        (
            "Ballot (write)",
            [("POST", f"/positions/{voting}/vote/ballot", b) for b in ballots],
        ),
    ]


def _clean_writes(url: str) -> None:
    """Remove the comments the benchmark wrote: the data set stays as built."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text("DELETE FROM comments WHERE body = :body"), {"body": WRITTEN}
        )
    engine.dispose()


#: The draft the saves are made on: made before, removed after.
SAVED = "Banc d'essai : huit plumes sur un même texte"
SAVERS = 8


def _pen(pen: int, count: int) -> str:
    return f"Texte de la plume {pen}, enregistrement {count}."


def _saving_position(url: str) -> tuple[int, int]:
    """A draft led by the member's network, in which each of the savers writes
    a paragraph of its own (so that saves made meanwhile merge without conflict,
    as co-authors' do): (position, network)."""
    from advocacy.extensions import db
    from advocacy.models import User
    from advocacy.services import positions as positions_service

    _clean_saves(url)
    app = _app(url)
    with app.app_context():
        member = db.session.scalar(
            sa.select(User).filter_by(email=dataset.MEMBER_EMAIL)
        )
        network = member.memberships[0].network
        body = "\n\n".join(
            f"## Paragraphe {pen}\n\n{_pen(pen, 0)}\n\n"
            "Une phrase commune, que personne ne change."
            for pen in range(1, SAVERS + 1)
        )
        position = positions_service.create_position(
            title=SAVED,
            summary="",
            body=body,
            lead=network,
            themes=[],
            arenas=[],
            by=member,
        )
        db.session.commit()
        made = position.id, network.id
        db.engine.dispose()
    return made


def _clean_saves(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        found = {"title": SAVED}
        connection.execute(
            sa.text(
                "UPDATE positions SET current_revision_id = NULL WHERE title = :title"
            ),
            found,
        )
        connection.execute(sa.text("DELETE FROM positions WHERE title = :title"), found)
    engine.dispose()


def _saves(base: str, cookie: str, token: str, url: str) -> dict:
    """Saves per second with ``SAVERS`` co-authors at once, each opening the
    editor, changing their paragraph and saving (what the write costs: the lock,
    the merge with what was saved meanwhile, the new revision). Latencies are the
    saves'; a save refused (a conflict, an error) is counted as an error."""
    position, network = _saving_position(url)
    address = urlsplit(base)
    deadline = time.monotonic() + DURATION
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def pen(number: int) -> None:
        connection = http.client.HTTPConnection(address.hostname, address.port)
        jar = cookie
        count = 0

        def ask(method, path, body=None):
            nonlocal jar
            headers = {"Cookie": jar, "Accept-Language": "fr"}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode()
            kept = re.match(r"(session=[^;]*)", response.getheader("Set-Cookie") or "")
            if kept:
                jar = kept.group(1)
            return response.status, page

        while time.monotonic() < deadline:
            _status, page = ask("GET", f"/positions/{position}/edit")
            start = re.search(r'name="base_revision" type="hidden" value="(\d+)"', page)
            text = re.search(
                r'<textarea[^>]*name="body"[^>]*>\r?\n?(.*?)</textarea>', page, re.S
            )
            if not (start and text):
                with lock:
                    errors[0] += 1
                continue
            count += 1
            body = re.sub(
                rf"^Texte de la plume {number},.*$",
                _pen(number, count),
                html.unescape(text.group(1)),
                flags=re.M,
            )
            form = urlencode(
                {
                    "title": SAVED,
                    "summary": "",
                    "body": body,
                    "message": f"Plume {number}",
                    "base_revision": start.group(1),
                    "network": network,
                    "csrf_token": token,
                }
            )
            began = time.perf_counter()
            status, _page = ask("POST", f"/positions/{position}/edit", form)
            took = (time.perf_counter() - began) * 1000
            with lock:
                if status in (302, 303):
                    latencies.append(took)
                else:
                    errors[0] += 1
        connection.close()

    began = time.monotonic()
    pens = [threading.Thread(target=pen, args=(n,)) for n in range(1, SAVERS + 1)]
    for thread in pens:
        thread.start()
    for thread in pens:
        thread.join()
    seconds = time.monotonic() - began
    _clean_saves(url)
    latencies.sort()

    def percentile(share: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(share * len(latencies)))]
            if latencies
            else 0
        )

    return {
        "requests": len(latencies),
        "seconds": seconds,
        "rps": len(latencies) / seconds,
        "p50": percentile(0.50),
        "p95": percentile(0.95),
        "errors": errors[0],
    }


def measure(database: str, scale: str) -> dict:
    """Every page of one target, cached and not, then the writes, with its own
    ceiling."""
    url = database_url(database, scale)
    kept = prepare_database(url, scale)
    env = {
        "FLASK_SECRET_KEY": SECRET,
        "FLASK_SQLALCHEMY_DATABASE_URI": url,
        "FLASK_RATELIMIT_STORAGE_URI": "memory://",
    }
    pages = _pages(url)
    _keep_pdfs(url, next(paths for name, paths, _s in pages if name == "PDF"))
    cookie, token = _member_cookie(url)
    writes = _writes(url, token)
    process, base = _serve("benchmarks.ceiling:app", env)
    try:
        ceiling = _load(base, ["/"])
    finally:
        process.terminate()
        process.wait()
    results = {"Ceiling (bare Flask page)": ceiling}

    def run(key, paths, cookie="", connections=0):
        if ONLY and not any(o in key.lower() for o in ONLY):
            return
        results[key] = r = _load(base, paths, cookie, connections)
        print(
            f"  {database}/{scale} {key}: {r['rps']:,.0f} req/s,"
            f" p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms,"
            f" {r['rps'] / ceiling['rps']:.2f}"
        )

    for label, entries in (("cached", "1000"), ("rendered", "0")):
        process, base = _serve(
            "advocacy:create_app()",
            {
                **env,
                "FLASK_PUBLIC_CACHE_ENTRIES": entries,
                "FLASK_MEMBER_CACHE_ENTRIES": entries,
            },
        )
        try:
            for name, paths, signed_in in pages:
                key = f"{name} (cache)" if label == "cached" else name
                run(key, paths, cookie if signed_in else "")
            if label == "rendered":
                search = next(paths for name, paths, _s in pages if name == "Search")
                run("Search, one reader", search, connections=1)
                for name, posts in writes:
                    run(name, posts, cookie)
                if not ONLY or any(o in "save (write)" for o in ONLY):
                    results["Save (write)"] = r = _saves(base, cookie, token, url)
                    print(
                        f"  {database}/{scale} Save (write): {r['rps']:,.0f} saves/s,"
                        f" p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms,"
                        f" {r['errors']} errors"
                    )
        finally:
            process.terminate()
            process.wait()
            _clean_writes(url)
    return {"counts": kept["counts"], "built_in": kept.get("built_in"), **results}


def _cell(result: dict, ceiling: dict) -> str:
    errors = f", {result['errors']} errors" if result["errors"] else ""
    return (
        f"{result['rps'] / ceiling['rps']:.2f} ({result['rps']:,.0f}/s,"
        f" p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms{errors})"
    )


def report(measured: dict[str, dict]) -> str:
    columns = list(measured)
    names = [
        n for n in next(iter(measured.values())) if n not in ("counts", "built_in")
    ]
    lines = [
        "| page | " + " | ".join(columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for name in names:
        cells = []
        for column in columns:
            result = measured[column].get(name)
            ceiling = measured[column]["Ceiling (bare Flask page)"]
            cells.append(_cell(result, ceiling) if result else "–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    sizes = [
        f"- **{column}**: "
        + ", ".join(f"{v:,} {k}" for k, v in measured[column]["counts"].items())
        + (
            f"; built in {measured[column]['built_in'] / 60:.1f} min"
            if measured[column].get("built_in")
            else ""
        )
        for column in columns
    ]
    return "\n".join(lines) + "\n\nThe databases:\n\n" + "\n".join(sizes) + "\n"


def main() -> None:
    _wrk()
    measured = {}
    for database, scale in targets():
        measured[f"{database}, {scale}"] = measure(database, scale)
    table = report(measured)
    print("\n" + table)
    if ONLY:
        return
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    REPORT.write_text(
        "# Benchmark: the public site, the API and the members' pages\n\n"
        f"Measured by `make bench` on {datetime.now(UTC):%Y-%m-%d} ({machine}).\n\n"
        "Each cell is the page's throughput as a share of the ceiling's — a bare"
        " Flask app answering a fixed page, served the same way in the same run —"
        " then requests per second and the 50th and 95th percentiles of latency. The app and"
        " the ceiling are each served by gunicorn with 2 sync workers; wrk loads"
        f" them from another process, {CONNECTIONS} connections for {DURATION} s"
        " per page after a 2 s warm-up. Public pages rotate over many addresses"
        " (500 statements, 20 pages of the list, 25 of the API, 8 questions, 40"
        " PDFs). The members' pages (workspace and below) are loaded with the"
        " session of a member who represents the lead network and sits on the"
        ' board. "(cache)" rows are served with the page cache on, as deployed:'
        " public pages for anonymous readers, and a member's pages kept for"
        " their session, until the next write; the other rows are rendered at"
        " every request, as after a write (with the kept parts of members'"
        ' pages). "Search, one reader" is one connection, as a person searching'
        " alone sees it. The writes post forms as that member, 8 at once:"
        " comments on the position in consultation, and ballots changed on the"
        " open vote (each answered by a redirection once committed); saves are"
        f" {SAVERS} co-authors of one draft each opening the editor, changing"
        " their own paragraph and saving (merged with what was saved meanwhile),"
        " counted in saves per second with the saves' latencies.\n\n"
        + table
        + "\nAims: the pages members use at least 0.10 of the ceiling at region scale"
        " and 0.07 nationally, with a p95 under 100 ms; a kept PDF at least 0.5;"
        " search by one reader with a p50 under 30 ms nationally; anonymous pages from the cache near the ceiling. Client and servers share"
        " the machine's cores: compare ratios, not requests per second, across"
        " machines.\n"
    )
    print(f"Written to {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
