"""A hostile HTTPS server on loopback: it answers every request (a forge's token API, OAuth
discovery, the device authorization and token endpoints) in the way a test picks.

  mode "huge"      200 and a body of 2 GiB made on the fly, with no Content-Length
  mode "declared"  200 and "Content-Length: 2147483648", then the same endless body
  mode "trickle"   200, a Content-Length under a kilobyte, then one byte every 50 ms
  mode "headers"   200 and header lines without end
  mode "escapes"   a working OAuth server (discovery, device code, token endpoint) whose
                   user code and errors carry terminal escapes, C1 controls and bidi overrides
  mode "escapes_page"  the same, and its verification page too
  mode "oauth"     the same OAuth server with plain words, granting at the first poll

The mode can be set per path prefix (set_mode("/token", "huge"); the longest prefix
wins), so discovery may work while the token endpoint streams. Nothing large is ever held
in memory: the body is one 64 KiB block written again and again until the client hangs
up. Standard library only.
"""

import http.server
import json
import secrets
import ssl
import threading
import time

from git_https import LoopbackHttpsServer

GIB = 1 << 30
BLOCK = b"[" + b"0," * (32 * 1024 - 1) + b"0"  # 64 KiB of JSON-looking bytes

# The words of mode "escapes": a window title, a screen clear and red (C0 ESC and BEL),
# a CSI as a C1 control (U+009B), and a right-to-left override (U+202E).
HOSTILE_CODE = "AB\x1b[2J\u009b31mCD\u202eEF"
HOSTILE_ERROR = "evil\x1b]0;pwned-title\x07"
HOSTILE_DESCRIPTION = "denied\x1b[2J\x1b[31mRED\u009b1m\u202egnp.exe\nsecond line"


class HostileHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "patrol-test-hostile/1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self.answer()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.answer()

    def answer(self):
        owner = self.server.owner
        path = self.path.partition("?")[0]
        owner.note(self.command, path)
        mode = owner.mode_for(path)
        try:
            getattr(self, "mode_" + mode)(path)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass  # the client gave up, as it should
        self.close_connection = True

    # bounds ------------------------------------------------------------------

    def stream(self, limit):
        """Writes BLOCK until limit bytes are out, the client hangs up or the server stops."""
        sent = 0
        while sent < limit and not self.server.owner.stopping.is_set():
            chunk = BLOCK[:limit - sent]
            self.wfile.write(chunk)
            sent += len(chunk)

    def mode_huge(self, path):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        self.stream(2 * GIB)

    def mode_declared(self, path):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(2 * GIB))
        self.end_headers()
        self.stream(2 * GIB)

    def mode_trickle(self, path):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        owner = self.server.owner
        for _ in range(1000):
            self.wfile.write(b" ")
            self.wfile.flush()
            if owner.stopping.wait(0.05):
                return

    def mode_headers(self, path):
        self.send_response(200)
        self.flush_headers()  # the status line goes out; the headers never end
        line = b"X-Padding: " + b"a" * 1000 + b"\r\n"
        sent = 0
        while sent < 2 * GIB and not self.server.owner.stopping.is_set():
            self.wfile.write(line)
            sent += len(line)

    # OAuth -------------------------------------------------------------------

    def send_json(self, status, document):
        body = json.dumps(document).encode()  # \u escapes, as any JSON library sends them
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def oauth(self, path, hostile, hostile_page=False):
        base = self.server.owner.url
        if path.startswith("/.well-known/"):
            self.send_json(200, {"issuer": base,
                                 "device_authorization_endpoint": base + "/device",
                                 "token_endpoint": base + "/token"})
        elif path == "/device":
            self.send_json(200, {
                "device_code": secrets.token_hex(16),
                "user_code": HOSTILE_CODE if hostile else "ABCD-EFGH",
                # C1 and bidi: libcurl takes them in a URL, so such a page passes the
                # origin check and is shown escaped; one with C0 controls is refused unseen.
                "verification_uri": base + ("/dev\u009b2J\u202eice\x1b[8m" if hostile_page
                                            else "/dev\u009b2J\u202eice" if hostile
                                            else "/verify"),
                "expires_in": 60, "interval": 1})
        elif path == "/token" and hostile:
            self.send_json(400, {"error": HOSTILE_ERROR, "error_description": HOSTILE_DESCRIPTION})
        elif path == "/token":
            self.send_json(200, {"access_token": "oauth-" + secrets.token_hex(8),
                                 "refresh_token": "refresh-" + secrets.token_hex(8),
                                 "token_type": "Bearer", "expires_in": 30})
        else:
            self.send_json(404, {"error": "not_found"})

    def mode_escapes(self, path):
        self.oauth(path, hostile=True)

    def mode_escapes_page(self, path):
        self.oauth(path, hostile=True, hostile_page=True)

    def mode_oauth(self, path):
        self.oauth(path, hostile=False)


class HostileServer(LoopbackHttpsServer):
    """Serves HostileHandler over HTTPS on 127.0.0.1 with the test CA's certificate."""

    handler_class = HostileHandler

    def __init__(self, cert, key, mode="huge"):
        self.default_mode = mode
        self.modes = {}             # path prefix -> mode
        self.requests = []          # (method, path)
        self.stopping = threading.Event()
        super().__init__(cert, key)

    def set_mode(self, prefix, mode):
        with self._lock:
            self.modes[prefix] = mode

    def mode_for(self, path):
        """The mode of the longest prefix set for path, else the default."""
        with self._lock:
            matching = [prefix for prefix in self.modes if path.startswith(prefix)]
            return self.modes[max(matching, key=len)] if matching else self.default_mode

    def note(self, method, path):
        with self._lock:
            self.requests.append((method, path))

    def paths(self):
        with self._lock:
            return [path for _, path in self.requests]

    def stop(self):
        self.stopping.set()  # handlers streaming a huge answer stop
        super().stop()
