"""Items are shared with git's own git-credential-libsecret, both ways, on the installed git."""

import unittest

from harness import IntegrationTest, contrib_libsecret, credential_input

HOST = "forge.example.com"


class LibsecretCompatibility(IntegrationTest):

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


if __name__ == "__main__":
    unittest.main()
