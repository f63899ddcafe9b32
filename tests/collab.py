"""The collaboration server for tests: processes of its own, and editors written
in Python that speak the standard Yjs protocol to it (pycrdt, websockets)."""

import contextvars
import json
import os
import signal
import socket
import subprocess  # noqa: S404
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import anyio
import websockets
from pycrdt import (
    Awareness,
    Text,
    YMessageType,
    create_sync_message,
    create_update_message,
    handle_sync_message,
    read_message,
)

from advocacy.collab.tokens import make_token
from advocacy.services.live import new_doc

SECRET = "test-secret-key"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class CollabProcess:
    """One collaboration server process on the test database."""

    database_url: str
    folder: Path
    config: dict
    port: int = 0
    process: subprocess.Popen | None = None

    def start(self) -> "CollabProcess":
        self.port = self.port or free_port()
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "tests.collab_serve",
                self.database_url,
                str(self.port),
                str(self.folder),
                json.dumps(self.config),
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health"):  # noqa: S310
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        "the collaboration server did not start"
                    ) from None
                time.sleep(0.1)
        raise RuntimeError("the collaboration server did not answer")

    def url(self, position_id, token: str) -> str:
        return f"ws://127.0.0.1:{self.port}/collab/{position_id}?token={token}"

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, as when a host dies."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def run(scenario) -> None:
    """Run an async scenario to its end, in a thread of its own (the browser tests'
    Playwright keeps an event loop running in the main thread)."""
    failure: list[BaseException] = []
    context = contextvars.copy_context()  # the test's app context comes along

    def target():
        try:
            context.run(anyio.run, scenario)
        except BaseException as exc:  # re-raised in the test's thread
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def token_for(person, position) -> str:
    return make_token(SECRET, person_id=person.id, position_id=position.id)


class Editor:
    """A person in a room: their copy of the document, kept in sync."""

    def __init__(self, url: str):
        self.url = url
        self.doc = new_doc()
        self.awareness = Awareness(self.doc)
        self.ws = None
        self.close_code: int | None = None
        self.synced = anyio.Event()

    async def __aenter__(self) -> "Editor":
        self.ws = await websockets.connect(self.url)
        self._tasks = anyio.create_task_group()
        await self._tasks.__aenter__()
        self._tasks.start_soon(self._receive)
        await self.send(create_sync_message(self.doc))
        return self

    async def send(self, message: bytes) -> None:
        """Send, unless the server closed the connection (then ``close_code`` says why)."""
        try:
            await self.ws.send(message)
        except websockets.ConnectionClosed:
            pass

    async def __aexit__(self, *exc):
        await self.ws.close()
        self._tasks.cancel_scope.cancel()
        await self._tasks.__aexit__(*exc)

    async def _receive(self) -> None:
        try:
            async for message in self.ws:
                if message[0] == YMessageType.SYNC:
                    if message[1] == 1:  # step 2: the server's state
                        self.synced.set()
                    reply = handle_sync_message(message[1:], self.doc)
                    if reply is not None:
                        await self.send(reply)
                elif message[0] == YMessageType.AWARENESS:
                    self.awareness.apply_awareness_update(
                        read_message(message[1:]), "server"
                    )
        except websockets.ConnectionClosed:
            pass
        self.close_code = self.ws.close_code
        self.synced.set()

    def text(self, field: str = "body") -> str:
        return str(self.doc.get(field, type=Text))

    async def type(self, text: str, field: str = "body", at: int | None = None) -> None:
        """Type at a character position (the end by default), as an editor sends it."""
        current = self.text(field)
        at = len(current) if at is None else at
        before = self.doc.get_state()
        self.doc.get(field, type=Text).insert(len(current[:at].encode()), text)
        await self.send(create_update_message(self.doc.get_update(before)))

    @property
    def room(self) -> dict:
        """What the server says of the room (its awareness state)."""
        for state in self.awareness.states.values():
            if state and "room" in state:
                return state["room"]
        return {}

    async def wait_for(self, check, timeout: float = 5.0) -> float:
        """Wait until ``check()`` holds; the seconds it took (fails after ``timeout``)."""
        start = time.monotonic()
        with anyio.fail_after(timeout):
            while not check():
                await anyio.sleep(0.01)
        return time.monotonic() - start

    async def closed(self, timeout: float = 5.0) -> int:
        await self.wait_for(lambda: self.close_code is not None, timeout)
        return self.close_code
