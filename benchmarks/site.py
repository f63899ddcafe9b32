"""Benchmark: the public site and the API on a region-scale database.

Run with ``make bench``. Builds (once) a database of 1,500 networks, 5,000
people, 500 published statements, 50,000 comments and 200,000 ballots in
``instance/bench.sqlite3``; serves the app with gunicorn (2 workers) and, the
same way, a trivial Flask app as the ceiling; loads each page with wrk from
another process; prints requests per second, p50 and p95 latency and the ratio
to the ceiling, and writes the table to ``docs/benchmarks.md``.
"""

import json
import os
import platform
import secrets
import shutil
import socket
import subprocess  # noqa: S404
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from benchmarks import dataset

ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / "instance" / "bench.sqlite3"
MARKER = ROOT / "instance" / "bench.json"
REPORT = ROOT / "docs" / "benchmarks.md"
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
GUNICORN = [
    sys.executable,
    "-m",
    "gunicorn",
    "--workers",
    "2",
    "--log-level",
    "warning",
]

#: What wrk sends: each request takes the next path of the list, and at the end
#: the script prints what it measured as one JSON line.
WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {["Accept-Language"] = "fr"})
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


def _app(**config):
    from advocacy import create_app

    return create_app(
        {
            "SECRET_KEY": "benchmark",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{DATABASE}",
            "RATELIMIT_STORAGE_URI": "memory://",
            **config,
        }
    )


def _head() -> str:
    """The latest migration: a database built by an older schema is built anew."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(ROOT / "migrations")).get_current_head()


def prepare_database() -> dict:
    """The region-scale database, built once and kept while the schema is the same."""
    head = _head()
    if MARKER.exists() and DATABASE.exists():
        marker = json.loads(MARKER.read_text())
        if marker.get("head") == head and marker.get("scale") == dataset.SCALE:
            print(f"Reusing {DATABASE.relative_to(ROOT)} ({marker['counts']})")
            return marker["counts"]
    for path in (DATABASE, MARKER):
        path.unlink(missing_ok=True)
    print(f"Building the region-scale database in {DATABASE.relative_to(ROOT)} …")
    from flask_migrate import upgrade

    from advocacy.extensions import db

    app = _app()
    with app.app_context():
        upgrade()
        with app.test_request_context():
            counts = dataset.build(echo=print)
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    MARKER.write_text(
        json.dumps({"head": head, "scale": dataset.SCALE, "counts": counts})
    )
    return counts


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
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
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


def _load(base: str, paths: list[str]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
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
                "-t2",
                f"-c{CONNECTIONS}",
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


def _pages() -> list[tuple[str, list[str]]]:
    """The pages measured, each over many addresses (statements, questions)."""
    from advocacy.models import Statement

    app = _app()
    with app.app_context():
        from advocacy.extensions import db

        slugs = db.session.scalars(
            sa.select(Statement.slug).order_by(Statement.id)
        ).all()
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
        ("Home", ["/"]),
        ("Statements list", [f"/statements/?page={n}" for n in range(1, 21)]),
        ("Statement page", [f"/statements/{s}" for s in slugs]),
        ("Search", [f"/search?q={quote(q)}" for q in questions]),
        (
            "API list",
            [f"/api/v1/statements?page={n}" for n in range(1, 26)],
        ),  # 20 a page
        ("PDF", [f"/statements/{s}.pdf" for s in slugs[:40]]),
    ]


def _table(rows: list[tuple[str, dict]], ceiling: dict) -> str:
    lines = [
        "| page | requests/s | p50 (ms) | p95 (ms) | ratio to ceiling | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in [("Ceiling (trivial Flask app)", ceiling), *rows]:
        lines.append(
            f"| {name} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f}"
            f" | {r['rps'] / ceiling['rps']:.2f} | {r['errors']} |"
        )
    return "\n".join(lines)


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit(
            "The benchmark needs wrk, the HTTP load generator: apt-get install wrk"
        )
    counts = prepare_database()
    env = {
        "FLASK_SECRET_KEY": secrets.token_hex(32),
        "FLASK_SQLALCHEMY_DATABASE_URI": f"sqlite:///{DATABASE}",
        "FLASK_RATELIMIT_STORAGE_URI": "memory://",
    }
    pages = _pages()
    process, base = _serve("benchmarks.ceiling:app", env)
    try:
        ceiling = _load(base, ["/"])
    finally:
        process.terminate()
        process.wait()
    tables = {}
    for label, entries in (("cached", "1000"), ("rendered", "0")):
        rows = []
        process, base = _serve(
            "advocacy:create_app()", {**env, "FLASK_PUBLIC_CACHE_ENTRIES": entries}
        )
        try:
            for name, paths in pages:
                rows.append((name, _load(base, paths)))
                print(f"  {name} ({label}): {rows[-1][1]['rps']:,.0f} requests/s")
        finally:
            process.terminate()
            process.wait()
        tables[label] = _table(rows, ceiling)
    print("\nAnonymous readers, public page cache on (as deployed):\n")
    print(tables["cached"])
    print("\nEvery request rendered (cache off: what a signed-in member costs):\n")
    print(tables["rendered"])
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    REPORT.write_text(
        "# Benchmark: the public site and the API\n\n"
        f"Measured by `make bench` on {datetime.now(UTC):%Y-%m-%d} ({machine}).\n\n"
        "The database: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        + " (SQLite, `instance/bench.sqlite3`). The app and the ceiling — a Flask"
        " app that answers a fixed page — are each served by gunicorn with 2 sync"
        f" workers; wrk loads them from another process, {CONNECTIONS} connections"
        f" for {DURATION} s per page, after a 2 s warm-up. Pages rotate over many"
        " addresses: the 500 statements, 20 pages of the list, 25 of the API, 8"
        " questions for the search, 40 PDFs.\n\n"
        + "## Anonymous readers, as deployed\n\n"
        "The public page cache (`advocacy/cache.py`) is on: each worker keeps the"
        " pages it rendered and serves them again until anything is written.\n\n"
        + tables["cached"]
        + "\n\n## Every request rendered\n\n"
        "The same pages with the cache off (`PUBLIC_CACHE_ENTRIES=0`): the cost of a"
        " first reading after a change, and of every page a signed-in member sees.\n\n"
        + tables["rendered"]
        + "\n\nAims: statement page at least half the ceiling's throughput; list,"
        " search and API at least a third. Client and servers share the machine's"
        " cores, so the ratio to the ceiling is the figure to compare across"
        " machines.\n"
    )
    print(f"\nWritten to {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
