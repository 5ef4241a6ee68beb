"""Shared set-up of the OAuth scenarios: node-oidc-provider over HTTPS on loopback (npm,
pinned by tests/servers/oidc/package-lock.json), and running `login --oauth` as a person
would, reading the code it shows and approving it at the server."""

import fcntl
import json
import os
import re
import ssl
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

OIDC_DIR = Path(__file__).resolve().parent.parent / "servers" / "oidc"
CLIENT_ID = "patrol-test"
CODE = re.compile(r"enter  (\S+)")
PAGE = re.compile(r"open   (\S+)")


def ensure_oidc_provider():
    """npm ci in tests/servers/oidc once (under a lock: test modules may run in parallel)."""
    if not (shutil_which("node") and shutil_which("npm")):
        raise unittest.SkipTest("node and npm are needed for node-oidc-provider")
    with open(Path(tempfile.gettempdir()) / "patrol-oidc-npm.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if installed_provider() != locked_provider():
            proc = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=OIDC_DIR,
                                  capture_output=True, text=True, timeout=300)
            if proc.returncode != 0:
                raise AssertionError(f"npm ci failed:\n{proc.stdout}\n{proc.stderr}")


def locked_provider():
    lock = json.loads((OIDC_DIR / "package-lock.json").read_text())
    return lock["packages"]["node_modules/oidc-provider"]["version"]


def installed_provider():
    """The version in node_modules: a tree left by an older lock file is installed again."""
    try:
        return json.loads((OIDC_DIR / "node_modules" / "oidc-provider" / "package.json")
                          .read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def node_version():
    proc = subprocess.run(["node", "--version"], capture_output=True, text=True)
    return proc.stdout.strip() or proc.stderr.strip()


def server_log(path):
    """The tail of a server's log, for the failure that says it did not start."""
    text = Path(path).read_text(errors="replace").rstrip()
    return "\n".join(text.splitlines()[-40:]) or "(empty)"


def shutil_which(name):
    import shutil
    return shutil.which(name)


class OidcServer:
    """node-oidc-provider with the device flow for one public client, over HTTPS."""

    def __init__(self, sandbox, device_ttl=600, access_ttl=3600):
        ensure_oidc_provider()
        sandbox.make_ca()
        self.sandbox = sandbox
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OIDC_CLIENT_ID": CLIENT_ID,
               "OIDC_DEVICE_TTL": str(device_ttl), "OIDC_ACCESS_TTL": str(access_ttl)}
        self.log = open(sandbox.root / "oidc.log", "wb")
        self.proc = subprocess.Popen(["node", "server.mjs", str(sandbox.cert), str(sandbox.key)],
                                     cwd=OIDC_DIR, env=env, stdout=subprocess.PIPE,
                                     stderr=self.log, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening "):
            self.stop()
            raise AssertionError(f"node-oidc-provider did not start: {line!r}; node "
                                 f"{node_version()}; its log:\n{server_log(self.log.name)}")
        self.port = int(line.split()[1])
        self.url = f"https://127.0.0.1:{self.port}"
        self._tls = ssl.create_default_context(cafile=str(sandbox.ca))
        sandbox._cleanups.append(self.stop)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            self.proc.wait(10)
        self.proc.stdout.close()
        self.log.close()

    def _post(self, path, params):
        data = urllib.parse.urlencode(params).encode()
        request = urllib.request.Request(self.url + path, data=data, method="POST")
        try:
            with urllib.request.urlopen(request, context=self._tls, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def approve(self, user_code, account="alice"):
        status, _ = self._post("/test/approve?" + urllib.parse.urlencode(
            {"user_code": user_code, "account": account}), {})
        return status == 204

    def deny(self, user_code):
        status, _ = self._post("/test/deny?" + urllib.parse.urlencode({"user_code": user_code}), {})
        return status == 204

    def token(self, **params):
        """A raw token-endpoint request: (status, JSON document)."""
        status, body = self._post("/token", {"client_id": CLIENT_ID, **params})
        return status, json.loads(body or b"{}")


class Login:
    """`git credential-patrol login --oauth URL` without a terminal (its prompt on stderr)."""

    def __init__(self, sandbox, url, env=None):
        full_env = dict(sandbox.env)
        full_env.update(env or {})
        self.started = time.monotonic()
        self.proc = subprocess.Popen([str(sandbox.patrol), "login", "--oauth", url],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=full_env, cwd=sandbox.root,
                                     start_new_session=True)
        self._stderr = []
        self._seen = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for raw in self.proc.stderr:
            with self._seen:
                self._stderr.append(raw.decode(errors="replace"))
                self._seen.notify_all()
        self.proc.stderr.close()
        with self._seen:
            self._stderr.append(None)
            self._seen.notify_all()

    @property
    def stderr(self):
        with self._seen:
            return "".join(line for line in self._stderr if line)

    def wait_for(self, pattern, timeout=15):
        """The first group of pattern once stderr shows it, else an AssertionError."""
        deadline = time.monotonic() + timeout
        with self._seen:
            while True:
                match = pattern.search("".join(line for line in self._stderr if line))
                if match:
                    return match.group(1)
                left = deadline - time.monotonic()
                if left <= 0 or None in self._stderr:
                    raise AssertionError(f"login did not show {pattern.pattern!r}: {self.stderr!r}")
                self._seen.wait(left)

    def code(self):
        return self.wait_for(CODE)

    def finish(self, timeout=60):
        """(exit status, stdout, stderr) once login ends."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()
            raise AssertionError(f"login did not end within {timeout} s: {self.stderr!r}")
        self._reader.join(5)
        stdout = self.proc.stdout.read()
        self.proc.stdout.close()
        return self.proc.returncode, stdout.decode(errors="replace"), self.stderr

    def elapsed(self):
        return time.monotonic() - self.started
