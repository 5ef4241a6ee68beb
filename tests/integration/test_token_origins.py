"""Every token reaches only its own origin: a property checked over a matrix.

Three recording servers (tests/servers/recorder.py) keep every request they receive: A
and B are forges holding tokens, C is an attacker that unscoped settings, environment
variables and A's and B's OAuth discovery all point at. For every combination of
settings (none, unscoped, in the environment, scoped to the host) and environment tokens,
tokens are stored through git, then git asks for credentials (git credential fill) and
fetches (git ls-remote) for A, B, C, another host name for A, another user, plain http and
a submodule-style path. The assertions: a token was printed only for a request to its own
origin (scheme, host, port), and every request that carried a token went to that token's
own origin. The servers also believe every token and answer every API, so a lookup or a
refresh that patrol makes is seen.
"""

import itertools
import secrets
import sys
import time
import unittest

from harness import HERE, IntegrationTest

sys.path.insert(0, str(HERE.parent / "servers"))
from recorder import RecorderServer  # noqa: E402


def token(name):
    return f"{name}-{secrets.token_hex(8)}"


class TokenOrigins(IntegrationTest):

    def setUp(self):
        super().setUp()
        self.keyring = self.sb.secret_service()
        self.sb.make_ca()
        self.c = self.server(None)
        self.a = self.server(self.c.url)
        self.b = self.server(self.c.url)

    def server(self, discovery_target):
        server = RecorderServer(self.sb.cert, self.sb.key, discovery_target=discovery_target)
        server.start()
        self.addCleanup(server.stop)
        return server

    # the matrix ---------------------------------------------------------------

    def settings_variants(self):
        a, b, c = self.a.url, self.b.url, self.c.url
        return {
            "none": ({}, {}),
            "forge unscoped": ({"patrol.forge": "gitlab"}, {}),
            "apiUrl unscoped": ({"patrol.forge": "gitlab", "patrol.apiUrl": f"{c}/api/v4"}, {}),
            "apiUrl in the environment": ({}, {"PATROL_FORGE": "gitlab",
                                               "PATROL_API_URL": f"{c}/api/v4"}),
            "scoped to each host": ({f"patrol.{a}.forge": "gitlab",
                                     f"patrol.{a}.apiUrl": f"{a}/api/v4",
                                     f"patrol.{b}.forge": "github",
                                     f"patrol.{b}.apiUrl": f"{b}/api/v3"}, {}),
            "oauth unscoped": ({"patrol.forge": "gitlab",
                                "patrol.oauthClientId": "stolen-client",
                                "patrol.oauthTokenUrl": f"{c}/oauth/token",
                                "patrol.oauthDeviceAuthUrl": f"{c}/oauth/authorize_device",
                                "patrol.oauthRevocationUrl": f"{c}/oauth/revoke"}, {}),
            "oauth in the environment": ({}, {"PATROL_OAUTH_CLIENT_ID": "stolen-client",
                                              "PATROL_OAUTH_TOKEN_URL": f"{c}/oauth/token"}),
        }

    def env_variants(self):
        return {
            "no environment tokens": {},
            "GITLAB_TOKEN for A": {"GITLAB_TOKEN": self.tokens["env-gitlab"],
                                   "GITLAB_HOST": f"127.0.0.1:{self.a.port}"},
            "CI_JOB_TOKEN for B": {"CI_JOB_TOKEN": self.tokens["env-ci"],
                                   "CI_SERVER_HOST": "127.0.0.1",
                                   "CI_SERVER_PORT": str(self.b.port),
                                   "CI_SERVER_PROTOCOL": "https"},
            "GH_TOKEN": {"GH_TOKEN": self.tokens["env-github"],
                         "GITHUB_TOKEN": self.tokens["env-github"]},
        }

    def request_urls(self):
        a, b, c = self.a.port, self.b.port, self.c.port
        return [f"https://127.0.0.1:{a}/g/r.git",
                f"https://127.0.0.1:{b}/g/r.git",
                f"https://localhost:{a}/g/r.git",
                f"https://127.0.0.1:{c}/evil/sub.git",
                f"https://alice@127.0.0.1:{c}/g/r.git",
                f"https://mallory@127.0.0.1:{a}/g/sub.git",
                f"https://dave@127.0.0.1:{a}/g/r.git",
                f"http://127.0.0.1:{a}/g/r.git"]

    # storing ------------------------------------------------------------------

    def clear_keyring(self):
        for path in self.keyring.item_paths():
            self.keyring.gdbus("org.freedesktop.secrets", path,
                               "org.freedesktop.Secret.Item.Delete")

    def store_all(self, env):
        a, b = self.a.port, self.b.port
        for url, password in ((f"https://alice@127.0.0.1:{a}", self.tokens["stored-a"]),
                              (f"https://bob@127.0.0.1:{b}", self.tokens["stored-b"]),
                              (f"https://carol@localhost:{a}", self.tokens["stored-localhost"])):
            proc = self.sb.credential("approve", {"url": url, "password": password}, env=env)
            self.assertEqual(proc.returncode, 0, proc.stderr)
        # An OAuth token past its expiry, so that a get refreshes it with its refresh token.
        self.keyring.store_raw(
            f"{self.tokens['oauth-a']}\npassword_expiry_utc={int(time.time()) - 60}\n"
            f"oauth_refresh_token={self.tokens['refresh-a']}\npatrol_kind=oauth\n"
            f"patrol_checked_at={int(time.time())}\n",
            protocol="https", server="127.0.0.1", port=str(a), user="dave")

    # the property -------------------------------------------------------------

    def test_every_token_reaches_only_its_own_origin(self):
        a, b = f"https://127.0.0.1:{self.a.port}", f"https://127.0.0.1:{self.b.port}"
        self.tokens = {name: token(name) for name in (
            "stored-a", "stored-b", "stored-localhost", "oauth-a", "refresh-a",
            "env-gitlab", "env-ci", "env-github")}
        origin_of = {
            "stored-a": a, "stored-b": b, "stored-localhost": f"https://localhost:{self.a.port}",
            "oauth-a": a, "refresh-a": a, "env-gitlab": a, "env-ci": b,
            "env-github": "https://github.com"}
        arrived = set()
        for (settings_name, (settings, settings_env)), (env_name, env_tokens) in \
                itertools.product(self.settings_variants().items(),
                                  self.env_variants().items()):
            case = f"{settings_name} × {env_name}"
            with self.subTest(case):
                self.clear_keyring()
                config = self.sb.root / "case.gitconfig"
                lines = ["[credential]\n\thelper = patrol\n"]
                lines += [f"[patrol \"{self.a.url}\"]\n\toauthClientId = client-a\n"]
                for key, value in settings.items():
                    section, _, name = key.rpartition(".")
                    head, _, sub = section.partition(".")
                    lines.append(f"[{head} \"{sub}\"]\n\t{name} = {value}\n" if sub
                                 else f"[{head}]\n\t{name} = {value}\n")
                config.write_text("".join(lines))
                env = {"GIT_CONFIG_GLOBAL": str(config), **settings_env, **env_tokens}
                self.store_all(env)
                for url in self.request_urls():
                    origin = url.split("://")[0] + "://" + url.split("://")[1].split("/")[0] \
                        .rpartition("@")[2]
                    cred, _ = self.sb.fill({"url": url}, env=env)
                    printed = cred.get("password")
                    for name, value in self.tokens.items():
                        if printed == value:
                            self.assertEqual(origin, origin_of[name],
                                             f"{case}: {name} printed for {url}")
                    if url.startswith("https://"):
                        self.sb.git("ls-remote", url, env=env, check=False, timeout=60)
                for server in (self.a, self.b, self.c):
                    for request in server.take():
                        for name, value in self.tokens.items():
                            if value in request.text:
                                arrived.add(name)
                                self.assertEqual(
                                    request.origin, origin_of[name],
                                    f"{case}: {name} sent to {request.origin}"
                                    f" ({request.method} {request.path})")
        # The property is not vacuous: the tokens that belong to these servers did reach
        # them (through git, forge lookups and the OAuth refresh).
        for name in ("stored-a", "stored-b", "stored-localhost", "refresh-a", "env-gitlab",
                     "env-ci"):
            self.assertIn(name, arrived, f"{name} never reached its own origin")
        self.assertNotIn("env-github", arrived)


if __name__ == "__main__":
    unittest.main()
