"""The collaboration server: one room per position being written, speaking the
standard Yjs sync and awareness protocol to the editors (pycrdt-websocket rooms).

- A person joins with a token the app signed (``tokens.py``); the server checks
  it, then that the person may edit the position, and closes with 4401 or 4403
  otherwise.
- Every update an editor sends is checked (may this person still write?) and
  stored in the database *before* the room applies it and passes it on: what
  anyone has received is on disk, whatever happens to the process.
- Rooms in several processes share one document through the database: each
  room reads, every ``COLLAB_POLL_SECONDS``, the updates the others stored, and
  the position's state; when the text is closed (consultation opened,
  withdrawn) it stops taking writes and says so to everyone in it (the server's
  awareness state ``room``).
- After ``COLLAB_IDLE_SECONDS`` without typing, a version is saved from the
  live text; a room nobody is in closes.
"""

import logging
import math
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import anyio
from anyio import create_task_group, to_thread
from flask import Flask
from pycrdt import (
    Channel,
    YMessageType,
    YSyncMessageType,
    create_awareness_message,
    read_message,
)
from pycrdt.websocket import YRoom

from advocacy.collab.backend import Backend, Refused, Writer
from advocacy.collab.tokens import read_token
from advocacy.services.live import EMPTY_UPDATE, new_doc

logger = logging.getLogger(__name__)

#: Close codes the editor understands (4000-4999 are the application's).
CLOSE_BAD_TOKEN = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
#: The database failed: the editor reconnects and sends what it has again.
CLOSE_SERVER_ERROR = 4500
#: The most updates stored in one transaction.
WRITES_PER_TRANSACTION = 500
#: A room nobody is in closes after this long (seconds).
EMPTY_ROOM_SECONDS = 5
WRITES = (YSyncMessageType.SYNC_STEP2, YSyncMessageType.SYNC_UPDATE)


@dataclass(eq=False)
class Write:
    """An update waiting to be stored, and what became of it."""

    person_id: int
    update: bytes
    done: anyio.Event = field(default_factory=anyio.Event)
    update_id: int | None = None
    failed: bool = False


class LiveRoom(YRoom):
    """A position's room: its document, and what the server knows of it."""

    def __init__(self, position_id: int, **kwargs):
        super().__init__(ydoc=new_doc(), **kwargs)
        self.position_id = position_id
        #: The last stored update this room has applied.
        self.last_update_id = 0
        #: Updates this process stored and the room applied already.
        self.own: set[int] = set()
        self.writable = True
        self.state = ""
        #: When someone last typed, if no version was saved since.
        self.typed_at: float | None = None
        self.empty_since: float | None = None
        #: Updates on their way to the database (stored by one task, in order).
        self.writes, self.pending_writes = anyio.create_memory_object_stream(math.inf)

    def announce(self) -> None:
        """Tell everyone whether the text may be written (server awareness)."""
        self.awareness.set_local_state(
            {"room": {"writable": self.writable, "state": self.state}}
        )


class Connection(Channel):
    """One editor's WebSocket, as the room sees it: writes are checked and stored
    before the room takes them."""

    def __init__(
        self, receive, send, path: str, server: "CollabServer", writer: Writer
    ):
        self._receive, self._send = receive, send
        self._path = path
        self.server = server
        self.writer = writer
        self.room: LiveRoom | None = None
        # the room sends from several tasks: one queue keeps the messages in order
        self._outbox, self._outgoing = anyio.create_memory_object_stream(math.inf)

    @property
    def path(self) -> str:
        return self._path

    async def send(self, message: bytes) -> None:
        self._outbox.send_nowait(message)

    async def write_out(self) -> None:
        """Send the queued messages, one after the other, while the connection lasts."""
        async for message in self._outgoing:
            try:
                await self._send({"type": "websocket.send", "bytes": message})
            except (OSError, RuntimeError):
                logger.debug("Could not send to a closed connection on %s", self._path)
                return

    async def close(self, code: int, reason: str = "") -> None:
        try:
            await self._send(
                {"type": "websocket.close", "code": code, "reason": reason}
            )
        except (OSError, RuntimeError):
            pass

    async def recv(self) -> bytes:
        while True:
            event = await self._receive()
            if event["type"] == "websocket.disconnect":
                raise StopAsyncIteration
            message = event.get("bytes")
            if event["type"] != "websocket.receive" or not message or len(message) < 2:
                continue
            if message[0] == YMessageType.SYNC and message[1] in WRITES:
                if not await self._keep(read_message(message[2:])):
                    continue
            return message

    async def _keep(self, update: bytes) -> bool:
        """Store an update before the room takes it; False to drop it."""
        room = self.room
        if update == EMPTY_UPDATE:
            return True
        if not room.writable:
            return False
        write = Write(self.writer.person_id, update)
        room.writes.send_nowait(write)
        await write.done.wait()
        if write.failed:
            await self.close(CLOSE_SERVER_ERROR, "try again")
            raise StopAsyncIteration
        if write.update_id is None:
            logger.info(
                "Person %s may no longer write position %s: disconnected",
                self.writer.person_id,
                room.position_id,
            )
            await self.close(CLOSE_FORBIDDEN, "forbidden")
            raise StopAsyncIteration
        room.typed_at = time.monotonic()
        return True

    def __aiter__(self):
        return self

    async def __anext__(self) -> bytes:
        return await self.recv()


class CollabServer:
    """The ASGI application: rooms by position, fed by the database."""

    def __init__(self, app: Flask):
        self.app = app
        self.backend = Backend(app)
        self.rooms: dict[int, LiveRoom] = {}
        self._opening: dict[int, anyio.Lock] = {}
        self._tasks = None
        self.poll_seconds = float(app.config["COLLAB_POLL_SECONDS"])
        self.idle_seconds = float(app.config["COLLAB_IDLE_SECONDS"])
        self.token_seconds = int(app.config["COLLAB_TOKEN_SECONDS"])

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        elif scope["type"] == "http":
            await self._http(scope, send)

    async def _lifespan(self, receive, send):
        async with create_task_group() as tasks:
            self._tasks = tasks
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    tasks.cancel_scope.cancel()
                    await send({"type": "lifespan.shutdown.complete"})
                    return

    async def _http(self, scope, send):
        """A plain GET answers whether the server runs (for supervisors and tests)."""
        ok = scope["path"].rstrip("/").endswith("/health")
        body = b"ok\n" if ok else b"This address takes WebSocket connections.\n"
        await send(
            {
                "type": "http.response.start",
                "status": 200 if ok else 426,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _websocket(self, scope, receive, send):
        event = await receive()
        if event["type"] != "websocket.connect":
            return
        await send({"type": "websocket.accept"})
        connection = Connection(receive, send, scope["path"], self, None)
        position_id = _position_of(scope["path"])
        if position_id is None:
            await connection.close(CLOSE_NOT_FOUND, "not found")
            return
        token = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
        room_pass = token and read_token(
            self.app.config["SECRET_KEY"], token[0], max_age=self.token_seconds
        )
        if not room_pass or room_pass.position_id != position_id:
            await connection.close(CLOSE_BAD_TOKEN, "token")
            return
        try:
            connection.writer = await to_thread.run_sync(
                self.backend.join, room_pass.person_id, position_id
            )
        except Refused:
            await connection.close(CLOSE_FORBIDDEN, "forbidden")
            return
        room = await self._room(position_id)
        connection.room = room
        known = list(room.awareness.states)
        if known:
            update = room.awareness.encode_awareness_update(known)
            await connection.send(create_awareness_message(update))
        logger.info(
            "Person %s joined position %s", connection.writer.person_id, position_id
        )
        async with create_task_group() as tasks:
            tasks.start_soon(connection.write_out)
            await room.serve(connection)
            tasks.cancel_scope.cancel()
        await connection.close(1000)

    async def _room(self, position_id: int) -> LiveRoom:
        """The position's room, opened with everything stored so far."""
        lock = self._opening.setdefault(position_id, anyio.Lock())
        async with lock:
            room = self.rooms.get(position_id)
            if room is not None:
                return room
            room = LiveRoom(position_id, log=logger, exception_handler=_log_error)
            news = await to_thread.run_sync(self.backend.poll, position_id, 0)
            self._apply(room, news)
            await self._tasks.start(room.start)
            room.announce()
            self.rooms[position_id] = room
            self._tasks.start_soon(self._watch, room)
            self._tasks.start_soon(self._store, room)
            return room

    async def _store(self, room: LiveRoom) -> None:
        """Store the room's updates as they come: those that arrive while a
        transaction runs go together in the next one (one commit for many
        keystrokes), each writer checked, in the order they came."""
        async for first in room.pending_writes:
            batch = [first]
            while len(batch) < WRITES_PER_TRANSACTION:
                try:
                    batch.append(room.pending_writes.receive_nowait())
                except anyio.WouldBlock:
                    break
            try:
                ids = await to_thread.run_sync(
                    self.backend.store,
                    room.position_id,
                    [(write.person_id, write.update) for write in batch],
                )
            except Exception:
                logger.exception(
                    "Could not store updates of position %s", room.position_id
                )
                ids = None
            for index, write in enumerate(batch):
                if ids is None:
                    write.failed = True
                else:
                    write.update_id = ids[index]
                    if write.update_id is not None:
                        room.own.add(write.update_id)
                write.done.set()

    def _apply(self, room: LiveRoom, news) -> None:
        for update_id, data, typed in news.updates:
            room.last_update_id = max(room.last_update_id, update_id)
            if update_id in room.own:
                room.own.discard(update_id)
                if typed:  # else folded with others' since (live.compact)
                    continue
            room.ydoc.apply_update(data)
        if (room.writable, room.state) != (news.writable, news.state):
            room.writable, room.state = news.writable, news.state
            if room.started.is_set():
                room.announce()

    async def _watch(self, room: LiveRoom) -> None:
        """Feed the room what other processes stored; save after a pause; close
        the room once nobody is in it."""
        while True:
            await anyio.sleep(self.poll_seconds)
            try:
                news = await to_thread.run_sync(
                    self.backend.poll, room.position_id, room.last_update_id
                )
            except Exception:
                logger.exception("Could not read position %s", room.position_id)
                continue
            self._apply(room, news)
            now = time.monotonic()
            if room.typed_at is not None and now - room.typed_at >= self.idle_seconds:
                room.typed_at = None
                await to_thread.run_sync(self.backend.cut, room.position_id)
            if room.clients:
                room.empty_since = None
                continue
            room.empty_since = room.empty_since or now
            if room.typed_at is None and now - room.empty_since >= EMPTY_ROOM_SECONDS:
                del self.rooms[room.position_id]
                self._opening.pop(room.position_id, None)
                room.writes.close()
                await room.stop()
                return


def _log_error(exception: Exception, log: logging.Logger) -> bool:
    """A failing connection is logged; its room and the others go on."""
    log.error("Collaboration error: %r", exception)
    return True


def _position_of(path: str) -> int | None:
    """The position a room's address names: ``…/<position id>``."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if not last.isdigit() or len(last) > 12:
        return None
    return int(last)
