"""Every HTML page the tests render goes through the Nu HTML checker (vnu.jar).

``Recorder`` wraps each test app (and the live server of the browser tests) and keeps
a sample of the HTML answers, a few per address shape and status; at the end of the
session ``check`` runs the checker once over all of them. The checker comes from
npm (``vnu-jar``, pinned in ``assets/package-lock.json``) and runs on Debian's Java.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess  # noqa: S404
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAR = ROOT / "assets" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
#: Pages kept per (method, address shape, status), and in all.
PER_KIND, MOST = 3, 2500


class Recorder:
    """WSGI middleware keeping a sample of the HTML pages an app answers."""

    folder: Path | None = None
    kinds: dict[tuple, int] = {}
    seen: set[str] = set()
    lock = threading.Lock()

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if self.folder is None:
            return self.wsgi_app(environ, start_response)
        answer = {}

        def capture(status, headers, exc_info=None):
            answer["status"] = status
            answer["type"] = next(
                (v for k, v in headers if k.lower() == "content-type"), ""
            )
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        if not answer.get("type", "").startswith("text/html"):
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        self.keep(environ, answer["status"], data)
        return [data]

    @classmethod
    def keep(cls, environ, status: str, data: bytes) -> None:
        if not data.lstrip()[:15].lower().startswith(b"<!doctype html"):
            return  # a fragment (the preview), not a page
        shape = re.sub(r"[0-9]+", "N", environ.get("PATH_INFO", ""))
        shape = re.sub(r"/statements/[^/]+", "/statements/S", shape)
        kind = (environ.get("REQUEST_METHOD"), shape, status[:3])
        digest = hashlib.sha256(data).hexdigest()
        with cls.lock:
            if (
                digest in cls.seen
                or cls.kinds.get(kind, 0) >= PER_KIND
                or len(cls.seen) >= MOST
            ):
                return
            cls.seen.add(digest)
            cls.kinds[kind] = cls.kinds.get(kind, 0) + 1
        name = f"{len(cls.seen):05d}-{kind[0]}-{status[:3]}.html"
        (cls.folder / name).write_bytes(data)
        (cls.folder / (name + ".url")).write_text(
            f"{kind[0]} {environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
        )


def available() -> str | None:
    """Why the checker cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "no Java runtime (Debian: default-jre-headless)"
    if not JAR.exists():
        return "no vnu.jar (make test installs it: npm ci --prefix assets)"
    return None


def check(folder: Path) -> list[str]:
    """The checker's errors on every page of ``folder``, each with its address."""
    pages = sorted(folder.glob("*.html"))
    if not pages:
        return []
    result = subprocess.run(  # noqa: S603
        [
            shutil.which("java"),
            "-Xss4m",
            "-jar",
            str(JAR),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            "--skip-non-html",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors = []
    for message in messages.get("messages", []):
        if message.get("type") != "error":
            continue
        page = Path(message.get("url", "").removeprefix("file:"))
        address = Path(str(page) + ".url")
        where = address.read_text() if address.exists() else page.name
        errors.append(
            f"{where} (line {message.get('lastLine')}): {message.get('message')}"
            f" — {message.get('extract', '').strip()!r}"
        )
    return errors
