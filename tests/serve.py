"""Serve the test app in a process of its own, as a production host would.

    python -m tests.serve DATABASE_URL PORT FOLDER

Several of them on one database stand for several app hosts behind a load balancer.
"""

import sys
from pathlib import Path

from werkzeug.serving import run_simple

from tests.conftest import make_app


def main() -> None:
    url, port, folder = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    app = make_app(url, folder, WTF_CSRF_ENABLED=True)
    run_simple("127.0.0.1", port, app, threaded=True)


if __name__ == "__main__":
    main()
