"""Serve the collaboration server in a process of its own, as a production host would.

    python -m tests.collab_serve DATABASE_URL PORT FOLDER [JSON_CONFIG]

Several of them on one database stand for several collaboration hosts.
"""

import json
import sys
from pathlib import Path

import uvicorn

from advocacy.collab.server import CollabServer
from tests.conftest import make_app


def main() -> None:
    url, port, folder = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    overrides = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    server = CollabServer(make_app(url, folder, **overrides))
    uvicorn.run(
        server,
        host="127.0.0.1",
        port=port,
        ws="websockets-sansio",
        lifespan="on",
        log_level="warning",
    )


if __name__ == "__main__":
    main()
