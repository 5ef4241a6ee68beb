"""What the forge test servers share: a clock tests can set, a request log, slow or held
API answers, and git over HTTPS authenticated by issued tokens with the forge's own 401.

Standard library only. Subclasses provide git_user() (who a Basic username/password pair
proves, or None), git_denied() (the 401 the forge sends) and api() (the forge's REST API).
"""

import base64
import binascii
import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

from git_https import GitHttpsServer


@dataclass
class LogEntry:
    kind: str        # "git" or "api"
    method: str
    path: str        # with the query string
    status: int      # None for git requests handed to git-http-backend
    token_id: int    # the issued token that authenticated, or None
    auth: str        # "basic", "bearer", "token", "private-token" or None


def split_basic(authorization):
    """(username, password) from a Basic Authorization header, or None."""
    if not authorization or not authorization.startswith("Basic "):
        return None
    try:
        user, sep, password = base64.b64decode(authorization[6:], validate=True) \
            .decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


def send_json(handler, status, document, headers=()):
    """Compact JSON, as the forges send it."""
    body = json.dumps(document, separators=(",", ":")).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def form_or_json(handler, body):
    """Request parameters from the query string and a form or JSON body (strings only)."""
    _, _, query = handler.path.partition("?")
    params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    content_type = handler.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if body and content_type == "application/json":
        try:
            document = json.loads(body)
        except ValueError:
            document = None
        if isinstance(document, dict):
            params.update({k: str(v) for k, v in document.items() if v is not None})
    elif body:
        params.update({k: v[-1] for k, v in
                       parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()})
    return params


def is_git_request(path):
    bare = path.partition("?")[0]
    return bare.endswith(("/info/refs", "/git-upload-pack", "/git-receive-pack")) or "/objects/" in bare


def is_push(path):
    return "git-receive-pack" in path


class ForgeServer(GitHttpsServer):
    """A GitHttpsServer whose git users are the forge's tokens, plus an API and a clock."""

    realm = "forge"

    def __init__(self, root, cert, key, now=None, api_delay=0.0, verbose=False):
        super().__init__(root, {}, cert, key, realm=self.realm, verbose=verbose)
        self.api_delay = api_delay
        self.log = []
        self.api_failure = None     # an HTTP status every API request gets instead, e.g. 503
        self.api_arrivals = 0       # API requests received, counted before any delay or hold
        self._arrived = threading.Condition(self._lock)
        self._now = None
        self._api_open = threading.Event()
        self._api_open.set()
        if now is not None:
            self.set_now(now)

    # clock -------------------------------------------------------------------

    def now(self):
        """The server's time (aware, UTC): the real clock unless set_now() was called."""
        with self._lock:
            return self._now or datetime.now(timezone.utc)

    def today(self):
        return self.now().date()

    def set_now(self, when):
        """Sets the clock (a datetime; naive means UTC); None returns to the real clock."""
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        with self._lock:
            self._now = when

    def advance(self, days=0, **kwargs):
        """Moves the clock forward (from the real time if it was not set)."""
        self.set_now(self.now() + timedelta(days=days, **kwargs))

    # slow API ----------------------------------------------------------------

    def hold_api(self):
        """API requests wait until release_api() (they count in api_arrivals at once)."""
        self._api_open.clear()

    def release_api(self):
        self._api_open.set()

    def wait_for_api(self, count=1, timeout=10.0):
        """Waits until api_arrivals reaches count; returns whether it did."""
        with self._arrived:
            return self._arrived.wait_for(lambda: self.api_arrivals >= count, timeout)

    def stop(self):
        self.release_api()
        super().stop()

    # log ---------------------------------------------------------------------

    def note(self, kind, method, path, status, token_id=None, auth=None):
        with self._lock:
            self.log.append(LogEntry(kind, method, path, status, token_id, auth))

    def api_calls(self, path_suffix=""):
        """The API requests so far whose path (without query) ends with path_suffix."""
        with self._lock:
            return [e for e in self.log if e.kind == "api"
                    and e.path.partition("?")[0].endswith(path_suffix)]

    def git_calls(self):
        with self._lock:
            return [e for e in self.log if e.kind == "git"]

    def git_401s(self):
        """How many git requests were answered 401."""
        with self._lock:
            return sum(1 for e in self.log if e.kind == "git" and e.status == 401)

    def git_rejections(self):
        """How many git requests carried credentials that were refused with a 401.

        git's first request of each operation carries none and always gets a 401; those
        are not counted.
        """
        with self._lock:
            return sum(1 for e in self.log if e.kind == "git" and e.status == 401 and e.auth)

    def clear_log(self):
        with self._lock:
            self.log.clear()
            self.requests.clear()
            self.unauthorized = 0

    # git ---------------------------------------------------------------------

    def authenticate(self, authorization):
        pair = split_basic(authorization)
        if pair is None:
            return None
        found = self.git_user(*pair)
        return found[0] if found else None

    def git_user(self, username, password):
        """(user name, token id) for a Basic pair the forge accepts, or None."""
        raise NotImplementedError

    def may_push(self, username, password):
        return True

    def git_denied(self, handler):
        raise NotImplementedError

    def git_forbidden(self, handler):
        handler.send_plain(403, "You are not allowed to push code to this project.\n")

    # dispatch ----------------------------------------------------------------

    def handle_extra(self, handler, body):
        if is_git_request(handler.path):
            return self._guard_git(handler)
        with self._arrived:
            self.api_arrivals += 1
            self._arrived.notify_all()
        if self.api_delay:
            time.sleep(self.api_delay)
        self._api_open.wait()
        return self.api(handler, handler.command, handler.path.partition("?")[0], body)

    def _guard_git(self, handler):
        """Answers a refused git request itself; lets git-http-backend serve the rest."""
        pair = split_basic(handler.headers.get("Authorization"))
        found = self.git_user(*pair) if pair else None
        if found is None:
            self.record(handler.command, handler.path, None)
            self.count_401()
            self.note("git", handler.command, handler.path, 401, None, "basic" if pair else None)
            self.git_denied(handler)
            return True
        if is_push(handler.path) and not self.may_push(*pair):
            self.note("git", handler.command, handler.path, 403, found[1], "basic")
            self.git_forbidden(handler)
            return True
        self.note("git", handler.command, handler.path, None, found[1], "basic")
        return False

    def api(self, handler, method, path, body):
        """Serves one API request; returns False to let it fall through to git."""
        return False

    def answered_failure(self, handler):
        """Sends the api_failure status, when one is set, to an API request; returns whether it did."""
        status = self.api_failure
        if status is None:
            return False
        self.note("api", handler.command, handler.path, status)
        send_json(handler, status, {"message": f"{status} {handler.responses.get(status, ('Error',))[0]}"})
        return True
