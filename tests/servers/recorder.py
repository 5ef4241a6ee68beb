#!/usr/bin/python3
"""An HTTPS server on loopback that records every request it receives, to prove where
secrets travel.

It plays whatever a client may take it for, and believes everything:
- git over HTTPS: without credentials 401 with realm "GitLab" (tempting a helper to think
  it is one); with any Basic credentials 404 (so git never calls erase);
- a GitLab and a GitHub token API: every token is active and long-lived;
- OAuth: discovery names endpoints on another server (`discovery_target`), and the token
  and device endpoints refuse.

Each request is kept as a Request: the origin the client addressed (https, the Host
header), method, path, and every header and the body as text with Basic credentials
decoded, so a test can search it for any secret.
"""

import base64
import binascii
import http.server
import json
from dataclasses import dataclass

from git_https import LoopbackHttpsServer


@dataclass
class Request:
    origin: str   # https://<Host header>
    method: str
    path: str
    text: str     # headers (Basic credentials decoded) and body


def decoded_basic(value):
    if not value.startswith("Basic "):
        return ""
    try:
        return base64.b64decode(value[6:], validate=True).decode("utf-8", "replace")
    except binascii.Error:
        return ""


class RecorderHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "patrol-test-recorder/1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def reply(self, status, document=None, headers=()):
        body = json.dumps(document if document is not None else {}).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        authorization = self.headers.get("Authorization", "")
        lines = [f"{name}: {value}" for name, value in self.headers.items()]
        lines.append(decoded_basic(authorization))
        lines.append(body.decode("utf-8", "replace"))
        owner.record(Request(f"https://{self.headers.get('Host', '')}", self.command,
                             self.path, "\n".join(lines)))
        path = self.path.split("?", 1)[0]
        if path.endswith("/info/refs") or path.endswith("/git-upload-pack"):
            if not authorization:
                self.reply(401, headers=[("WWW-Authenticate", 'Basic realm="GitLab"')])
            else:
                self.reply(404)
        elif path.endswith("/personal_access_tokens/self"):
            self.reply(200, {"id": 1, "name": "recorded", "revoked": False, "active": True,
                             "scopes": ["api"], "expires_at": "2099-01-01"})
        elif path.endswith("/user"):
            self.reply(200, {"login": "someone"},
                       [("X-OAuth-Scopes", "repo"),
                        ("GitHub-Authentication-Token-Expiration", "2099-01-01 00:00:00 UTC")])
        elif path.startswith("/.well-known/"):
            target = owner.discovery_target or f"https://{self.headers.get('Host', '')}"
            self.reply(200, {"issuer": target,
                             "device_authorization_endpoint": target + "/oauth/authorize_device",
                             "token_endpoint": target + "/oauth/token",
                             "revocation_endpoint": target + "/oauth/revoke"})
        elif path.startswith("/oauth/"):
            self.reply(400, {"error": "invalid_grant"})
        else:
            self.reply(404)


class RecorderServer(LoopbackHttpsServer):
    handler_class = RecorderHandler

    def __init__(self, cert, key, discovery_target=None):
        self.discovery_target = discovery_target
        self.requests = []
        super().__init__(cert, key)

    def record(self, request):
        with self._lock:
            self.requests.append(request)

    def take(self):
        with self._lock:
            taken, self.requests = self.requests, []
        return taken
