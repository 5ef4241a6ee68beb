"""A token given once, then clone and push over HTTPS with nothing but the helper."""

import unittest

from harness import IntegrationTest

TOKEN = "glpat-integration-0123456789"


class CloneAndPush(IntegrationTest):

    def setUp(self):
        super().setUp()
        self.keyring = self.sb.secret_service()
        self.server = self.sb.git_server({"alice": TOKEN})
        self.url = f"{self.server.url}/repo.git"

    def test_token_given_once_then_clone_and_push_use_only_the_helper(self):
        askpass, asked = self.sb.askpass("alice", TOKEN)
        self.sb.git("clone", "-q", self.url, "first", env={"GIT_ASKPASS": askpass})
        self.assertEqual(len(self.sb.calls(asked)), 2, "expected one username and one password prompt")
        self.assertTrue((self.sb.root / "first" / "README").exists())

        item, = self.keyring.items()
        self.assertEqual(item.key(), ("https", "127.0.0.1", str(self.server.port), "alice", ""))
        self.assertEqual(item.password, TOKEN)
        self.assertNoSecretInAttributes([item], TOKEN)

        forbidden, called = self.sb.forbidden_askpass()
        quiet = {"GIT_ASKPASS": forbidden}
        self.sb.git("clone", "-q", self.url, "second", env=quiet)
        work = self.sb.root / "second"
        (work / "change.txt").write_text("pushed through the helper\n")
        self.sb.git("add", "change.txt", cwd=work)
        self.sb.git("commit", "-q", "-m", "change", cwd=work)
        self.sb.git("push", "-q", "origin", "main", cwd=work, env=quiet)
        self.sb.git("fetch", "-q", cwd=self.sb.root / "first", env=quiet)
        self.assertEqual(self.sb.calls(called), [], "git prompted although patrol had the token")

        pushed = self.sb.git("--git-dir", str(self.sb.root / "srv" / "repo.git"),
                             "log", "-1", "--format=%s", "main").stdout.strip()
        self.assertEqual(pushed, "change")
        pushes = [r for r in self.server.requests if r[1].endswith("/git-receive-pack")]
        self.assertTrue(pushes and all(user == "alice" for _, _, user in pushes), pushes)

        item, = self.keyring.items()
        self.assertEqual(item.password, TOKEN)

    def test_status_lists_the_credential_without_its_secret(self):
        askpass, _ = self.sb.askpass("alice", TOKEN)
        self.sb.git("clone", "-q", self.url, "first", env={"GIT_ASKPASS": askpass})
        proc = self.sb.helper("status", input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("127.0.0.1", proc.stdout)
        self.assertIn("alice", proc.stdout)
        self.assertNotIn(TOKEN, proc.stdout + proc.stderr)
        via_git = self.sb.git("credential-patrol", "status")
        self.assertNotIn(TOKEN, via_git.stdout + via_git.stderr)
        self.assertIn("alice", via_git.stdout)


if __name__ == "__main__":
    unittest.main()
