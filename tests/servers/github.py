"""A GitHub-like test server: git over HTTPS with the tokens it issues (username = the
account or x-access-token), and GET /user (also /api/v3/user, as on GitHub Enterprise
Server) with the GitHub-Authentication-Token-Expiration and X-OAuth-Scopes headers of
reference/forge-apis.md.
"""

import secrets
import string
from urllib.parse import urlencode
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from device_flow import DeviceFlowServer
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
    oauth: bool = False          # an OAuth app token (gho_): git takes any username with it

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
        self.device = GitHubDeviceFlow(self)

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
        if token is None or not username or (
                username not in (token.user, "x-access-token") and not token.oauth):
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

    @staticmethod
    def github_headers():
        """What GitHub sends with every REST answer, refusals included."""
        return [("X-GitHub-Request-Id", "C0DE:" + secrets.token_hex(6).upper()),
                ("X-GitHub-Media-Type", "github.v3; format=json")]

    def api(self, handler, method, path, body):
        if path.startswith("/login/"):
            return self.device.serve(handler, method, path, body)
        route = path[len("/api/v3"):] if path.startswith("/api/v3/") else path
        if route != "/user":
            # GitHub Enterprise Server answers any other /api path itself (a GitLab's
            # /api/v4 included), with its own headers.
            if path.startswith(("/api/v3/", "/api/v4/")):
                self.note("api", method, handler.path, 404)
                send_json(handler, 404, NOT_FOUND, self.github_headers())
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
            send_json(handler, 401, BAD_CREDENTIALS, self.github_headers())
            return True
        headers = self.github_headers()
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


class GitHubDeviceFlow(DeviceFlowServer):
    """GitHub's device flow (reference/forge-apis.md): errors arrive with HTTP 200;
    slow_down raises the code's interval by 5 s and says the new one; the device code
    answer is form-encoded unless the client sends Accept: application/json. OAuth app
    tokens (gho_) do not expire; with expiring_tokens (GitHub App user tokens) they last
    access_token_lifetime seconds and come with a refresh token, which the refresh grant
    takes only with the app's client secret. No revocation endpoint for a public client."""

    device_path = "/login/device/code"
    token_path = "/login/oauth/access_token"
    error_status = 200
    # docs.github.com, "Refreshing user access tokens": client_id, client_secret,
    # grant_type=refresh_token and refresh_token are all required.
    refresh_needs_secret = True

    def __init__(self, forge):
        super().__init__(forge)
        self.expiring_tokens = False
        self.access_token_lifetime = 28800

    def user_code(self):
        letters = "BCDFGHJKLMNPQRSTVWXZ"
        code = "".join(secrets.choice(letters) for _ in range(8))
        return code[:4] + "-" + code[4:]

    def verification_uri(self):
        return self.forge.url + "/login/device"

    def device_answer(self, handler, document):
        if "application/json" in handler.headers.get("Accept", ""):
            send_json(handler, 200, document)
            return
        body = urlencode(document).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def slow_down(self, grant):
        grant.interval += 5
        return {"error": "slow_down", "error_description": "Too many requests have been made in the same timeframe.",
                "error_uri": "https://docs.github.com", "interval": grant.interval}

    def issue(self, grant):
        forge = self.forge
        now = forge.now()
        expires = now + timedelta(seconds=self.access_token_lifetime) if self.expiring_tokens else None
        with forge._lock:
            value = ("ghu_" if self.expiring_tokens else "gho_") + secrets.token_hex(18)
            user_id = forge._user_ids.setdefault(grant.user, 1000 + len(forge._user_ids))
            forge._tokens[value] = Token(forge._next_id, value, grant.user, user_id,
                                         list(grant.scopes), expires.replace(microsecond=0) if expires else None,
                                         oauth=True)
            forge._next_id += 1
        document = {"access_token": value, "token_type": "bearer", "scope": ",".join(grant.scopes)}
        if self.expiring_tokens:
            refresh = "ghr_" + secrets.token_hex(30)
            self.remember_refresh(refresh, value)
            document.update({"expires_in": self.access_token_lifetime, "refresh_token": refresh,
                             "refresh_token_expires_in": 15897600})
        return document

    def revoke_access(self, value):
        if self.forge.token(value) is not None:
            self.forge.revoke(value)

    def refresh_refused(self, handler):
        return self.error(handler, "bad_refresh_token", "The refresh token passed is incorrect or expired.")
