"""Local receivers for the alert channels: an SMTP sink and a JSON webhook, on 127.0.0.1 only.

The SMTP sink speaks just enough SMTP (RFC 5321: HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for
Python's `smtplib` to deliver a message; each message is kept as parsed by the `email` package.
"""

from __future__ import annotations

import email
import json
import socketserver
import threading
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


class _SmtpHandler(socketserver.StreamRequestHandler):
    server: SmtpSink._Server

    def reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode("ascii"))

    def handle(self) -> None:
        self.reply("220 127.0.0.1 tiswatch test sink")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-127.0.0.1")
                self.reply("250 8BITMIME")
            elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)
                self.server.messages.append(email.message_from_bytes(b"".join(lines)))
                self.reply("250 OK: queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class SmtpSink:
    class _Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True
        messages: list[Message]

    def __init__(self) -> None:
        self.server = self._Server(("127.0.0.1", 0), _SmtpHandler)
        self.server.messages = []
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def messages(self) -> list[Message]:
        return self.server.messages

    def __enter__(self) -> SmtpSink:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class _WebhookHandler(BaseHTTPRequestHandler):
    server: WebhookReceiver._Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.payloads.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return None


class WebhookReceiver:
    class _Server(ThreadingHTTPServer):
        daemon_threads = True
        payloads: list[dict[str, Any]]

    def __init__(self) -> None:
        self.server = self._Server(("127.0.0.1", 0), _WebhookHandler)
        self.server.payloads = []
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/tiswatch"

    @property
    def payloads(self) -> list[dict[str, Any]]:
        return self.server.payloads

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
