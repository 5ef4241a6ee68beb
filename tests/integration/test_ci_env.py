"""A CI job: no terminal, no keyring, CI_JOB_TOKEN and CI_SERVER_HOST set; git clones
with the job token and nothing is prompted for or written."""

import unittest

from headless import HeadlessTest

JOB_TOKEN = "job-token-0123456789"


class CiJob(HeadlessTest):

    def ci_env(self, server):
        host, _, port = server.url.removeprefix("https://").partition(":")
        return {"CI_JOB_TOKEN": JOB_TOKEN, "CI_SERVER_HOST": host, "CI_SERVER_PORT": port,
                "CI_SERVER_PROTOCOL": "https", "CI": "true"}

    def test_clone_with_the_job_token_without_prompt_or_keyring(self):
        server = self.sb.git_server({"gitlab-ci-token": JOB_TOKEN})
        forbidden, called = self.sb.forbidden_askpass()
        before = self.sb.tree()
        proc = self.no_tty_run(["git", "clone", "-q", f"{server.url}/repo.git", "job"], "",
                               env={**self.ci_env(server), "GIT_ASKPASS": forbidden})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        self.assertTrue((self.sb.root / "job" / "README").exists())
        self.assertEqual(self.sb.calls(called), [])
        users = {user for _, _, user in server.requests if user}
        self.assertEqual(users, {"gitlab-ci-token"})
        # git's store after the clone did not copy the job token anywhere.
        self.assertEqual(self.sb.tree(), before)

    def test_host_with_port_in_ci_server_host(self):
        server = self.sb.git_server({"gitlab-ci-token": JOB_TOKEN})
        env = {"CI_JOB_TOKEN": JOB_TOKEN, "CI_SERVER_HOST": server.url.removeprefix("https://")}
        cred, proc = self.sb.fill({"url": f"{server.url}/repo.git"}, env=env)
        self.assertEqual((cred.get("username"), cred.get("password")),
                         ("gitlab-ci-token", JOB_TOKEN), proc.stderr)
        status = self.sb.helper("status", input="", env=env)
        self.assertIn("env", status.stdout)
        self.assertNotIn(JOB_TOKEN, status.stdout + status.stderr)

    def test_the_job_token_goes_nowhere_else(self):
        env = {"CI_JOB_TOKEN": JOB_TOKEN, "CI_SERVER_HOST": "gitlab.example.com"}
        askpass, asked = self.sb.askpass("someone", "typed")
        cred, proc = self.sb.fill({"url": "https://gitlab.example.com:8443/x.git"},
                                  env={**env, "GIT_ASKPASS": askpass})
        self.assertEqual(cred.get("password"), "typed")
        cred, proc = self.sb.fill({"url": "http://gitlab.example.com/x.git"},
                                  env={**env, "GIT_ASKPASS": askpass})
        self.assertEqual(cred.get("password"), "typed")

    def test_a_forge_setting_does_not_lend_gitlab_token_to_other_hosts(self):
        """GITLAB_TOKEN for gitlab.corp.example never answers a submodule URL elsewhere,
        whatever patrol.forge says, over http, on another port or for another user."""
        askpass, _ = self.sb.askpass("someone", "typed")
        env = {"GITLAB_TOKEN": "glpat-corp-secret", "GITLAB_HOST": "gitlab.corp.example",
               "GIT_ASKPASS": askpass}
        own, proc = self.sb.fill({"url": "https://gitlab.corp.example/g/r.git"}, env=env)
        self.assertEqual(own.get("password"), "glpat-corp-secret", proc.stderr)
        for forge in ({"PATROL_FORGE": "gitlab"}, {}):
            if not forge:
                self.sb.git("config", "--global", "patrol.forge", "gitlab")
            for url in ("https://attacker.example/evil/sub.git",
                        "http://gitlab.corp.example/g/r.git",
                        "https://gitlab.corp.example:8443/g/r.git",
                        "https://mallory@attacker.example/evil/sub.git",
                        "https://gitlab.attacker.example/evil/sub.git"):
                with self.subTest(url=url, forge=forge or "git config"):
                    cred, proc = self.sb.fill({"url": url}, env={**env, **forge})
                    self.assertEqual(cred.get("password"), "typed", proc.stderr)

    def test_github_tokens_only_for_their_hosts(self):
        askpass, _ = self.sb.askpass("someone", "typed")
        env = {"GH_TOKEN": "ghp_cloud", "GH_ENTERPRISE_TOKEN": "ghp_enterprise",
               "GH_HOST": "github.corp.example", "GIT_ASKPASS": askpass}
        for url, expected in (("https://github.com/o/r.git", "ghp_cloud"),
                              ("https://github.corp.example/o/r.git", "ghp_enterprise"),
                              ("http://github.com/o/r.git", "typed"),
                              ("https://github.com:8443/o/r.git", "typed"),
                              ("https://acme.ghe.com/o/r.git", "typed"),
                              ("http://github.corp.example/o/r.git", "typed"),
                              ("https://attacker.example/o/r.git", "typed")):
            with self.subTest(url=url):
                cred, proc = self.sb.fill({"url": url}, env=env)
                self.assertEqual(cred.get("password"), expected, proc.stderr)

    def test_the_enterprise_token_never_answers_for_github_com(self):
        askpass, _ = self.sb.askpass("someone", "typed")
        for gh_host in ("github.com", "github.com:443", "GitHub.com:0443", "https://github.com/"):
            with self.subTest(gh_host=gh_host):
                env = {"GH_ENTERPRISE_TOKEN": "ghp_enterprise", "GH_HOST": gh_host,
                       "GIT_ASKPASS": askpass}
                cred, proc = self.sb.fill({"url": "https://github.com/o/r.git"}, env=env)
                self.assertEqual(cred.get("password"), "typed", proc.stderr)

    def test_github_token_for_github_com(self):
        cred, proc = self.sb.fill({"url": "https://github.com/o/r.git"},
                                  env={"GH_TOKEN": "ghp_example", "GITHUB_TOKEN": "other"})
        self.assertEqual((cred.get("username"), cred.get("password")),
                         ("x-access-token", "ghp_example"), proc.stderr)


if __name__ == "__main__":
    unittest.main()
