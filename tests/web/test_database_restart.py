"""The database drops the app's connections while requests flow: nothing answers 500."""

import threading
import time
import traceback

import pytest
import sqlalchemy as sa

from tests.conftest import IS_POSTGRES, TEST_DB, login

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not IS_POSTGRES, reason="pg_terminate_backend is PostgreSQL's"),
]

PAGES = ["/", "/statements/", "/networks/", "/api/v1/statements", "/workspace/"]


def terminate_the_apps_connections(admin) -> int:
    """What a restart or a failover does to every open connection but ours."""
    with admin.connect() as conn:
        return len(
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).all()
        )


def test_requests_survive_the_connections_being_dropped(
    app, db, publish, representative
):
    publish()
    email = representative.email
    admin = sa.create_engine(TEST_DB, poolclass=sa.pool.NullPool)
    statuses: list[int] = []
    failures: list[str] = []
    stop = threading.Event()

    def reader(client, signed_in: bool):
        n = 0
        while not stop.is_set():
            url = PAGES[n % len(PAGES)] if signed_in else PAGES[n % 4]
            n += 1
            try:
                statuses.append(client.get(url).status_code)
            except Exception as exc:  # the test app lets errors through
                failures.append(f"{url}: {exc!r:.200}\n{traceback.format_exc()}")

    db.session.commit()
    db.session.close()
    clients = []
    for signed_in in (False, True, True):  # signed in before the drops begin
        client = app.test_client()
        if signed_in:
            login(client, email)
        clients.append((client, signed_in))
    threads = [threading.Thread(target=reader, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    terminated = 0
    try:
        for _ in range(8):
            time.sleep(0.25)
            terminated += terminate_the_apps_connections(admin)
        time.sleep(0.25)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        admin.dispose()
    assert terminated > 0, "the test dropped no connection"
    assert failures == [], failures[0]
    assert len(statuses) > 50
    assert all(status < 500 for status in statuses), sorted(set(statuses))
    # and the app goes on afterwards, on fresh connections
    assert app.test_client().get("/statements/").status_code == 200
