"""A real SMTP server for the tests (aiosmtpd), that can refuse chosen recipients."""

import socket
import threading
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller


class Collector:
    """Keeps every message it accepts; refuses the addresses in ``refuse``."""

    def __init__(self, refuse=()):
        self.refuse = set(refuse)
        self.messages = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(collector, port=None) -> Controller:
    controller = Controller(collector, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller
