"""The OAuth 2.0 device authorization grant (RFC 8628) and the refresh grant as the forge
test servers serve them. A subclass gives the forge's paths, user code format, the HTTP
status of its errors and how it issues tokens (see GitLabDeviceFlow, GitHubDeviceFlow).

Tests drive it in-process: register_client(), approve()/deny() a user code (what the person
does in the browser), wait_for_grant(), and read polls (every token-endpoint poll with the
time it arrived and the answer). interval and expires_in are settable so a test need not
wait GitLab's 5 s or 5 min.
"""

import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from forge import form_or_json, send_json

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


@dataclass
class DeviceGrant:
    device_code: str
    user_code: str
    client_id: str
    scopes: list
    created: object                # the forge's clock (a datetime): tests may advance it
    expires_in: int
    interval: int
    last_poll: float = None
    state: str = "pending"         # pending, approved, denied
    user: str = None


@dataclass
class Poll:
    at: float                      # time.monotonic()
    user_code: str
    answer: str                    # "authorization_pending", ..., or "tokens"


class DeviceFlowServer:
    device_path = None
    token_path = None
    revoke_path = None             # None: no RFC 7009 endpoint
    error_status = 400
    refresh_needs_secret = False   # the refresh grant checks client_secret (GitHub)

    def __init__(self, forge):
        self.forge = forge
        self.clients = set()
        self.client_secrets = {}   # client id -> secret, for refresh_needs_secret
        self.secrets_sent = []     # (path, grant_type) of every request carrying client_secret
        self.interval = 5
        self.expires_in = 300
        self.access_token_lifetime = 7200
        self.force_slow_down = 0   # the next N polls answer slow_down whatever their timing
        self.failure = None        # an HTTP status every OAuth request gets instead, e.g. 503
        self.poll_failures = []    # the next polls answer these (status, error) instead
        self.polls = []
        self.refreshes = []        # (refresh token presented, answer)
        self.revocations = []      # (token_type_hint, found)
        self._grants = {}          # device_code -> DeviceGrant
        self._refresh = {}         # refresh token -> access token value
        self._changed = threading.Condition()

    # what tests do -------------------------------------------------------------

    def register_client(self, client_id, secret=None):
        self.clients.add(client_id)
        if secret is not None:
            self.client_secrets[client_id] = secret
        return client_id

    def grants(self):
        with self._changed:
            return list(self._grants.values())

    def wait_for_grant(self, timeout=10.0):
        """The newest pending grant once one exists, else None."""
        with self._changed:
            self._changed.wait_for(lambda: any(g.state == "pending" for g in self._grants.values()),
                                   timeout)
            pending = [g for g in self._grants.values() if g.state == "pending"]
            return pending[-1] if pending else None

    def _decide(self, user_code, state, user):
        with self._changed:
            for grant in self._grants.values():
                if grant.user_code == user_code.replace(" ", "").upper() or grant.user_code == user_code:
                    grant.state = state
                    grant.user = user
                    return True
        return False

    def approve(self, user_code, user="alice"):
        return self._decide(user_code, "approved", user)

    def deny(self, user_code):
        return self._decide(user_code, "denied", None)

    def remember_refresh(self, refresh, access_value):
        with self._changed:
            self._refresh[refresh] = access_value

    def polls_of(self, user_code):
        with self._changed:
            return [p for p in self.polls if p.user_code == user_code]

    # for subclasses --------------------------------------------------------------

    def user_code(self):
        raise NotImplementedError

    def verification_uri(self):
        raise NotImplementedError

    def verification_uri_complete(self, user_code):
        return None

    def issue(self, grant):
        """Issues tokens for an approved grant; returns the success document."""
        raise NotImplementedError

    def revoke_access(self, value):
        raise NotImplementedError

    def device_answer(self, handler, document):
        send_json(handler, 200, document)

    def slow_down(self, grant):
        """The slow_down error document (GitLab never raises its interval)."""
        return {"error": "slow_down", "error_description": "The client is polling too quickly"}

    # HTTP ----------------------------------------------------------------------

    def error(self, handler, code, description, status=None, **extra):
        document = {"error": code, "error_description": description}
        document.update(extra)
        send_json(handler, status or self.error_status, document)
        return True

    def serve(self, handler, method, path, body):
        if path not in (self.device_path, self.token_path, self.revoke_path):
            return False
        self.forge.note("api", method, handler.path, None)
        if self.failure:
            send_json(handler, self.failure, {"message": "Service Unavailable"})
            return True
        if method != "POST":
            send_json(handler, 405, {"error": "method_not_allowed"})
            return True
        params = form_or_json(handler, body)
        if "client_secret" in params:
            self.secrets_sent.append((path, params.get("grant_type")))
        if path == self.device_path:
            return self._device(handler, params)
        if path == self.revoke_path:
            return self._revoke(handler, params)
        if params.get("grant_type") == DEVICE_GRANT:
            return self._poll(handler, params)
        if params.get("grant_type") == "refresh_token":
            return self._refresh_grant(handler, params)
        return self.error(handler, "unsupported_grant_type", "The authorization grant type is not supported")

    def _device(self, handler, params):
        if params.get("client_id") not in self.clients:
            return self.error(handler, "invalid_client", "Client authentication failed", status=401)
        scopes = params.get("scope", "").split()
        grant = DeviceGrant(secrets.token_urlsafe(30), self.user_code(), params["client_id"],
                            scopes, self.forge.now(), self.expires_in, self.interval)
        with self._changed:
            self._grants[grant.device_code] = grant
            self._changed.notify_all()
        document = {"device_code": grant.device_code, "user_code": grant.user_code,
                    "verification_uri": self.verification_uri()}
        complete = self.verification_uri_complete(grant.user_code)
        if complete:
            document["verification_uri_complete"] = complete
        document.update({"expires_in": grant.expires_in, "interval": grant.interval})
        self.device_answer(handler, document)
        return True

    def _poll(self, handler, params):
        now = time.monotonic()
        with self._changed:
            grant = self._grants.get(params.get("device_code", ""))
            if self.poll_failures:
                # A hiccup of the server (RFC 6749's server_error, temporarily_unavailable):
                # the grant itself is untouched.
                status, code = self.poll_failures.pop(0)
                self.polls.append(Poll(now, grant.user_code if grant else None, code))
                self._changed.notify_all()
                return self.error(handler, code, "The server is busy; try again later",
                                  status=status)
            if grant is None or grant.client_id != params.get("client_id"):
                answer, document = "invalid_grant", None
            elif self.forge.now() > grant.created + timedelta(seconds=grant.expires_in):
                del self._grants[grant.device_code]
                answer, document = "expired_token", None
            elif self.force_slow_down or (grant.last_poll is not None
                                          and now - grant.last_poll < grant.interval):
                self.force_slow_down = max(0, self.force_slow_down - 1)
                grant.last_poll = now
                answer, document = "slow_down", self.slow_down(grant)
            elif grant.state == "denied":
                del self._grants[grant.device_code]
                answer, document = "access_denied", None
            elif grant.state == "pending":
                grant.last_poll = now
                answer, document = "authorization_pending", None
            else:
                del self._grants[grant.device_code]
                answer, document = "tokens", None
            self.polls.append(Poll(now, grant.user_code if grant else None, answer))
            self._changed.notify_all()
        if answer == "tokens":
            send_json(handler, 200, self.issue(grant))
            return True
        if document is not None:
            send_json(handler, self.error_status, document)
            return True
        descriptions = {
            "invalid_grant": "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
            "expired_token": "The device code has expired.",
            "access_denied": "The end user denied the request.",
            "authorization_pending": "The authorization request is still pending.",
        }
        return self.error(handler, answer, descriptions[answer])

    def _refresh_grant(self, handler, params):
        presented = params.get("refresh_token", "")
        if self.refresh_needs_secret and (
                params.get("client_secret") is None
                or params.get("client_secret") != self.client_secrets.get(params.get("client_id"))):
            self.refreshes.append((presented, "incorrect_client_credentials"))
            return self.error(handler, "incorrect_client_credentials",
                              "The client_id and/or client_secret passed are incorrect.")
        with self._changed:
            access = self._refresh.pop(presented, None)
        token = self.forge.token(access) if access else None
        if token is None or token.revoked:
            self.refreshes.append((presented, "invalid_grant"))
            return self.refresh_refused(handler)
        self.revoke_access(access)
        scopes = list(token.scopes)
        document = self.issue(DeviceGrant("", "", params.get("client_id"), scopes, None, 0, 0,
                                          state="approved", user=token.user))
        self.refreshes.append((presented, "tokens"))
        send_json(handler, 200, document)
        return True

    def refresh_refused(self, handler):
        return self.error(handler, "invalid_grant", "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.")

    def _revoke(self, handler, params):
        value = params.get("token", "")
        with self._changed:
            access = self._refresh.pop(value, None)
        found = False
        if access is not None:
            self.revoke_access(access)
            found = True
        elif self.forge.token(value) is not None:
            self.revoke_access(value)
            with self._changed:
                for refresh, paired in list(self._refresh.items()):
                    if paired == value:
                        del self._refresh[refresh]
            found = True
        self.revocations.append((params.get("token_type_hint"), found))
        send_json(handler, 200, {})
        return True

    def kill_refresh_tokens(self):
        """Every refresh token dies (as when a user revokes the application)."""
        with self._changed:
            self._refresh.clear()
