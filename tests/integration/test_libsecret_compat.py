"""Items are shared with git's own git-credential-libsecret, both ways, on the installed git;
other programs' items in the keyring are left alone; one port, one item."""

import unittest

from harness import IntegrationTest, contrib_libsecret, credential_input

HOST = "forge.example.com"


class KeyringTest(IntegrationTest):
    """A keyring, git's git-credential-libsecret, and git limited to one of the two."""

    @classmethod
    def setUpClass(cls):
        cls.libsecret = str(contrib_libsecret())

    def setUp(self):
        super().setUp()
        self.keyring = self.sb.secret_service()
        self.askpass, self.asked = self.sb.askpass("prompted-user", "from-askpass")
        self.only_patrol = ("-c", "credential.helper=", "-c", "credential.helper=patrol")
        self.only_libsecret = ("-c", "credential.helper=", "-c", f"credential.helper={self.libsecret}")

    def fill(self, url, helpers, extra=()):
        cred, proc = self.sb.fill({"url": url}, (*helpers, *extra), env={"GIT_ASKPASS": self.askpass})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return cred

    def approve(self, url, password, helpers, extra=()):
        proc = self.sb.credential("approve", {"url": url, "password": password}, (*helpers, *extra))
        self.assertEqual(proc.returncode, 0, proc.stderr)


class LibsecretCompatibility(KeyringTest):

    def test_stored_by_libsecret_found_by_patrol(self):
        self.approve(f"https://alice@{HOST}", "tok-from-libsecret", self.only_libsecret)
        self.approve(f"https://bob@{HOST}:8443", "tok-port", self.only_libsecret)
        self.assertEqual(len(self.keyring.items()), 2)
        cred = self.fill(f"https://alice@{HOST}", self.only_patrol)
        self.assertEqual(cred["password"], "tok-from-libsecret")
        cred = self.fill(f"https://{HOST}:8443", self.only_patrol)
        self.assertEqual((cred["username"], cred["password"]), ("bob", "tok-port"))
        self.assertEqual(self.sb.calls(self.asked), [], "patrol did not find libsecret's items")

    def test_stored_by_patrol_found_by_libsecret(self):
        self.approve(f"https://alice@{HOST}", "tok-from-patrol", self.only_patrol)
        self.approve(f"https://bob@{HOST}:8443", "tok-port", self.only_patrol)
        cred = self.fill(f"https://alice@{HOST}", self.only_libsecret)
        self.assertEqual(cred["password"], "tok-from-patrol")
        cred = self.fill(f"https://bob@{HOST}:8443", self.only_libsecret)
        self.assertEqual(cred["password"], "tok-port")
        self.assertEqual(self.sb.calls(self.asked), [], "libsecret did not find patrol's items")
        direct = self.sb.run([self.libsecret, "get"],
                             input=credential_input(protocol="https", host=HOST, username="alice"))
        self.assertIn("password=tok-from-patrol\n", direct.stdout)

    def test_path_items_are_shared_with_use_http_path(self):
        path_on = ("-c", "credential.useHttpPath=true")
        self.approve(f"https://alice@{HOST}/g/a.git", "tok-a", self.only_libsecret, path_on)
        self.approve(f"https://alice@{HOST}/g/b.git", "tok-b", self.only_patrol, path_on)
        self.assertEqual(self.fill(f"https://alice@{HOST}/g/a.git", self.only_patrol, path_on)["password"],
                         "tok-a")
        self.assertEqual(self.fill(f"https://alice@{HOST}/g/b.git", self.only_libsecret,
                                   path_on)["password"], "tok-b")

    def test_patrol_erases_what_libsecret_stored(self):
        self.approve(f"https://alice@{HOST}", "tok-from-libsecret", self.only_libsecret)
        self.approve(f"https://bob@{HOST}", "tok-bob", self.only_libsecret)
        proc = self.sb.credential("reject", {"url": f"https://alice@{HOST}",
                                             "password": "tok-from-libsecret"}, self.only_patrol)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([i.attributes.get("user") for i in self.keyring.items()], ["bob"])

    def test_libsecret_erases_what_patrol_stored(self):
        self.approve(f"https://alice@{HOST}", "tok-from-patrol", self.only_patrol)
        self.approve(f"https://bob@{HOST}", "tok-bob", self.only_patrol)
        proc = self.sb.credential("reject", {"url": f"https://alice@{HOST}"}, self.only_libsecret)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([i.attributes.get("user") for i in self.keyring.items()], ["bob"])

    def test_patrol_reads_the_first_line_of_an_extended_secret(self):
        self.keyring.store_raw("tok-line-one\npassword_expiry_utc=4102444800\nsomething_else=1\n",
                               protocol="https", server=HOST, user="carol")
        cred = self.fill(f"https://carol@{HOST}", self.only_patrol)
        self.assertEqual(cred["password"], "tok-line-one")


class ForeignItems(KeyringTest):
    """Other programs' items in the same keyring, with a server and a protocol like git's."""

    FOREIGN = [
        # secret-tool, or any client that stores without a schema
        dict(schema=None, protocol="https", server=HOST, user="alice"),
        # another program's own schema
        dict(schema="org.example.Mail", protocol="https", server=HOST, user="alice"),
        # GNOME programs (gvfs, ...) sharing git 2.39's schema, with attributes git never sets
        dict(schema="org.gnome.keyring.NetworkPassword", protocol="https", server=HOST,
             user="alice", authtype="basic"),
        dict(schema="org.gnome.keyring.NetworkPassword", protocol="https", server=HOST,
             user="alice", domain="CORP"),
        # a port that is not a number
        dict(schema="org.git.Password", protocol="https", server=HOST, user="alice",
             port="https"),
    ]

    def store_foreign(self):
        for number, item in enumerate(self.FOREIGN):
            self.keyring.store_raw(f"not-a-git-secret-{number}", label=f"foreign {number}",
                                   **item)
        return {item.path for item in self.keyring.items(secrets=False)}

    def test_foreign_items_are_not_git_credentials(self):
        foreign = self.store_foreign()
        self.assertEqual(len(foreign), len(self.FOREIGN))
        cred = self.fill(f"https://alice@{HOST}", self.only_patrol)
        self.assertEqual(cred["password"], "from-askpass", "a foreign item was given to git")
        proc = self.sb.helper("status", "--json", input="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(), "[]")
        # Storing and rejecting git's own credential leave the foreign items alone.
        self.approve(f"https://alice@{HOST}", "tok-git", self.only_patrol)
        self.assertEqual(self.fill(f"https://alice@{HOST}", self.only_patrol)["password"],
                         "tok-git")
        proc = self.sb.credential("reject", {"url": f"https://alice@{HOST}"}, self.only_patrol)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        left = self.keyring.items()
        self.assertEqual({item.path for item in left}, foreign)
        self.assertTrue(all(item.secret.startswith("not-a-git-secret-") for item in left))

    def test_git_credential_libsecret_items_are_still_found(self):
        self.store_foreign()
        self.approve(f"https://alice@{HOST}", "tok-from-libsecret", self.only_libsecret)
        self.assertEqual(self.fill(f"https://alice@{HOST}", self.only_patrol)["password"],
                         "tok-from-libsecret")
        self.approve(f"https://bob@{HOST}", "tok-from-patrol", self.only_patrol)
        self.assertEqual(self.fill(f"https://bob@{HOST}", self.only_libsecret)["password"],
                         "tok-from-patrol")


class OnePort(KeyringTest):
    """`host=d.example:0443`, `:443` and no port are one https origin: one item."""

    def test_leading_zeros_and_the_default_port_are_one_item(self):
        self.approve(f"https://alice@{HOST}:0443", "tok-zeros", self.only_patrol)
        items = self.keyring.items()
        self.assertEqual(len(items), 1)
        self.assertNotIn("port", items[0].attributes)
        for url in (f"https://{HOST}:443", f"https://{HOST}", f"https://{HOST}:00443"):
            self.assertEqual(self.fill(url, self.only_patrol)["password"], "tok-zeros", url)
        # Stored again under another spelling: replaced, not doubled.
        self.approve(f"https://alice@{HOST}:443", "tok-again", self.only_patrol)
        self.assertEqual(len(self.keyring.items()), 1)
        self.assertEqual(self.fill(f"https://{HOST}", self.only_patrol)["password"], "tok-again")
        # git's own helper finds it under the origin's usual spelling.
        self.assertEqual(self.fill(f"https://alice@{HOST}", self.only_libsecret)["password"],
                         "tok-again")
        self.assertEqual(self.sb.calls(self.asked), [])

    def test_another_port_stays_another_origin(self):
        self.approve(f"https://alice@{HOST}:08443", "tok-8443", self.only_patrol)
        self.assertEqual([i.attributes.get("port") for i in self.keyring.items()], ["8443"])
        self.assertEqual(self.fill(f"https://{HOST}:8443", self.only_patrol)["password"],
                         "tok-8443")
        self.assertEqual(self.fill(f"https://{HOST}", self.only_patrol)["password"],
                         "from-askpass")

    def test_libsecret_item_with_the_default_port_is_found_without_one(self):
        self.approve(f"https://alice@{HOST}:443", "tok-libsecret-443", self.only_libsecret)
        self.assertEqual([i.attributes.get("port") for i in self.keyring.items()], ["443"])
        self.assertEqual(self.fill(f"https://{HOST}", self.only_patrol)["password"],
                         "tok-libsecret-443")
        # Storing the same credential through patrol replaces libsecret's item.
        self.approve(f"https://alice@{HOST}", "tok-patrol", self.only_patrol)
        self.assertEqual(len(self.keyring.items()), 1)

    def test_a_port_that_is_not_a_number_is_refused_in_one_line(self):
        for host in (f"{HOST}:0", f"{HOST}:65536", f"{HOST}:https"):
            proc = self.sb.helper("store", input=credential_input(
                protocol="https", host=host, username="alice", password="tok-bad"))
            self.assertEqual(proc.returncode, 1, host)
            self.assertIn("port", self.assertOneErrorLine(proc.stderr, host))
            proc = self.sb.helper("get", input=credential_input(protocol="https", host=host))
            self.assertEqual((proc.returncode, proc.stdout), (1, ""), host)
        self.assertEqual(self.keyring.items(), [])


if __name__ == "__main__":
    unittest.main()
