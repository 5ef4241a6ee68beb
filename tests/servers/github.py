"""A GitHub-like test server: git over HTTPS with the tokens it issues (username = the
account or x-access-token), and GET /user (also /api/v3/user, as on GitHub Enterprise
Server) with the GitHub-Authentication-Token-Expiration and X-OAuth-Scopes headers of
reference/forge-apis.md.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from forge import ForgeServer, send_json

BAD_CREDENTIALS = {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest",
                   "status": "401"}
NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest",
             "status": "404"}
# What github.com says to git for a bad token (the password message is from its docs).
ACCESS_DENIED = ("Invalid username or token. Password authentication is not supported for Git "
                 "operations.\n")

EXPIRY_FORMATS = ("utc", "offset", None)


def expiry_header(when, style, offset_minutes=120):
    """2023-01-31 23:00:00 UTC, or 2023-04-26 23:23:18 +0200 (the same instant, shifted)."""
    if style == "utc":
        return when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    local = when.astimezone(timezone(timedelta(minutes=offset_minutes)))
    return local.strftime("%Y-%m-%d %H:%M:%S %z")


@dataclass
class Token:
    id: int
    value: str
    user: str
    user_id: int
    scopes: list                 # None: a fine-grained token (no X-OAuth-Scopes header)
    expires_at: datetime         # None: never expires (no expiration header)
    expiry_format: str = "utc"   # "utc" or "offset"
    revoked: bool = False

    def expired_at(self, now):
        return self.expires_at is not None and now >= self.expires_at


class GitHubServer(ForgeServer):
    """GitHub on 127.0.0.1: git for the bare repositories under root and GET /user.

    expiry_offset: minutes east of UTC for the "offset" header format (default +0200).
    """

    realm = "GitHub"

    def __init__(self, root, cert, key, now=None, api_delay=0.0, expiry_offset=120,
                 verbose=False):
        super().__init__(root, cert, key, now=now, api_delay=api_delay, verbose=verbose)
        self.expiry_offset = expiry_offset
        self._tokens = {}
        self._next_id = 1
        self._user_ids = {}

    @property
    def api_url(self):
        """api.github.com's layout: /user at the root."""
        return self.url

    @property
    def ghes_api_url(self):
        return self.url + "/api/v3"

    def issue_token(self, user="octocat", scopes=("repo", "user"), expires_at=None,
                    expires_in_days=None, expiry_format="utc", fine_grained=False):
        """Creates a token and returns it (ghp_... or github_pat_...).

        expires_at: an aware datetime (naive means UTC) or None (never: no header);
        expires_in_days: from the server's now instead. expiry_format: "utc" or "offset".
        fine_grained=True: no X-OAuth-Scopes header.
        """
        now = self.now()
        if expires_in_days is not None:
            expires_at = now + timedelta(days=expires_in_days)
        if expires_at is not None and expires_at.tzinfo is None:
            expires_at = expires_at.replace(tzinfo=timezone.utc)
        if expiry_format not in ("utc", "offset"):
            raise ValueError(f"expiry_format must be 'utc' or 'offset', not {expiry_format!r}")
        with self._lock:
            value = ("github_pat_" if fine_grained else "ghp_") + secrets.token_hex(18)
            user_id = self._user_ids.setdefault(user, 1000 + len(self._user_ids))
            self._tokens[value] = Token(self._next_id, value, user, user_id,
                                        None if fine_grained else list(scopes),
                                        expires_at.replace(microsecond=0) if expires_at else None,
                                        expiry_format)
            self._next_id += 1
            return value

    def token(self, value):
        with self._lock:
            return self._tokens.get(value)

    def revoke(self, value):
        with self._lock:
            self._tokens[value].revoked = True

    def set_expiry(self, value, expires_at=None, expires_in_days=None, expiry_format=None):
        if expires_in_days is not None:
            expires_at = self.now() + timedelta(days=expires_in_days)
        if expires_at is not None and expires_at.tzinfo is None:
            expires_at = expires_at.replace(tzinfo=timezone.utc)
        with self._lock:
            token = self._tokens[value]
            token.expires_at = expires_at.replace(microsecond=0) if expires_at else None
            if expiry_format:
                token.expiry_format = expiry_format

    def expiry_header_of(self, value):
        """The GitHub-Authentication-Token-Expiration value the server sends for a token, or None."""
        token = self.token(value)
        if token is None or token.expires_at is None:
            return None
        return expiry_header(token.expires_at, token.expiry_format, self.expiry_offset)

    def _valid(self, password):
        token = self.token(password)
        if token is None or token.revoked or token.expired_at(self.now()):
            return None
        return token

    # git ---------------------------------------------------------------------

    def git_user(self, username, password):
        token = self._valid(password)
        if token is None or username not in (token.user, "x-access-token"):
            return None
        return token.user, token.id

    def may_push(self, username, password):
        token = self._valid(password)
        return token is not None and (token.scopes is None or "repo" in token.scopes
                                      or "public_repo" in token.scopes)

    def git_denied(self, handler):
        handler.send_plain(401, ACCESS_DENIED,
                           [("WWW-Authenticate", f'Basic realm="{self.realm}"')])

    def git_forbidden(self, handler):
        handler.send_plain(403, "Permission to repository denied.\n")

    # API ---------------------------------------------------------------------

    def api(self, handler, method, path, body):
        route = path[len("/api/v3"):] if path.startswith("/api/v3/") else path
        if route != "/user":
            if path.startswith("/api/v3/"):
                self.note("api", method, handler.path, 404)
                send_json(handler, 404, NOT_FOUND)
                return True
            return False
        if self.answered_failure(handler):
            return True
        scheme, _, credentials = handler.headers.get("Authorization", "").partition(" ")
        auth = scheme.lower() if scheme.lower() in ("token", "bearer") else None
        token = self._valid(credentials.strip()) if auth else None
        if token is None:
            known = self.token(credentials.strip()) if auth else None
            self.note("api", method, handler.path, 401, known.id if known else None, auth)
            send_json(handler, 401, BAD_CREDENTIALS)
            return True
        headers = [("X-GitHub-Media-Type", "github.v3; format=json")]
        if token.scopes is not None:
            headers.append(("X-OAuth-Scopes", ", ".join(token.scopes)))
            headers.append(("X-Accepted-OAuth-Scopes", ""))
        if token.expires_at is not None:
            headers.append(("GitHub-Authentication-Token-Expiration",
                            expiry_header(token.expires_at, token.expiry_format, self.expiry_offset)))
        self.note("api", method, handler.path, 200, token.id, auth)
        send_json(handler, 200, {"login": token.user, "id": token.user_id, "type": "User",
                                 "site_admin": False, "name": token.user},
                  headers)
        return True
