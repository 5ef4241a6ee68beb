"""`git credential-patrol import`: from git-credential-store's file and from
git-credential-libsecret's items into the chosen store; nothing lost, dry run shows."""

import unittest

from headless import HeadlessTest

PREFIX = "git-credential-patrol: "

LINES = [
    "https://alice:tok%2Falice@gitlab.example.com",
    "https://bob%40corp:tok-bob@git.example.com:8443/group/repo.git",
    "this is not a credential",
    "https://nopassword@host.example",
]


class ImportFromStoreFile(HeadlessTest):

    def setUp(self):
        super().setUp()
        self.sb.git("config", "--global", "patrol.filePassphraseFile", str(self.passphrase_file))
        self.source = self.sb.home / ".git-credentials"
        self.source.write_text("\n".join(LINES) + "\n")
        self.source.chmod(0o600)

    def test_dry_run_shows_what_would_move_and_changes_nothing(self):
        before = self.source.read_bytes()
        proc = self.sb.helper("import", "--dry-run", input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        # What a dry run finds is its result: on stdout, without the prefix.
        self.assertNotIn(PREFIX, proc.stdout)
        self.assertEqual(proc.stderr, "")
        self.assertIn("would import https://alice@gitlab.example.com into file", proc.stdout)
        self.assertIn("would import https://bob%40corp@git.example.com:8443/group/repo.git",
                      proc.stdout)
        self.assertIn("2 to import, 0 already there, 0 failed, 2 line(s) not credentials",
                      proc.stdout)
        for secret in ("tok", "alice:"):
            self.assertNotIn(secret + "%2F", proc.stdout + proc.stderr)
        self.assertNotIn("tok-bob", proc.stdout + proc.stderr)
        self.assertEqual(self.source.read_bytes(), before)
        self.assertFalse(self.store_file.exists())

    def test_import_keeps_the_source_then_removes_only_what_moved(self):
        before = self.source.read_bytes()
        proc = self.sb.helper("import", input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        # What an import did is said to the person: stderr, with the prefix.
        self.assertEqual(proc.stdout, "")
        self.assertIn(PREFIX + "imported https://alice@gitlab.example.com into file", proc.stderr)
        self.assertIn(PREFIX + "2 imported", proc.stderr)
        # A copy: the plain-text file still holds the tokens, and the person is told how to
        # remove them.
        self.assertIn(f"{PREFIX}warning: {self.source} still holds 2 token(s) in clear text: "
                      f"run the import again with --remove-source to remove what was copied, "
                      f"or delete {self.source}\n", proc.stderr)
        self.assertEqual(self.source.read_bytes(), before)
        cred, _ = self.sb.fill({"url": "https://gitlab.example.com"})
        self.assertEqual((cred.get("username"), cred.get("password")), ("alice", "tok/alice"))
        cred, _ = self.sb.fill({"url": "https://git.example.com:8443/group/repo.git"},
                               git_args=("-c", "credential.useHttpPath=true"))
        self.assertEqual((cred.get("username"), cred.get("password")), ("bob@corp", "tok-bob"))

        proc = self.sb.helper("import", "--remove-source", input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("0 imported, 2 already there", proc.stderr)
        self.assertNotIn("clear text", proc.stderr)
        self.assertEqual(self.source.read_text(),
                         "this is not a credential\nhttps://nopassword@host.example\n")
        self.assertEqual(self.source.stat().st_mode & 0o777, 0o600)

    def test_explicit_file_and_xdg_location(self):
        xdg = self.sb.home / ".config/git/credentials"
        xdg.parent.mkdir(parents=True)
        xdg.write_text("https://carol:tok-carol@xdg.example\n")
        self.source.unlink()
        proc = self.sb.helper("import", "--remove-source", input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("1 imported", proc.stderr)
        self.assertFalse(xdg.exists())
        other = self.sb.root / "elsewhere"
        other.write_text("https://dave:tok-dave@file.example\n")
        proc = self.sb.helper("import", str(other), input="")
        self.assertIn("1 imported", proc.stderr)
        self.assertIn(f"{other} still holds 1 token(s) in clear text", proc.stderr)
        self.assertEqual(self.sb.fill({"url": "https://file.example"})[0]["password"], "tok-dave")

    def test_a_failing_destination_removes_nothing(self):
        self.sb.git("config", "--global", "--unset", "patrol.filePassphraseFile")
        before = self.source.read_bytes()
        proc = self.sb.helper("import", "--remove-source", input="")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("2 failed", proc.stderr)
        self.assertEqual(self.source.read_bytes(), before)


class ImportFromLibsecret(HeadlessTest):

    def test_items_move_from_the_keyring_into_the_file_store(self):
        keyring = self.sb.secret_service()
        keyring.store_raw("tok-k1", protocol="https", server="k.example", user="kim")
        self.sb.git("config", "--global", "patrol.store", "file")
        self.sb.git("config", "--global", "patrol.filePassphraseFile", str(self.passphrase_file))
        proc = self.sb.helper("import", "--from", "libsecret", "--dry-run", input="")
        self.assertIn("would import https://kim@k.example into file", proc.stdout, proc.stderr)
        self.assertNotIn("tok-k1", proc.stdout + proc.stderr)
        proc = self.sb.helper("import", "--from=libsecret", "--remove-source", input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("1 imported", proc.stderr)
        self.assertNotIn("clear text", proc.stderr)
        self.assertEqual(keyring.items(secrets=False), [])
        self.assertEqual(self.sb.fill({"url": "https://k.example"})[0]["password"], "tok-k1")

    def test_refused_when_patrol_already_uses_the_keyring(self):
        self.sb.secret_service()
        proc = self.sb.helper("import", "--from", "libsecret", input="")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("nothing to import", proc.stderr)


if __name__ == "__main__":
    unittest.main()
