"""git credential fill/approve/reject driving patrol against a real keyring."""

import unittest

from harness import IntegrationTest, credential_input

HOST = "git.example.com"


class CredentialThroughKeyring(IntegrationTest):

    def setUp(self):
        super().setUp()
        self.keyring = self.sb.secret_service()
        self.askpass, self.asked = self.sb.askpass("prompted-user", "from-askpass")

    def fill(self, url, git_args=()):
        """The password git ends up with for url, and whether it had to ask."""
        before = len(self.sb.calls(self.asked))
        cred, proc = self.sb.fill({"url": url}, git_args, env={"GIT_ASKPASS": self.askpass})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return cred, len(self.sb.calls(self.asked)) > before

    def approve(self, url, password, git_args=()):
        proc = self.sb.credential("approve", {"url": url, "password": password}, git_args)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")

    def test_approve_then_fill_returns_the_password(self):
        self.approve(f"https://alice@{HOST}", "tok-alice-1")
        cred, asked = self.fill(f"https://alice@{HOST}")
        self.assertFalse(asked, "git prompted although patrol had the credential")
        self.assertEqual(cred["password"], "tok-alice-1")
        self.assertEqual(cred["username"], "alice")

    def test_item_uses_git_libsecret_schema_and_attributes_hold_no_secret(self):
        self.approve(f"https://alice@{HOST}", "tok-alice-1")
        self.approve(f"https://bob@{HOST}:8443", "tok-bob-2")
        items = {item.attributes.get("user"): item for item in self.keyring.items()}
        self.assertEqual(set(items), {"alice", "bob"})
        self.assertEqual(items["alice"].key(), ("https", HOST, "", "alice", ""))
        self.assertEqual(items["bob"].key(), ("https", HOST, "8443", "bob", ""))
        self.assertEqual(items["alice"].password, "tok-alice-1")
        self.assertEqual(items["bob"].password, "tok-bob-2")
        self.assertNoSecretInAttributes(items.values(), "tok-alice-1", "tok-bob-2")
        allowed = {"user", "object", "protocol", "port", "server", "xdg:schema"}
        for item in items.values():
            self.assertLessEqual(set(item.attributes), allowed, item.attributes)

    def test_fill_without_username_finds_the_only_user(self):
        self.approve(f"https://alice@{HOST}", "tok-alice-1")
        cred, asked = self.fill(f"https://{HOST}")
        self.assertFalse(asked)
        self.assertEqual((cred["username"], cred["password"]), ("alice", "tok-alice-1"))

    def test_several_users_without_username_choose_the_smallest_username(self):
        # The documented rule (store/match.hpp): no path before a path, then the smallest username.
        self.approve(f"https://zed@{HOST}", "tok-zed")
        self.approve(f"https://bob@{HOST}", "tok-bob")
        self.approve(f"https://carol@{HOST}", "tok-carol")
        for _ in range(2):
            cred, asked = self.fill(f"https://{HOST}")
            self.assertFalse(asked)
            self.assertEqual((cred["username"], cred["password"]), ("bob", "tok-bob"))

    def test_matching_is_exact_on_port_protocol_and_username(self):
        self.approve(f"https://alice@{HOST}", "tok-alice-1")
        for url in (f"https://alice@{HOST}:8443", f"http://alice@{HOST}",
                    f"https://bob@{HOST}", f"https://alice@other.example.com",
                    f"https://alice@sub.{HOST}"):
            with self.subTest(url=url):
                cred, asked = self.fill(url)
                self.assertTrue(asked, f"{url} was answered without asking")
                self.assertEqual(cred["password"], "from-askpass")

    def test_port_is_part_of_the_host(self):
        self.approve(f"https://alice@{HOST}:8443", "tok-8443")
        cred, asked = self.fill(f"https://alice@{HOST}:8443")
        self.assertFalse(asked)
        self.assertEqual(cred["password"], "tok-8443")
        cred, asked = self.fill(f"https://alice@{HOST}")
        self.assertTrue(asked, "a credential for port 8443 was handed out for port 443")

    def test_path_counts_only_with_use_http_path(self):
        path_on = ("-c", "credential.useHttpPath=true")
        self.approve(f"https://alice@{HOST}/group/a.git", "tok-repo-a", path_on)
        item, = self.keyring.items()
        self.assertEqual(item.attributes.get("object"), "group/a.git")
        cred, asked = self.fill(f"https://alice@{HOST}/group/a.git", path_on)
        self.assertFalse(asked)
        self.assertEqual(cred["password"], "tok-repo-a")
        cred, asked = self.fill(f"https://alice@{HOST}/group/b.git", path_on)
        self.assertTrue(asked, "a credential for one path was handed out for another")

    def test_without_use_http_path_git_sends_no_path(self):
        self.approve(f"https://alice@{HOST}/group/a.git", "tok-host")
        item, = self.keyring.items()
        self.assertNotIn("object", item.attributes)
        cred, asked = self.fill(f"https://alice@{HOST}/group/b.git")
        self.assertFalse(asked)
        self.assertEqual(cred["password"], "tok-host")

    def test_reject_removes_only_the_matching_item(self):
        self.approve(f"https://alice@{HOST}", "tok-alice-1")
        self.approve(f"https://bob@{HOST}", "tok-bob-2")
        self.approve(f"https://alice@other.example.com", "tok-alice-3")
        self.approve(f"https://alice@{HOST}:8443", "tok-alice-4")
        proc = self.sb.credential("reject", {"url": f"https://alice@{HOST}",
                                             "password": "tok-alice-1"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        left = sorted(item.key() for item in self.keyring.items())
        self.assertEqual(left, sorted([("https", HOST, "", "bob", ""),
                                       ("https", "other.example.com", "", "alice", ""),
                                       ("https", HOST, "8443", "alice", "")]))

    def test_reject_with_another_password_leaves_the_item(self):
        self.approve(f"https://alice@{HOST}", "tok-alice-1")
        proc = self.sb.credential("reject", {"url": f"https://alice@{HOST}",
                                             "password": "not-the-stored-one"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        item, = self.keyring.items()
        self.assertEqual(item.password, "tok-alice-1")

    def test_approve_replaces_the_password(self):
        self.approve(f"https://alice@{HOST}", "tok-old")
        self.approve(f"https://alice@{HOST}", "tok-new")
        item, = self.keyring.items()
        self.assertEqual(item.password, "tok-new")

    def test_approve_of_the_same_password_revives_a_record_kept_as_expired(self):
        # Kept with an expiry in the past (as a newer git passes another helper's
        # password_expiry_utc), the record is withheld and git asks; the password the user
        # types works and git approves it: the same secret, yet the record must be written
        # again, or every later fill asks for it once more.
        stored = self.sb.helper("store", input=credential_input(
            protocol="https", host=HOST, username="alice", password="tok-alice",
            password_expiry_utc="1000000000"))
        self.assertEqual(stored.returncode, 0, stored.stderr)
        _, asked = self.fill(f"https://alice@{HOST}")
        self.assertTrue(asked, "patrol handed out a credential kept as expired")
        self.approve(f"https://alice@{HOST}", "tok-alice")
        cred, asked = self.fill(f"https://alice@{HOST}")
        self.assertFalse(asked, "git prompted for the credential it had just approved")
        self.assertEqual(cred["password"], "tok-alice")

    def test_get_with_nothing_stored_prints_nothing(self):
        proc = self.sb.helper("get", input=credential_input(protocol="https", host=HOST))
        self.assertEqual((proc.returncode, proc.stdout, proc.stderr), (0, "", ""))

    def test_empty_erase_pattern_is_refused(self):
        self.approve(f"https://alice@{HOST}", "tok-alice-1")
        self.sb.helper("erase", input="\n")
        self.sb.helper("erase", input=credential_input(password="tok-alice-1"))
        self.assertEqual(len(self.keyring.items()), 1, "an empty erase pattern erased an item")


class MalformedInput(IntegrationTest):
    """Malformed input: non-zero exit, one stderr line, the keyring untouched."""

    def setUp(self):
        super().setUp()
        self.keyring = self.sb.secret_service()
        proc = self.sb.credential("approve", {"url": f"https://alice@{HOST}",
                                              "password": "tok-kept"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.before = sorted((i.key(), i.secret) for i in self.keyring.items())
        self.assertEqual(len(self.before), 1)

    cases = {
        "no equals sign": b"protocol=https\nhost=evil.example.com\nusername=mallory\n"
                          b"password=p\nthis line has no equals sign\n\n",
        "NUL byte": b"protocol=https\nhost=evil.example.com\nusername=mallory\n"
                    b"password=p\x00q\n\n",
        "line over 65535 bytes": b"protocol=https\nhost=evil.example.com\nusername=mallory\n"
                                 b"password=" + b"a" * 70000 + b"\n\n",
        "input over 1 MiB": b"protocol=https\nhost=evil.example.com\nusername=mallory\n"
                            b"password=p\n" + b"x-unknown=" + b"b" * 60000 + b"\n" * 1
                            + (b"x-unknown=" + b"b" * 60000 + b"\n") * 19 + b"\n",
        "url with %0a in the host": b"url=https://evil%0a.example.com/\nusername=mallory\n"
                                    b"password=p\n\n",
    }

    def check_rejected(self, operation, data, name):
        proc = self.sb.helper(operation, input=data)
        self.assertNotEqual(proc.returncode, 0, f"{operation} accepted {name}")
        self.assertEqual(proc.stdout, b"", f"{operation} printed on stdout for {name}")
        line = self.assertOneErrorLine(proc.stderr, f"{operation} with {name}")
        self.assertNotIn("tok-kept", line)
        after = sorted((i.key(), i.secret) for i in self.keyring.items())
        self.assertEqual(after, self.before, f"{operation} with {name} changed the keyring")

    def test_store_rejects_malformed_input(self):
        for name, data in self.cases.items():
            with self.subTest(name):
                self.check_rejected("store", data, name)

    def test_erase_rejects_malformed_input_and_keeps_the_item(self):
        for name, data in self.cases.items():
            data = data.replace(b"evil.example.com", HOST.encode()) \
                       .replace(b"mallory", b"alice").replace(b"password=p\n", b"")
            with self.subTest(name):
                self.check_rejected("erase", data, name)

    def test_get_rejects_malformed_input(self):
        for name, data in self.cases.items():
            with self.subTest(name):
                self.check_rejected("get", data.replace(b"evil.example.com", HOST.encode()), name)

    def test_unknown_operation_exits_silently(self):
        proc = self.sb.helper("frobnicate", input=credential_input(
            protocol="https", host=HOST, username="alice", password="tok-x"))
        self.assertEqual((proc.returncode, proc.stdout, proc.stderr), (0, "", ""))
        after = sorted((i.key(), i.secret) for i in self.keyring.items())
        self.assertEqual(after, self.before)


if __name__ == "__main__":
    unittest.main()
