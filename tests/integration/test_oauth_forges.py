"""OAuth's device flow against the GitLab and GitHub test servers, each with its own
behaviour (GitLab: HTTP 400 errors, 8-character codes, slow_down when polled too soon;
GitHub: HTTP 200 errors, slow_down with a new interval), then git using the token."""

import json
import shutil
import time

from harness import IntegrationTest, credential_input, parse_credential
from oauth_fixtures import Login

CLIENT_ID = "patrol-forge-test"
CLIENT_SECRET = "forge-test-secret-7f3a9c"


class ForgeOAuthTest(IntegrationTest):
    forge = "gitlab"

    def setUp(self):
        super().setUp()
        self.keyring = self.sb.secret_service()
        start = self.sb.gitlab_server if self.forge == "gitlab" else self.sb.github_server
        self.server = start()
        # GitHub's refresh grant takes the app's client secret; GitLab's public client has none.
        self.client_secret = CLIENT_SECRET if self.forge == "github" else None
        self.server.device.register_client(CLIENT_ID, self.client_secret)
        self.server.device.interval = 1
        self.host = f"127.0.0.1:{self.server.port}"
        self.repo_url = f"{self.server.url}/repo.git"
        prefix = f"patrol.{self.server.url}."
        self.sb.git("config", "--global", prefix + "forge", self.forge)
        if self.forge == "github":
            self.sb.git("config", "--global", prefix + "apiUrl", self.server.ghes_api_url)
        # As a newcomer does it: configure --oauth, which scopes both to this host.
        proc = self.sb.helper("configure", "--oauth", self.repo_url, CLIENT_ID,
                              *([self.client_secret] if self.client_secret else []), input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def stored(self):
        proc = self.sb.helper("get", input=credential_input(protocol="https", host=self.host),
                              env={"GIT_TERMINAL_PROMPT": "0"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return parse_credential(proc.stdout)

    def sign_in(self, approve=True):
        login = Login(self.sb, self.repo_url)
        code = login.code()
        if approve:
            self.assertTrue(self.server.device.approve(code))
            status, stdout, stderr = login.finish()
            self.assertEqual(status, 0, stderr)
        return login, code

    def clone(self, name="work"):
        shutil.rmtree(self.sb.root / name, ignore_errors=True)
        return self.sb.git("clone", "-q", self.repo_url, str(self.sb.root / name), check=False)

    def gap_after(self, code, answer):
        """Seconds between the first poll answered `answer` and the next poll."""
        polls = self.server.device.polls_of(code)
        for first, second in zip(polls, polls[1:]):
            if first.answer == answer:
                return second.at - first.at
        raise AssertionError(f"no poll answered {answer} and then another: {polls}")




class EveryForge:
    """Scenarios both forge servers go through (mixed into GitLab and GitHub only)."""

    def test_a_server_hiccup_mid_poll_is_waited_out_then_refresh_and_clone(self):
        # RFC 8628 3.5: only access_denied, expired_token and the like end the polling; a
        # 503 or 500 carrying a JSON error is a hiccup (the person may be half-way through).
        self.server.device.access_token_lifetime = 30  # within get's one-minute margin
        self.server.device.expiring_tokens = True       # GitHub: an App's expiring tokens
        self.server.device.poll_failures = [(503, "temporarily_unavailable"),
                                            (500, "server_error")]
        login = Login(self.sb, self.repo_url)
        code = login.code()
        deadline = time.monotonic() + 30
        while self.server.device.poll_failures:
            self.assertLess(time.monotonic(), deadline, login.stderr)
            self.assertIsNone(login.proc.poll(), "login gave up at a server hiccup: " + login.stderr)
            time.sleep(0.05)
        self.assertTrue(self.server.device.approve(code, user="alice"))
        status, _, stderr = login.finish()
        self.assertEqual(status, 0, stderr)
        answers = [p.answer for p in self.server.device.polls]
        self.assertEqual(answers[:2], ["temporarily_unavailable", "server_error"], answers)
        self.assertEqual(answers[-1], "tokens")
        first = self.stored()  # inside the minute: refreshed
        self.assertEqual([a for _, a in self.server.device.refreshes], ["tokens"])
        self.assertEqual(self.clone().returncode, 0)
        self.assertTrue(self.server.token(first["password"]).revoked, "the old pair lives on")
        # The client secret went to the token endpoint with the refresh grant, nowhere else.
        sent = self.server.device.secrets_sent
        if self.client_secret:
            self.assertTrue(sent)
            self.assertEqual(set(sent), {(self.server.device.token_path, "refresh_token")})
        else:
            self.assertEqual(sent, [])

    def test_configure_oauth_scopes_the_client_id_to_the_host(self):
        origin = self.server.url
        proc = self.sb.git("config", "--global", "--get-regexp", r"^patrol\..*oauthclient")
        names = sorted(line.split()[0] for line in proc.stdout.splitlines())
        expected = [f"patrol.{origin}.oauthclientid"]
        if self.client_secret:
            expected.append(f"patrol.{origin}.oauthclientsecret")
        self.assertEqual(names, expected)
        self.assertNotIn("/repo.git", self.sb.git("config", "--global", "--list").stdout)
        trace = self.sb.helper("diagnose", self.repo_url, input="", env={"PATROL_TRACE": "1"})
        self.assertEqual(trace.returncode, 0, trace.stderr)
        if self.client_secret:
            self.assertRegex(trace.stdout, r"patrol\.oauthClientSecret:\s+set \(not shown\)")
            self.assertNotIn(self.client_secret, trace.stdout + trace.stderr)


class GitLab(EveryForge, ForgeOAuthTest):
    forge = "gitlab"

    def test_sign_in_then_git_uses_the_oauth_token_as_oauth2(self):
        login, code = self.sign_in()
        self.assertRegex(code, r"^[0-9A-Z]{8}$")
        self.assertIn(f"open   {self.server.url}/oauth/device", login.stderr)
        got = self.stored()
        self.assertEqual(got["username"], "oauth2")
        token = self.server.token(got["password"])
        self.assertTrue(token is not None and token.oauth)
        self.assertEqual(token.scopes, ["read_repository", "write_repository"])
        polls = [p.answer for p in self.server.device.polls_of(code)]
        self.assertNotIn("slow_down", polls, "the client polled faster than the interval")
        self.server.clear_log()
        self.assertEqual(self.clone().returncode, 0)
        self.assertTrue(any(e.token_id == token.id for e in self.server.git_calls()))

    def test_a_verification_page_off_the_forge_is_refused_before_anyone_sees_it(self):
        # A browser reads a backslash as a slash: it opens phish.example where libcurl
        # would see a user name and the forge's host.
        for page in ("https://phish.example/oauth/device", f"http://127.0.0.1:{self.server.port}/x",
                     f"https://phish.example\\@127.0.0.1:{self.server.port}/oauth/device"):
            with self.subTest(page):
                self.server.device.verification_uri = lambda page=page: page
                login = Login(self.sb, self.repo_url)
                status, _, stderr = login.finish(timeout=15)
                self.assertNotEqual(status, 0)
                self.assertIn("refusing the sign-in", stderr)
                self.assertNotIn("open   ", stderr)
                self.assertEqual(self.server.device.polls, [], "the device code was polled")
                self.assertEqual(self.stored(), {})

    def test_slow_down_adds_five_seconds_to_later_polls(self):
        self.server.device.force_slow_down = 1
        login = Login(self.sb, self.repo_url)
        code = login.code()
        deadline = time.monotonic() + 10
        while not any(p.answer == "slow_down" for p in self.server.device.polls_of(code)):
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        self.server.device.approve(code)
        self.assertEqual(login.finish()[0], 0)
        self.assertGreaterEqual(self.gap_after(code, "slow_down"), 1 + 5 - 0.1)

    def test_a_code_the_server_expired_stops_polling(self):
        login = Login(self.sb, self.repo_url)
        login.code()
        self.server.advance(seconds=self.server.device.expires_in + 1)
        status, _, stderr = login.finish(timeout=15)
        self.assertNotEqual(status, 0)
        self.assertIn("expired", stderr)
        self.assertEqual(self.stored(), {})

    def test_an_expiring_token_is_refreshed_silently_at_clone(self):
        self.server.device.access_token_lifetime = 30  # within get's one-minute margin
        self.sign_in()
        before = self.stored()
        # stored() refreshed once already; the clone refreshes again, with no terminal.
        self.assertEqual(len(self.server.device.refreshes), 1)
        self.assertEqual(self.clone().returncode, 0)
        self.assertEqual([answer for _, answer in self.server.device.refreshes], ["tokens"] * 2)
        self.assertTrue(self.server.token(before["password"]).revoked, "the old pair lives on")
        self.assertEqual(len(self.server.device.grants()), 0, "a device flow ran")

    def test_a_dead_refresh_token_is_forgotten_and_git_fails_fast_without_a_terminal(self):
        self.server.device.access_token_lifetime = 30
        self.sign_in()
        self.server.device.kill_refresh_tokens()
        proc = self.clone()
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("terminal prompts disabled", proc.stderr)
        self.assertEqual(self.stored(), {})
        self.assertEqual(len(self.server.device.grants()), 0)

    def test_a_refresh_that_fails_keeps_the_record_and_hands_no_expired_token(self):
        self.server.device.access_token_lifetime = 0  # expired as soon as it is stored
        self.sign_in()
        self.server.device.failure = 503
        proc = self.sb.helper("get", input=credential_input(protocol="https", host=self.host),
                              env={"GIT_TERMINAL_PROMPT": "0"})
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(proc.stdout, "", "an expired token was handed to git")
        self.assertIn("could not refresh", proc.stderr)
        self.server.device.failure = None
        got = self.stored()
        self.assertTrue(got.get("password"), "the refresh token was lost with the failure")
        self.assertEqual([a for _, a in self.server.device.refreshes], ["tokens"])

    def test_check_does_not_count_a_self_refreshing_token_as_expiring(self):
        self.server.device.access_token_lifetime = 30
        self.sign_in()
        proc = self.sb.helper("check", "--offline")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout, b"")
        checked = json.loads(self.sb.helper("check", "--offline", "--json").stdout)
        self.assertEqual([(e["state"], e["refreshes_itself"], e["refresh_token"], e["days_left"])
                          for e in checked], [("ok", True, "held", None)])
        # status says so instead of counting 0 days left on an hours-long access token.
        status = self.sb.helper("status", input="")
        rows = [line for line in status.stdout.splitlines() if self.host in line]
        self.assertEqual(len(rows), 1, status.stdout)
        self.assertIn("refreshes itself", rows[0])
        self.assertNotIn("  0  ", rows[0])

    def test_a_browser_opens_the_page_only_with_a_display_and_permission(self):
        log = self.sb.root / "xdg-open.log"
        script = self.sb.bin / "xdg-open"
        script.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$#\" \"$@\" >> '{log}'\necho noise\n")
        script.chmod(0o755)
        path = f"{self.sb.bin}:{self.sb.env['PATH']}"
        # A display but no permission: no browser.
        login = Login(self.sb, self.repo_url, env={"PATH": path, "DISPLAY": ":9"})
        self.server.device.approve(login.code())
        self.assertEqual(login.finish()[0], 0)
        self.assertFalse(log.exists())
        self.sb.helper("logout", self.server.url)
        # Permission and a display: xdg-open gets the page, and only the page.
        self.sb.git("config", "--global", "patrol.oauthBrowser", "true")
        login = Login(self.sb, self.repo_url, env={"PATH": path, "DISPLAY": ":9"})
        code = login.code()
        self.server.device.approve(code)
        status, stdout, _ = login.finish()
        self.assertEqual(status, 0)
        self.assertNotIn("noise", stdout)
        self.assertEqual(log.read_text().splitlines(),
                         ["1", f"{self.server.url}/oauth/device?user_code={code}"])

    def test_logout_revokes_the_token_at_gitlab(self):
        self.sign_in()
        token = self.stored()["password"]
        proc = self.sb.helper("logout", self.server.url)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(b"git-credential-patrol: revoked the OAuth token", proc.stderr)
        self.assertEqual(proc.stdout, b"")
        self.assertTrue(self.server.token(token).revoked)
        self.assertEqual(self.stored(), {})

    def test_an_unknown_client_is_refused_clearly(self):
        self.sb.git("config", "--global", f"patrol.{self.server.url}.oauthClientId", "nobody")
        proc = self.sb.helper("login", "--oauth", self.server.url)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn(b"invalid_client", proc.stderr)


class GitHub(EveryForge, ForgeOAuthTest):
    forge = "github"

    def test_sign_in_through_http_200_errors_then_git_uses_the_token(self):
        login = Login(self.sb, self.repo_url)
        code = login.code()
        self.assertRegex(code, r"^[A-Z]{4}-[A-Z]{4}$")
        deadline = time.monotonic() + 10
        while not self.server.device.polls_of(code):
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        self.server.device.approve(code, user="octocat")
        self.assertEqual(login.finish()[0], 0)
        self.assertEqual(self.server.device.polls_of(code)[0].answer, "authorization_pending")
        got = self.stored()
        self.assertTrue(got["password"].startswith("gho_"))
        self.assertNotIn("password_expiry_utc", got, "GitHub's OAuth app tokens do not expire")
        self.assertEqual(self.clone().returncode, 0)
        # No revocation endpoint for a public client: logout only forgets.
        proc = self.sb.helper("logout", self.server.url)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotIn(b"revoked", proc.stdout)
        self.assertFalse(self.server.token(got["password"]).revoked)

    def test_slow_down_takes_githubs_new_interval(self):
        self.server.device.force_slow_down = 1
        login = Login(self.sb, self.repo_url)
        code = login.code()
        deadline = time.monotonic() + 10
        while not any(p.answer == "slow_down" for p in self.server.device.polls_of(code)):
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        self.server.device.approve(code, user="octocat")
        self.assertEqual(login.finish()[0], 0)
        self.assertGreaterEqual(self.gap_after(code, "slow_down"), 6 - 0.1)
        self.assertNotIn("slow_down", [p.answer for p in self.server.device.polls_of(code)][1:])

    def test_without_the_client_secret_github_refuses_the_refresh_and_the_record_stays(self):
        self.sb.git("config", "--global", "--unset", f"patrol.{self.server.url}.oauthClientSecret")
        self.server.device.expiring_tokens = True
        self.server.device.access_token_lifetime = 30
        self.sign_in()
        proc = self.sb.helper("get", input=credential_input(protocol="https", host=self.host),
                              env={"GIT_TERMINAL_PROMPT": "0"})
        self.assertIn("incorrect_client_credentials", proc.stderr)
        self.assertEqual([a for _, a in self.server.device.refreshes], ["incorrect_client_credentials"])
        self.assertEqual(self.server.device.secrets_sent, [])
        self.assertTrue(self.stored().get("password", "").startswith("ghu_"),
                        "the refresh token was thrown away")

    def test_expiring_github_app_tokens_refresh_and_a_bad_refresh_token_is_forgotten(self):
        self.server.device.expiring_tokens = True
        self.server.device.access_token_lifetime = 30
        self.sign_in()
        first = self.stored()  # refreshed: inside the minute
        self.assertTrue(first["password"].startswith("ghu_"))
        self.assertEqual([a for _, a in self.server.device.refreshes], ["tokens"])
        self.server.device.kill_refresh_tokens()
        self.assertEqual(self.stored(), {})
        self.assertEqual(self.server.device.refreshes[-1][1], "invalid_grant")


class NoClientId(IntegrationTest):
    """login --oauth before any client id: the forge's own registration page and the values
    to enter, then configure --oauth with the id it gave, and the sign-in works."""

    def check_forge(self, forge, page, words):
        self.sb.secret_service()
        server = self.sb.gitlab_server() if forge == "gitlab" else self.sb.github_server()
        self.sb.git("config", "--global", f"patrol.{server.url}.forge", forge)
        proc = self.sb.helper("login", "--oauth", f"{server.url}/group/repo.git", input="")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        lines = proc.stderr.splitlines()
        self.assertEqual(lines[0], f"git-credential-patrol: no OAuth client id for {server.url} "
                         "yet; register an OAuth application once:")
        self.assertEqual(lines[-1], "git-credential-patrol: error: login --oauth needs a client "
                         f"id for {server.url} (see above)")
        self.assertIn(f"  open   {server.url}{page}\n", proc.stderr)
        for word in words:
            self.assertIn(word, proc.stderr)
        command = f"git credential-patrol configure --oauth {server.url} CLIENT_ID"
        self.assertIn(command, proc.stderr)
        self.assertEqual(server.device.grants(), [])
        # Doing what it says: register (the test server's part), then configure and sign in.
        server.device.register_client("registered-id", "registered-secret")
        server.device.interval = 1
        args = ["configure", "--oauth", server.url, "registered-id"]
        if forge == "github":
            args.append("registered-secret")
        configured = self.sb.helper(*args, input="")
        self.assertEqual(configured.returncode, 0, configured.stderr)
        self.assertNotIn("registered-secret", configured.stderr)
        login = Login(self.sb, server.url)
        self.assertTrue(server.device.approve(login.code()))
        status, _, stderr = login.finish()
        self.assertEqual(status, 0, stderr)

    def test_gitlab_names_the_applications_pages_and_values(self):
        self.check_forge("gitlab", "/-/user_settings/applications",
                         ["/admin/applications", "Confidential: unticked",
                          "Scopes: read_repository, write_repository", "Redirect URI: "])

    def test_github_names_developer_settings_and_device_flow(self):
        self.check_forge("github", "/settings/applications/new",
                         ["Enable Device Flow: ticked", "Authorization callback URL: ",
                          "CLIENT_ID [CLIENT_SECRET]"])

    def test_configure_oauth_refuses_what_is_not_a_url_or_an_id(self):
        for args in (["--oauth"], ["--oauth", "https://h.example.com"],
                     ["--oauth", "not a url", "id"], ["--oauth", "https://h.example.com", "a b"],
                     ["--oauth", "https://h.example.com", "id", "secret", "more"]):
            with self.subTest(args):
                proc = self.sb.helper("configure", *args, input="")
                self.assertEqual(proc.returncode, 129, proc.stderr)
                self.assertOneErrorLine(proc.stderr)
        self.assertNotIn("oauth", self.sb.git("config", "--global", "--list",
                                              check=False).stdout.lower())


if __name__ == "__main__":
    import unittest
    unittest.main()
