"""OAuth's device flow against a real OAuth server, node-oidc-provider over HTTPS on
loopback: sign in approved, denied, or too late; refresh with rotation; logout revokes.
Endpoints come from discovery (/.well-known/openid-configuration)."""

import time

from harness import IntegrationTest, credential_input, parse_credential
from oauth_fixtures import CLIENT_ID, Login, OidcServer


class OidcTest(IntegrationTest):
    device_ttl = 600
    access_ttl = 3600

    def setUp(self):
        super().setUp()
        self.keyring = self.sb.secret_service()
        self.oidc = OidcServer(self.sb, device_ttl=self.device_ttl, access_ttl=self.access_ttl)
        prefix = f"patrol.{self.oidc.url}."
        self.sb.git("config", "--global", prefix + "oauthClientId", CLIENT_ID)
        self.sb.git("config", "--global", prefix + "oauthScopes", "openid offline_access")

    def stored(self):
        """What patrol's get answers for the server, with nothing in the way (no terminal)."""
        proc = self.sb.helper("get", input=credential_input(protocol="https",
                                                            host=f"127.0.0.1:{self.oidc.port}"),
                              env={"GIT_TERMINAL_PROMPT": "0"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return parse_credential(proc.stdout)

    def sign_in(self):
        login = Login(self.sb, self.oidc.url + "/repo.git")
        code = login.code()
        self.assertTrue(self.oidc.approve(code), f"the server does not know the code {code}")
        status, stdout, stderr = login.finish()
        self.assertEqual(status, 0, stderr)
        return stdout, stderr


class SignIn(OidcTest):
    def test_approved_sign_in_is_stored_with_its_refresh_token_and_expiry(self):
        before = int(time.time())
        stdout, stderr = self.sign_in()
        self.assertIn("signed in to 127.0.0.1", stderr)
        got = self.stored()
        self.assertEqual(got.get("username"), "oauth2")
        self.assertTrue(got.get("password"))
        self.assertTrue(got.get("oauth_refresh_token"))
        expiry = int(got["password_expiry_utc"])
        self.assertGreaterEqual(expiry, before + self.access_ttl)
        self.assertLessEqual(expiry, int(time.time()) + self.access_ttl)
        # The token is one the server issued: its refresh token is live.
        status, document = self.oidc.token(grant_type="refresh_token",
                                           refresh_token=got["oauth_refresh_token"])
        self.assertEqual(status, 200, document)

    def test_the_prompt_names_the_page_and_the_code(self):
        login = Login(self.sb, self.oidc.url)
        code = login.code()
        self.assertRegex(code, r"^[A-Z]{4}-[A-Z]{4}$")
        self.assertIn(f"open   {self.oidc.url}/device", login.stderr)
        self.assertIn(f"{self.oidc.url}/device?user_code={code}", login.stderr,
                      "verification_uri_complete (and its QR code) is shown")
        self.oidc.approve(code)
        self.assertEqual(login.finish()[0], 0)

    def test_denied_stops_with_access_denied_and_stores_nothing(self):
        login = Login(self.sb, self.oidc.url)
        self.assertTrue(self.oidc.deny(login.code()))
        status, stdout, stderr = login.finish()
        self.assertNotEqual(status, 0)
        self.assertIn("denied", stderr)
        self.assertEqual(stdout, "")
        self.assertEqual(self.stored(), {})


class CodeExpiry(OidcTest):
    device_ttl = 7

    def test_an_unapproved_code_stops_at_its_expiry(self):
        login = Login(self.sb, self.oidc.url)
        login.code()
        status, _, stderr = login.finish(timeout=30)
        self.assertNotEqual(status, 0)
        self.assertIn("expired", stderr)
        self.assertLess(login.elapsed(), self.device_ttl + 5, "polling went on past expires_in")
        self.assertEqual(self.stored(), {})


class Refresh(OidcTest):
    access_ttl = 30  # inside get's one-minute margin: every get refreshes

    def test_get_refreshes_silently_and_keeps_the_rotated_refresh_token(self):
        self.sign_in()
        first = self.stored()
        second = self.stored()
        self.assertNotEqual(second["password"], first["password"])
        self.assertNotEqual(second["oauth_refresh_token"], first["oauth_refresh_token"])
        # Rotation: the first refresh token was spent.
        status, document = self.oidc.token(grant_type="refresh_token",
                                           refresh_token=first["oauth_refresh_token"])
        self.assertEqual((status, document.get("error")), (400, "invalid_grant"))

    def test_a_dead_refresh_token_is_forgotten_and_nothing_hangs_without_a_terminal(self):
        self.sign_in()
        got = self.stored()
        # Replaying a spent refresh token makes the provider revoke the whole grant.
        self.oidc.token(grant_type="refresh_token", refresh_token=got["oauth_refresh_token"])
        self.oidc.token(grant_type="refresh_token", refresh_token=got["oauth_refresh_token"])
        # No terminal (GIT_TERMINAL_PROMPT=0): nothing to wait for, nothing handed out.
        self.assertEqual(self.stored(), {})


class Logout(OidcTest):
    def test_logout_revokes_at_the_server(self):
        self.sign_in()
        got = self.stored()
        proc = self.sb.helper("logout", self.oidc.url)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(b"git-credential-patrol: revoked the OAuth token", proc.stderr)
        self.assertEqual(proc.stdout, b"")
        self.assertEqual(self.stored(), {})
        status, document = self.oidc.token(grant_type="refresh_token",
                                           refresh_token=got["oauth_refresh_token"])
        self.assertEqual((status, document.get("error")), (400, "invalid_grant"))
