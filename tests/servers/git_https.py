#!/usr/bin/python3
"""An HTTPS git server on loopback: git-http-backend behind TLS and basic auth.

Usable in-process (GitHttpsServer(...).start() in a thread) or as a script that
prints its port and CA file. Forge test servers subclass it and replace
authenticate() to accept the tokens they issue.
"""

import argparse
import base64
import binascii
import http.server
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

GIT_HTTP_BACKEND = "/usr/lib/git-core/git-http-backend"


def make_test_ca(directory):
    """Create a CA and a server certificate for 127.0.0.1/::1/localhost signed by it.

    Returns (ca_cert, server_cert, server_key) paths inside directory.
    """
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    ca_key, ca_cert = d / "ca.key", d / "ca.pem"
    key, csr, cert, ext = d / "server.key", d / "server.csr", d / "server.pem", d / "server.ext"
    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run = lambda *a: subprocess.run(["openssl", *a], check=True, capture_output=True)
    run("req", "-x509", *curve, "-keyout", ca_key, "-out", ca_cert, "-days", "2",
        "-subj", "/CN=patrol test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-new", *curve, "-keyout", key, "-out", csr, "-subj", "/CN=localhost")
    ext.write_text("subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n"
                   "basicConstraints=CA:FALSE\n"
                   "keyUsage=digitalSignature,keyEncipherment\n"
                   "extendedKeyUsage=serverAuth\n")
    run("x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key, "-CAcreateserial",
        "-days", "2", "-extfile", ext, "-out", cert)
    return str(ca_cert), str(cert), str(key)


def init_bare_repo(root, name="repo.git", files=None):
    """Create root/name as a bare repository with one commit holding files (dict)."""
    root = Path(root).resolve()
    bare = root / name
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(root),
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.com"}
    with tempfile.TemporaryDirectory() as work:
        git = lambda *a: subprocess.run(["git", *a], cwd=work, env=env, check=True,
                                        capture_output=True)
        git("init", "-q", "-b", "main")
        for path, text in (files or {"README": "hello\n"}).items():
            (Path(work) / path).write_text(text)
        git("add", "-A")
        git("commit", "-q", "-m", "initial")
        git("clone", "-q", "--bare", work, str(bare))
    subprocess.run(["git", "--git-dir", str(bare), "config", "http.receivepack", "true"],
                   env=env, check=True)
    return str(bare)


class GitHttpHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "patrol-test-git/1"

    def log_message(self, fmt, *args):
        if self.server.owner.verbose:
            sys.stderr.write("git_https: " + (fmt % args) + "\n")

    def do_GET(self):
        self.handle_git()

    def do_POST(self):
        self.handle_git()

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size_line = self.rfile.readline(65537)
                size = int(size_line.split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline(3)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_plain(self, status, text, extra_headers=()):
        body = text.encode()
        self.send_response(status)
        for name, value in extra_headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_git(self):
        owner = self.server.owner
        body = self.read_body()
        if owner.handle_extra(self, body):
            return
        user = owner.authenticate(self.headers.get("Authorization"))
        owner.record(self.command, self.path, user)
        if user is None:
            owner.count_401()
            self.send_plain(401, "authentication required\n",
                            [("WWW-Authenticate", f'Basic realm="{owner.realm}"')])
            return
        path, _, query = self.path.partition("?")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": owner.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "SERVER_SOFTWARE": self.server_version,
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REMOTE_USER": user,
            "REMOTE_ADDR": self.client_address[0],
            "AUTH_TYPE": "Basic",
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "HOME": owner.root,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        for header, var in (("Content-Encoding", "HTTP_CONTENT_ENCODING"),
                            ("Git-Protocol", "GIT_PROTOCOL")):
            if self.headers.get(header):
                env[var] = self.headers[header]
        proc = subprocess.run([GIT_HTTP_BACKEND], input=body, env=env, capture_output=True)
        out = proc.stdout
        sep = out.find(b"\r\n\r\n")
        head_end, body_start = (sep, sep + 4) if sep >= 0 else (out.find(b"\n\n"), out.find(b"\n\n") + 2)
        if head_end < 0:
            self.send_plain(500, "git-http-backend gave no headers\n")
            return
        status, headers = 200, []
        for line in out[:head_end].decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name.strip(), value.strip()))
        payload = out[body_start:]
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class LoopbackHttpsServer:
    """An HTTPS server on 127.0.0.1 at a free port, with the test CA's certificate, serving
    handler_class in threads; a handler reaches this object as self.server.owner."""

    handler_class = None

    def __init__(self, cert, key):
        self._lock = threading.Lock()
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class)
        self._httpd.daemon_threads = True
        self._httpd.owner = self
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self.port = self._httpd.server_address[1]
        self._thread = None

    @property
    def url(self):
        return f"https://127.0.0.1:{self.port}"

    def url_at(self, name="localhost"):
        """The server under a host name (one its certificate names) rather than its IP."""
        return f"https://{name}:{self.port}"

    def start(self):
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self.port

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(5)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


class GitHttpsServer(LoopbackHttpsServer):
    """Serves the bare repositories under root over HTTPS with basic auth.

    users maps user name to password and may be changed at runtime with
    set_password()/remove_user(); requests lists (method, path, user or None).
    """

    handler_class = GitHttpHandler

    def __init__(self, root, users, cert, key, realm="patrol test", verbose=False):
        self.root = str(Path(root).resolve())
        self.realm = realm
        self.verbose = verbose
        self.requests = []
        self.unauthorized = 0
        self._users = dict(users)
        super().__init__(cert, key)

    def set_password(self, user, password):
        with self._lock:
            self._users[user] = password

    def remove_user(self, user):
        with self._lock:
            self._users.pop(user, None)

    def record(self, method, path, user):
        with self._lock:
            self.requests.append((method, path, user))

    def count_401(self):
        with self._lock:
            self.unauthorized += 1

    def authenticate(self, authorization):
        """Returns the user name an Authorization header proves, or None."""
        if not authorization or not authorization.startswith("Basic "):
            return None
        try:
            user, sep, password = base64.b64decode(authorization[6:], validate=True) \
                .decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        with self._lock:
            expected = self._users.get(user)
        return user if sep and expected is not None and expected == password else None

    def handle_extra(self, handler, body):
        """Serves a request other than git (a forge API); returns True when it did."""
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="directory of bare repositories")
    parser.add_argument("--user", action="append", default=[], metavar="NAME:PASSWORD")
    parser.add_argument("--cert-dir", help="where to create the test CA (default: a temp dir)")
    parser.add_argument("--init-repo", metavar="NAME", help="create NAME.git under --root first")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    cert_dir = args.cert_dir or tempfile.mkdtemp(prefix="patrol-ca-")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        ca, cert, key = make_test_ca(cert_dir)
        if args.init_repo:
            init_bare_repo(args.root, args.init_repo + ".git")
        users = dict(u.split(":", 1) for u in args.user)
        server = GitHttpsServer(args.root, users, cert, key, verbose=args.verbose)
        print(server.port, flush=True)
        print(ca, flush=True)
        try:
            server._httpd.serve_forever()
        finally:
            server._httpd.server_close()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if not args.cert_dir:
            shutil.rmtree(cert_dir, ignore_errors=True)

if __name__ == "__main__":
    main()
