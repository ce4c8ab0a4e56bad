"""Small real servers the tests talk to over sockets: IMAP4rev1 and HTTP providers."""

from __future__ import annotations

import json
import socketserver
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Mailbox:
    messages: list[bytes] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)
    logins: list[tuple[str, str]] = field(default_factory=list)


class _ImapHandler(socketserver.StreamRequestHandler):
    """Enough IMAP4rev1 for imaplib: CAPABILITY, LOGIN, SELECT, SEARCH UNSEEN, FETCH RFC822,
    STORE +FLAGS (\\Seen), LOGOUT."""

    def _send(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self) -> None:
        box: Mailbox = self.server.mailbox  # type: ignore[attr-defined]
        self._send("* OK IMAP4rev1 test server ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            tag, _, rest = line.decode().strip().partition(" ")
            command, _, args = rest.partition(" ")
            command = command.upper()
            if command == "CAPABILITY":
                self._send("* CAPABILITY IMAP4rev1")
            elif command == "LOGIN":
                user, _, password = args.partition(" ")
                box.logins.append((user.strip('"'), password.strip('"')))
            elif command == "SELECT":
                self._send(f"* {len(box.messages)} EXISTS")
                self._send("* 0 RECENT")
                self._send(f"{tag} OK [READ-WRITE] SELECT completed")
                continue
            elif command == "SEARCH":
                unseen = [str(i) for i in range(1, len(box.messages) + 1) if i not in box.seen]
                self._send("* SEARCH " + " ".join(unseen))
            elif command == "FETCH":
                number = int(args.split()[0])
                raw = box.messages[number - 1]
                self.wfile.write(f"* {number} FETCH (RFC822 {{{len(raw)}}}\r\n".encode())
                self.wfile.write(raw + b")\r\n")
            elif command == "STORE":
                box.seen.add(int(args.split()[0]))
                self._send(f"* {args.split()[0]} FETCH (FLAGS (\\Seen))")
            elif command == "LOGOUT":
                self._send("* BYE logging out")
                self._send(f"{tag} OK LOGOUT completed")
                return
            self._send(f"{tag} OK {command} completed")


class ImapServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ImapHandler)
        self.mailbox = Mailbox()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.body.decode()))


class HttpPeer(ThreadingHTTPServer):
    """A provider imitation: ``routes`` maps a path to (status, JSON) or a callable."""

    daemon_threads = True

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.routes: dict[str, Any] = {}
        super().__init__(("127.0.0.1", 0), _HttpHandler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _HttpHandler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        server: HttpPeer = self.server  # type: ignore[assignment]
        length = int(self.headers.get("Content-Length") or 0)
        recorded = Recorded("POST", self.path, dict(self.headers.items()), self.rfile.read(length))
        server.requests.append(recorded)
        route = server.routes.get(self.path, (404, {"message": "not found"}))
        status, body = route(recorded) if callable(route) else route
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
