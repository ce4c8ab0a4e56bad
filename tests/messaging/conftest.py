"""Real protocol peers started by the tests: SMTP (aiosmtpd), IMAP, HTTP providers."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SmtpRecorder:
    """An aiosmtpd handler that keeps every message, or answers with a chosen error."""

    messages: list[Message] = field(default_factory=list)
    # The client address of each message's SMTP session: one per TCP connection.
    sessions: list[tuple[str, int]] = field(default_factory=list)
    reply: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    controller: Controller | None = None

    def restart(self) -> None:
        """Stop the server, dropping its sessions, and start it again on the same port."""
        assert self.controller is not None
        self.controller.stop()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.controller.port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):
        if self.reply:
            return self.reply
        with self.lock:
            self.messages.append(message_from_bytes(envelope.original_content))
            self.sessions.append(session.peer)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free port; Django's SMTP backend points at it."""
    recorder = SmtpRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    recorder.controller = controller
    settings.HAMKOR_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "shop@hamkor.test"
    yield recorder
    from hamkor.messaging.providers.email import close_connection

    # Say QUIT while the server still listens; else it logs the EOF after the test has ended.
    close_connection()
    recorder.controller.stop()


@pytest.fixture
def imap_server(settings):
    """A real (small) IMAP4rev1 server on a free port; Hamkor's IMAP settings point at it."""
    from tests.messaging.peers import ImapServer

    server = ImapServer()
    server.thread.start()
    settings.HAMKOR_IMAP_ENABLED = True
    settings.HAMKOR_IMAP_HOST = "127.0.0.1"
    settings.HAMKOR_IMAP_PORT = server.port
    settings.HAMKOR_IMAP_SSL = False
    settings.HAMKOR_IMAP_USER = "shop@hamkor.test"
    settings.HAMKOR_IMAP_PASSWORD = "secret"
    yield server.mailbox
    server.shutdown()
    server.server_close()


@pytest.fixture
def http_peer():
    from tests.messaging.peers import HttpPeer

    peer = HttpPeer()
    peer.thread.start()
    yield peer
    peer.shutdown()
    peer.server_close()
