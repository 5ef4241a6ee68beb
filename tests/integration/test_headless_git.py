"""A session with no D-Bus at all: auto picks the encrypted file store, unlocked once,
the token is asked for once, and later clones and pushes need nothing."""

import unittest

from headless import HeadlessTest

TOKEN = "glpat-headless-0123456789"


class NoDbusSession(HeadlessTest):

    def test_auto_uses_the_file_store_unlocked_once(self):
        server = self.sb.git_server({"alice": TOKEN})
        url = f"{server.url}/repo.git"
        proc = self.unlock()  # through the passphrase file, once for the session
        self.assertIn("unlocked", proc.stderr)

        askpass, asked = self.sb.askpass("alice", TOKEN)
        self.sb.git("clone", "-q", url, "first", env={"GIT_ASKPASS": askpass})
        work = self.sb.root / "first"
        (work / "a.txt").write_text("first push\n")
        self.sb.git("add", "a.txt", cwd=work)
        self.sb.git("commit", "-q", "-m", "first", cwd=work)
        self.sb.git("push", "-q", "origin", "main", cwd=work, env={"GIT_ASKPASS": askpass})
        self.assertEqual(len(self.sb.calls(asked)), 2, "the token is asked for exactly once")
        self.assertTrue(self.store_file.exists())
        self.assertNotIn(TOKEN.encode(), self.store_file.read_bytes())

        forbidden, called = self.sb.forbidden_askpass()
        quiet = {"GIT_ASKPASS": forbidden}
        self.sb.git("clone", "-q", url, "second", env=quiet)
        work = self.sb.root / "second"
        (work / "b.txt").write_text("second push\n")
        self.sb.git("add", "b.txt", cwd=work)
        self.sb.git("commit", "-q", "-m", "second", cwd=work)
        self.sb.git("push", "-q", "origin", "main", cwd=work, env=quiet)
        self.assertEqual(self.sb.calls(called), [])

        status = self.sb.helper("status", input="")
        self.assertEqual(status.returncode, 0, status.stderr)
        self.assertIn("file", status.stdout)
        self.assertIn("alice", status.stdout)
        self.assertNotIn(TOKEN, status.stdout + status.stderr)

    def test_version_lists_the_stores(self):
        proc = self.sb.helper("--version", input="")
        stores = [l for l in proc.stdout.splitlines() if l.startswith("stores:")]
        self.assertEqual(stores, ["stores: secretservice file env"])

    def test_unknown_store_lists_the_available_ones(self):
        self.sb.git("config", "--global", "patrol.store", "vault")
        cred, proc = self.sb.fill({"protocol": "https", "host": "h.example"},
                                  env={"GIT_ASKPASS": self.sb.askpass("a", "b")[0]})
        line = self.assertOneErrorLine(proc.stderr)
        self.assertIn("unknown store 'vault'", line)
        self.assertIn("auto, secretservice, file, env", line)

    def test_forced_file_store_even_with_a_secret_service(self):
        keyring = self.sb.secret_service()
        self.sb.git("config", "--global", "patrol.store", "file")
        self.sb.git("config", "--global", "patrol.filePassphraseFile", str(self.passphrase_file))
        proc = self.sb.credential("approve", {"url": "https://alice@h.example", "password": "t1"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(keyring.items(secrets=False), [])
        self.assertTrue(self.store_file.exists())
        self.sb.git("config", "--global", "patrol.store", "auto")
        proc = self.sb.credential("approve", {"url": "https://bob@h.example", "password": "t2"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([i.attributes["user"] for i in keyring.items(secrets=False)], ["bob"])


if __name__ == "__main__":
    unittest.main()
