"""Benchmark: twenty co-authors typing in one live room.

Run with ``make bench-collab``. A collaboration server process (uvicorn) serves a
position's room on an SQLite database of its own (or PostgreSQL when
``TEST_DATABASE_URL`` is set); twenty simulated editors, each a Yjs client
(pycrdt) on its own WebSocket, type five characters a second for a minute, each
at their own place in the text. Every editor notes when each of the others'
keystrokes reaches it (from the document's state vector), so that the latency
is measured from the keystroke to its arrival at another client. The server's
CPU time and memory are read from /proc; the stored log from the database.
Prints a table and writes it to docs/benchmarks-collab.md.

``BENCH_EDITORS``, ``BENCH_SECONDS`` and ``BENCH_RATE`` change the load.
"""

import os
import platform
import statistics
import subprocess  # noqa: S404
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import anyio
import sqlalchemy as sa
import websockets
from pycrdt import (
    Text,
    YMessageType,
    create_sync_message,
    create_update_message,
    handle_sync_message,
)

from advocacy import create_app
from advocacy.collab.tokens import make_token
from advocacy.extensions import db
from advocacy.models import Base, LiveUpdate, Membership, Network, User
from advocacy.models.networks import Department, EssFamily, NetworkKind
from advocacy.services import live
from advocacy.services import positions as positions_service

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks-collab.md"
EDITORS = int(os.environ.get("BENCH_EDITORS", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
RATE = float(os.environ.get("BENCH_RATE", "5"))
SECRET = "bench-secret-key-" + "x" * 32


def _marker(index: int) -> str:
    """Where each editor types: its own paragraph, made before anyone types."""
    return f"\n[{index}] "


def _state_vector(encoded: bytes) -> dict[int, int]:
    """Decode a Yjs state vector: {client: clock} (lib0 variable-length integers)."""
    position = 0

    def varuint() -> int:
        nonlocal position
        number, shift = 0, 0
        while True:
            byte = encoded[position]
            position += 1
            number |= (byte & 0x7F) << shift
            if byte < 0x80:
                return number
            shift += 7

    return {varuint(): varuint() for _ in range(varuint())}


class Editor:
    """A simulated co-author: types at its own place; notes when others' keystrokes arrive."""

    def __init__(self, index: int, url: str, sent: dict, arrivals: list):
        self.index = index
        self.url = url
        self.doc = live.new_doc()
        self.sent = sent  # (client, clock) -> time sent, shared by all editors
        self.arrivals = arrivals  # latencies in seconds, shared
        self.seen: dict[int, int] = {}
        self.synced = anyio.Event()

    async def run(self, start: float, stop: float) -> None:
        async with websockets.connect(self.url, max_size=None) as ws:
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(self._receive, ws)
                await ws.send(create_sync_message(self.doc))
                await self.synced.wait()
                await anyio.sleep_until(start + self.index / (EDITORS * RATE))
                await self._type(ws, stop)
                await anyio.sleep(2)  # the last keystrokes arrive
                tasks.cancel_scope.cancel()

    async def _type(self, ws, stop: float) -> None:
        text = self.doc.get("body", type=Text)
        marker = _marker(self.index)
        letters = "l'économie sociale et solidaire "
        typed = 0
        while time.monotonic() < stop:
            body = str(text)
            at = len(body[: body.index(marker) + len(marker) + typed].encode())
            before = self.doc.get_state()
            text.insert(at, letters[typed % len(letters)])
            typed += 1
            clock = _state_vector(self.doc.get_state())[self.doc.client_id]
            self.sent[(self.doc.client_id, clock)] = time.monotonic()
            await ws.send(create_update_message(self.doc.get_update(before)))
            await anyio.sleep(1 / RATE)

    async def _receive(self, ws) -> None:
        async for message in ws:
            if message[0] != YMessageType.SYNC:
                continue
            if message[1] == 1:
                self.synced.set()
            reply = handle_sync_message(message[1:], self.doc)
            if reply is not None:
                await ws.send(reply)
            now = time.monotonic()
            own = self.doc.client_id
            for client, clock in _state_vector(self.doc.get_state()).items():
                if client == own:
                    continue
                for tick in range(self.seen.get(client, 0) + 1, clock + 1):
                    sent = self.sent.get((client, tick))
                    if sent is not None:
                        self.arrivals.append(now - sent)
                self.seen[client] = clock


def _prepare(url: str) -> tuple[int, list[int]]:
    """A fresh schema, twenty co-author networks and their representatives, a draft."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "TESTING": True}
    )
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
        people, networks = [], []
        for i in range(EDITORS):
            network = Network(
                name=f"Réseau {i + 1}",
                slug=f"reseau-{i + 1}",
                kind=NetworkKind.SECTOR,
                family=EssFamily.COOPERATIVE,
                department=Department.LOIRE_ATLANTIQUE,
            )
            person = User(
                email=f"plume{i}@example.org",
                display_name=f"Plume {i + 1}",
                password_hash="!",  # noqa: S106 (no password: the bench signs tokens)
            )
            db.session.add_all([network, person])
            db.session.flush()
            db.session.add(Membership(user=person, network=network))
            people.append(person)
            networks.append(network)
        position = positions_service.create_position(
            title="Banc d'essai : vingt plumes dans un texte",
            summary="",
            body="## Constat\n\nL'ESS emploie 14 % des salariés du privé.\n"
            + "".join(_marker(i) for i in range(EDITORS)),
            lead=networks[0],
            themes=[],
            arenas=[],
            by=people[0],
        )
        for network in networks[1:]:
            positions_service.add_coauthor(position, network, by=people[0])
        db.session.commit()
        return position.id, [p.id for p in people]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _memory_mb(pid: int) -> tuple[float, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, amount = line.split(":")
            values[key] = int(amount.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def _serve(url: str, port: int) -> subprocess.Popen:
    code = (
        "import uvicorn; from advocacy import create_app;"
        "from advocacy.collab.server import CollabServer;"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': {url!r}, 'SECRET_KEY': {SECRET!r},"
        " 'TESTING': True});"
        f"uvicorn.run(CollabServer(app), host='127.0.0.1', port={port},"
        " ws='websockets-sansio', lifespan='on', log_level='warning')"
    )
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)  # noqa: S603
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health"):  # noqa: S310
                return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the collaboration server did not start")


def _measure(url: str) -> dict:
    position_id, people = _prepare(url)
    port = _free_port()
    server = _serve(url, port)
    sent: dict = {}
    arrivals: list[float] = []
    editors = [
        Editor(
            i,
            f"ws://127.0.0.1:{port}/collab/{position_id}?token="
            + make_token(SECRET, person_id=person, position_id=position_id),
            sent,
            arrivals,
        )
        for i, person in enumerate(people)
    ]
    cpu_before = _cpu_seconds(server.pid)

    async def scenario():
        start = time.monotonic() + 2
        async with anyio.create_task_group() as tasks:
            for editor in editors:
                tasks.start_soon(editor.run, start, start + SECONDS)

    wall = time.monotonic()
    try:
        anyio.run(scenario)
        wall = time.monotonic() - wall
        cpu = _cpu_seconds(server.pid) - cpu_before
        rss, peak = _memory_mb(server.pid)
    finally:
        server.terminate()
        server.wait(10)
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "TESTING": True}
    )
    with app.app_context():
        rows, size = db.session.execute(
            sa.select(sa.func.count(), sa.func.sum(sa.func.length(LiveUpdate.data)))
        ).one()
        texts = live.read(position_id).texts
        converged = all(
            e.doc.get("body", type=Text).to_py() == texts["body"] for e in editors
        )
        db.engine.dispose()
    arrivals.sort()
    return {
        "keystrokes": len(sent),
        "deliveries": len(arrivals),
        "expected": len(sent) * (EDITORS - 1),
        "p50": statistics.median(arrivals) * 1000,
        "p95": arrivals[int(len(arrivals) * 0.95)] * 1000,
        "max": arrivals[-1] * 1000,
        "cpu": cpu / wall * 100,
        "rss": rss,
        "peak": peak,
        "rows": rows,
        "size": (size or 0) / 1024,
        "converged": converged,
    }


def main() -> None:
    targets = []
    with tempfile.TemporaryDirectory() as folder:
        targets.append(("SQLite", f"sqlite:///{folder}/collab.sqlite3"))
        if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
            targets.append(("PostgreSQL", os.environ["TEST_DATABASE_URL"]))
        results = [(name, _measure(url)) for name, url in targets]
    lines = [
        "# Live co-writing: twenty co-authors in one room",
        "",
        f"Measured by `make bench-collab` on {time.strftime('%Y-%m-%d')}"
        f" ({platform.machine()}, {os.cpu_count()} cores, Python"
        f" {platform.python_version()}): {EDITORS} editors (Yjs clients in one"
        f" process) each type {RATE:g} characters a second for {SECONDS:g} s in one"
        " position's room; one collaboration server process (uvicorn) stores every"
        " update before passing it on. Latency: from a keystroke to its arrival at"
        " another editor (every pair). Aim: p95 under 200 ms.",
        "",
        "| Database | Keystrokes | Deliveries | p50 | p95 | max | Server CPU"
        " | Server memory (peak) | Stored log | Converged |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, r in results:
        lines.append(
            f"| {name} | {r['keystrokes']:,} | {r['deliveries']:,} of {r['expected']:,}"
            f" | {r['p50']:.0f} ms | {r['p95']:.0f} ms | {r['max']:.0f} ms"
            f" | {r['cpu']:.0f} % of a core | {r['rss']:.0f} MB ({r['peak']:.0f} MB)"
            f" | {r['rows']:,} updates, {r['size']:,.0f} KB | {'yes' if r['converged'] else 'NO'} |"
        )
    report = "\n".join(lines) + "\n"
    print(report)
    REPORT.write_text(report)


if __name__ == "__main__":
    main()
