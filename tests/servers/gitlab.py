"""A GitLab test server: git over HTTPS authenticated by the personal access tokens it
issues, and the token API of reference/forge-apis.md:

  GET  /api/v4/personal_access_tokens/self
  POST /api/v4/personal_access_tokens/self/rotate   [expires_at=YYYY-MM-DD]

A token whose expires_at is D works until 00:00 UTC on D. Rotation revokes the old token
at once; presenting a revoked token to rotate revokes its whole family. Tests drive it
in-process: issue_token(), revoke(), set_expiry(), set_now(), log, hold_api().
"""

import secrets
import string
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from device_flow import DeviceFlowServer
from forge import ForgeServer, form_or_json, send_json

EXPIRED = {"error": "invalid_token",
           "error_description": "Token is expired. You can either do re-authorization or token refresh."}
REVOKED = {"error": "invalid_token",
           "error_description": "Token was revoked. You have to re-authorize from the user."}
UNAUTHORIZED = {"message": "401 Unauthorized"}
NOT_A_PAT = {"message": "400 Bad request - This endpoint requires token type to be a personal access token"}
ALREADY_REVOKED = {"message": "400 Bad request - Token already revoked"}
# GitLab's answer to a token without the endpoint's scope (not in the reference: GitLab's
# Gitlab::Auth::InsufficientScopeError handler).
INSUFFICIENT_SCOPE = {"error": "insufficient_scope",
                      "error_description": "The request requires higher privileges than provided by the access token.",
                      "scope": "api self_rotate"}
NOT_ALLOWED = {"message": "405 Method Not Allowed"}
NOT_FOUND = {"error": "404 Not Found"}

ACCESS_DENIED = ("HTTP Basic: Access denied. If a password was provided for Git authentication, "
                 "the password was incorrect or you're required to use a token instead of a "
                 "password. If a token was provided, it was either incorrect, expired, or "
                 "improperly scoped. See {url}/help/topics/git/troubleshooting_git.md"
                 "#error-on-git-fetch-http-basic-access-denied\n")

GIT_READ_SCOPES = {"api", "read_repository", "write_repository"}
GIT_WRITE_SCOPES = {"api", "write_repository"}
ROTATE_SCOPES = {"api", "self_rotate"}


def as_date(value):
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(value)


def iso_ms(when):
    """2020-07-23T14:31:47.729Z"""
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


@dataclass
class Token:
    id: int
    value: str
    user: str
    user_id: int
    name: str
    description: str
    scopes: list
    expires_at: date            # None: never expires
    created_at: datetime
    family: int                 # id of the token this one was (eventually) rotated from
    oauth: bool = False         # an OAuth access token, not a personal access token
    revoked: bool = False
    last_used_at: datetime = None
    last_used_ips: list = field(default_factory=list)
    rotated_to: int = None      # id of the token that replaced it

    expires_time: datetime = None  # OAuth access tokens: expiry to the second
    refresh_token: str = None      # OAuth access tokens: the refresh token issued with it

    def expired_at(self, now):
        if self.expires_time is not None:
            return now >= self.expires_time
        return self.expires_at is not None and now.date() >= self.expires_at

    def describe(self, now):
        """The personal access token fields, in the documented order."""
        return {"id": self.id, "name": self.name, "revoked": self.revoked,
                "created_at": iso_ms(self.created_at), "description": self.description,
                "scopes": list(self.scopes), "user_id": self.user_id,
                "last_used_at": iso_ms(self.last_used_at) if self.last_used_at else None,
                "last_used_ips": list(self.last_used_ips),
                "active": not self.revoked and not self.expired_at(now),
                "expires_at": self.expires_at.isoformat() if self.expires_at else None}


class GitLabServer(ForgeServer):
    """GitLab on 127.0.0.1: git for the bare repositories under root, and the token API.

    now: a fixed datetime for the server's clock (default: the real one; see set_now()).
    api_delay: seconds every API answer waits (hold_api()/release_api() for exact control).
    """

    realm = "GitLab"

    def __init__(self, root, cert, key, now=None, api_delay=0.0, verbose=False):
        super().__init__(root, cert, key, now=now, api_delay=api_delay, verbose=verbose)
        self._tokens = {}           # value -> Token
        self._next_id = 1
        self._user_ids = {}
        self.device = GitLabDeviceFlow(self)

    @property
    def api_url(self):
        return self.url + "/api/v4"

    def creation_url(self):
        return self.url + "/-/user_settings/personal_access_tokens"

    # tokens ------------------------------------------------------------------

    def issue_token(self, user="alice", name="patrol test", scopes=("api",), expires_at=None,
                    expires_in_days=None, description="", oauth=False):
        """Creates a token and returns its value (glpat-...).

        expires_at: a date, "YYYY-MM-DD" or None (never); expires_in_days: days from the
        server's today instead (3 → valid for three more days, until 00:00 UTC that day;
        0 → already expired; negative → expired that many days ago).
        oauth=True makes an OAuth access token (git user "oauth2"; the token API refuses it).
        """
        now = self.now()
        if expires_in_days is not None:
            expires_at = now.date() + timedelta(days=expires_in_days)
        with self._lock:
            value = ("" if oauth else "glpat-") + secrets.token_urlsafe(15)
            token_id = self._next_id
            self._next_id += 1
            user_id = self._user_ids.setdefault(user, len(self._user_ids) + 1)
            self._tokens[value] = Token(
                id=token_id, value=value, user=user, user_id=user_id, name=name,
                description=description, scopes=list(scopes), expires_at=as_date(expires_at),
                created_at=now, family=token_id, oauth=oauth)
            return value

    def token(self, value):
        """The Token record for a value (a copy is not made: read it, don't keep it)."""
        with self._lock:
            return self._tokens.get(value)

    def token_by_id(self, token_id):
        with self._lock:
            return next((t for t in self._tokens.values() if t.id == token_id), None)

    def tokens(self, user=None):
        with self._lock:
            return [t for t in self._tokens.values() if user is None or t.user == user]

    def active_tokens(self, user=None):
        now = self.now()
        return [t for t in self.tokens(user) if not t.revoked and not t.expired_at(now)]

    def revoke(self, value):
        with self._lock:
            self._tokens[value].revoked = True

    def set_expiry(self, value, expires_at=None, expires_in_days=None):
        """Changes a token's expiry (as in issue_token); expires_in_days=0 expires it now."""
        if expires_in_days is not None:
            expires_at = self.today() + timedelta(days=expires_in_days)
        with self._lock:
            self._tokens[value].expires_at = as_date(expires_at)

    def expire(self, value):
        self.set_expiry(value, expires_in_days=0)

    def forget(self, value):
        """Deletes a token outright: the server then answers as for an unknown token."""
        with self._lock:
            del self._tokens[value]

    def revoke_family(self, family):
        with self._lock:
            for t in self._tokens.values():
                if t.family == family:
                    t.revoked = True

    def rotate(self, value, expires_at=None):
        """Rotates a token as the API does (for tests that rotate "elsewhere"); returns the new value."""
        now = self.now()
        with self._lock:
            old = self._tokens[value]
            new_value = "glpat-" + secrets.token_urlsafe(15)
            new = Token(id=self._next_id, value=new_value, user=old.user, user_id=old.user_id,
                        name=old.name, description=old.description, scopes=list(old.scopes),
                        expires_at=as_date(expires_at) or now.date() + timedelta(weeks=1),
                        created_at=now, family=old.family)
            self._next_id += 1
            old.revoked = True
            old.rotated_to = new.id
            self._tokens[new_value] = new
            return new_value

    def _use(self, token, handler):
        now = self.now()
        with self._lock:
            token.last_used_at = now
            ip = handler.client_address[0]
            if ip not in token.last_used_ips:
                token.last_used_ips.append(ip)

    def counts(self):
        """What the concurrency tests assert, counted here at the server: calls to the
        rotation endpoint, token lookups (GET .../self) and uses of a refresh token."""
        return {"rotations": len(self.api_calls("/personal_access_tokens/self/rotate")),
                "lookups": len(self.api_calls("/personal_access_tokens/self")),
                "refresh_uses": len(self.device.refreshes)}

    # git ---------------------------------------------------------------------

    def _valid(self, password):
        token = self.token(password)
        if token is None or token.revoked or token.expired_at(self.now()):
            return None
        return token

    def git_user(self, username, password):
        token = self._valid(password)
        if token is None or not username.strip() or not set(token.scopes) & GIT_READ_SCOPES:
            return None
        if token.oauth and username != "oauth2":
            return None
        return token.user, token.id

    def may_push(self, username, password):
        token = self._valid(password)
        return token is not None and bool(set(token.scopes) & GIT_WRITE_SCOPES)

    def git_denied(self, handler):
        handler.send_plain(401, ACCESS_DENIED.format(url=self.url),
                           [("WWW-Authenticate", f'Basic realm="{self.realm}"')])

    # API ---------------------------------------------------------------------

    def _api_token(self, handler):
        """(token value or None, how it was sent)."""
        private = handler.headers.get("PRIVATE-TOKEN")
        if private:
            return private, "private-token"
        authorization = handler.headers.get("Authorization", "")
        scheme, _, credentials = authorization.partition(" ")
        if scheme.lower() == "bearer" and credentials.strip():
            return credentials.strip(), "bearer"
        return None, None

    def api(self, handler, method, path, body):
        if path.startswith("/oauth/"):
            return self.device.serve(handler, method, path, body)
        if not path.startswith("/api/v4/"):
            return False
        if self.answered_failure(handler):
            return True
        value, auth = self._api_token(handler)
        token = self.token(value) if value else None
        token_id = token.id if token else None

        def answer(status, document):
            self.note("api", method, handler.path, status, token_id, auth)
            send_json(handler, status, document)
            return True

        route = path[len("/api/v4"):]
        if route not in ("/personal_access_tokens/self", "/personal_access_tokens/self/rotate"):
            return answer(404, NOT_FOUND)
        rotate = route.endswith("/rotate")
        if (method != "POST") if rotate else (method != "GET"):
            return answer(405, {"error": "405 Not Allowed"})
        if token is None:
            return answer(401, UNAUTHORIZED)
        now = self.now()
        if rotate and token.revoked and not token.oauth:
            self.revoke_family(token.family)
            return answer(400, ALREADY_REVOKED)
        if token.revoked:
            return answer(401, REVOKED)
        if token.expired_at(now):
            return answer(401, EXPIRED)
        if not rotate:
            if token.oauth:
                return answer(400, NOT_A_PAT)
            self._use(token, handler)
            return answer(200, token.describe(now))
        if token.oauth:
            return answer(405, NOT_ALLOWED)
        if not set(token.scopes) & ROTATE_SCOPES:
            return answer(403, INSUFFICIENT_SCOPE)
        params = form_or_json(handler, body)
        expires_at = None
        if params.get("expires_at"):
            try:
                expires_at = date.fromisoformat(params["expires_at"])
            except ValueError:
                return answer(400, {"error": "expires_at is invalid"})
            if expires_at <= now.date():
                return answer(400, {"message": "400 Bad request - Expiration date must be in the future"})
        self._use(token, handler)
        new_value = self.rotate(value, expires_at)
        document = self.token(new_value).describe(now)
        del document["last_used_ips"]
        document["token"] = new_value
        return answer(200, document)


class GitLabDeviceFlow(DeviceFlowServer):
    """GitLab's OAuth device authorization grant (17.2+) and refresh, as reference/forge-apis.md
    describes: errors are HTTP 400 JSON; slow_down when polled sooner than `interval` after
    the last poll (the server never raises it); an expired code is deleted (later polls get
    invalid_grant); refresh invalidates the old pair. Tokens are OAuth access tokens of the
    GitLab server (git username oauth2), lasting access_token_lifetime seconds."""

    device_path = "/oauth/authorize_device"
    token_path = "/oauth/token"
    revoke_path = "/oauth/revoke"
    error_status = 400

    def user_code(self):
        return "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(8))

    def verification_uri(self):
        return self.forge.url + "/oauth/device"

    def verification_uri_complete(self, user_code):
        return f"{self.verification_uri()}?user_code={user_code}"

    def issue(self, grant):
        forge = self.forge
        value = forge.issue_token(user=grant.user, name="OAuth", scopes=grant.scopes, oauth=True)
        refresh = secrets.token_urlsafe(30)
        expires = forge.now() + timedelta(seconds=self.access_token_lifetime)
        with forge._lock:
            token = forge._tokens[value]
            token.expires_time = expires
            token.refresh_token = refresh
        self.remember_refresh(refresh, value)
        return {"access_token": value, "token_type": "Bearer",
                "expires_in": self.access_token_lifetime, "refresh_token": refresh,
                "scope": " ".join(grant.scopes), "created_at": int(forge.now().timestamp())}

    def revoke_access(self, value):
        token = self.forge.token(value)
        if token is not None:
            self.forge.revoke(value)


def _self_check():
    """Runs the server on a temp dir with one token; prints the URL, CA and token."""
    import signal
    import sys
    import tempfile
    from git_https import init_bare_repo, make_test_ca
    directory = tempfile.mkdtemp(prefix="patrol-gitlab-")
    ca, cert, key = make_test_ca(directory + "/tls")
    init_bare_repo(directory, "repo.git")
    server = GitLabServer(directory, cert, key, verbose=True)
    token = server.issue_token(expires_in_days=3)
    print(server.url, ca, token, sep="\n", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server._httpd.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass


if __name__ == "__main__":
    _self_check()
