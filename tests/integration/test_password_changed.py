"""The server's password changes: git gets 401, patrol erases the item, git asks again."""

import unittest

from harness import IntegrationTest

OLD, NEW = "tok-before-rotation", "tok-after-rotation"


class PasswordChangedOnServer(IntegrationTest):

    def test_401_erases_the_item_and_the_next_attempt_asks_again(self):
        keyring = self.sb.secret_service()
        server = self.sb.git_server({"alice": OLD})
        url = f"{server.url}/repo.git"
        askpass, _ = self.sb.askpass("alice", OLD, name="askpass-old")
        self.sb.git("clone", "-q", url, "work", env={"GIT_ASKPASS": askpass})
        work = self.sb.root / "work"
        item, = keyring.items()
        self.assertEqual(item.password, OLD)

        server.set_password("alice", NEW)
        forbidden, called = self.sb.forbidden_askpass()
        proc = self.sb.git("fetch", cwd=work, env={"GIT_ASKPASS": forbidden}, check=False)
        self.assertNotEqual(proc.returncode, 0, "fetch succeeded with a password the server dropped")
        self.assertIn("Authentication failed", proc.stderr)
        self.assertGreaterEqual(server.unauthorized, 1)
        self.assertEqual(keyring.items(), [], "the rejected credential is still in the keyring")
        self.assertNotIn(OLD, proc.stderr)

        askpass, asked = self.sb.askpass("alice", NEW, name="askpass-new")
        self.sb.git("fetch", "-q", cwd=work, env={"GIT_ASKPASS": askpass})
        self.assertTrue(any(p.startswith("Password") for p in self.sb.calls(asked)),
                        "git did not ask for the new password")
        item, = keyring.items()
        self.assertEqual(item.password, NEW)

    def test_401_for_one_user_keeps_other_users_items(self):
        keyring = self.sb.secret_service()
        server = self.sb.git_server({"alice": OLD, "bob": "tok-bob"})
        url = f"{server.url}/repo.git"
        for user, token in (("alice", OLD), ("bob", "tok-bob")):
            askpass, _ = self.sb.askpass(user, token, name=f"askpass-{user}")
            self.sb.git("clone", "-q", url.replace("https://", f"https://{user}@"), f"work-{user}",
                        env={"GIT_ASKPASS": askpass})
        self.assertEqual(sorted(i.attributes["user"] for i in keyring.items()), ["alice", "bob"])

        server.set_password("alice", NEW)
        forbidden, _ = self.sb.forbidden_askpass()
        proc = self.sb.git("fetch", cwd=self.sb.root / "work-alice",
                           env={"GIT_ASKPASS": forbidden}, check=False)
        self.assertNotEqual(proc.returncode, 0)
        left, = keyring.items()
        self.assertEqual((left.attributes["user"], left.password), ("bob", "tok-bob"))


if __name__ == "__main__":
    unittest.main()
