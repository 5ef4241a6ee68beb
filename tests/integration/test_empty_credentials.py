"""Credentials whose username and password are empty (Kerberos/SSO hosts, http.emptyAuth):
git approves `username=` and `password=`, and git's own helpers keep them and hand them
back. patrol does the same in the Secret Service and the file store, shares such items with
git-credential-libsecret both ways, and erases exactly them."""

import unittest

from harness import IntegrationTest, credential_input, parse_credential
from headless import HeadlessTest
from test_libsecret_compat import KeyringTest

HOST = "sso.example.com"
SSO = {"protocol": "https", "host": HOST, "username": "", "password": ""}


class EmptyCredentialChecks:
    """Shared by both stores: `self.helpers` are the git -c arguments choosing patrol."""

    helpers = ()

    def git_credential(self, op, attrs, helpers=None):
        proc = self.sb.credential(op, attrs, helpers if helpers is not None else self.helpers)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc

    def fill_raw(self, helpers=None):
        """git's fill output lines; git dies (no terminal) when it would have to ask."""
        proc = self.sb.credential("fill", {"protocol": "https", "host": HOST},
                                  helpers if helpers is not None else self.helpers)
        return proc

    def test_approved_empty_credential_is_returned_without_asking(self):
        self.git_credential("approve", SSO)
        proc = self.fill_raw()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("username=\n", proc.stdout)
        self.assertIn("password=\n", proc.stdout)

    def test_helper_answers_both_empty_lines(self):
        self.git_credential("approve", SSO)
        proc = self.sb.helper("get", input=credential_input(protocol="https", host=HOST))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout, "username=\npassword=\n")

    def test_empty_username_with_a_password_is_kept(self):
        self.git_credential("approve", {**SSO, "password": "pw-only"})
        proc = self.sb.helper("get", input=credential_input(protocol="https", host=HOST))
        self.assertEqual(proc.stdout, "username=\npassword=pw-only\n")

    def test_erase_of_the_empty_credential_leaves_other_users(self):
        self.git_credential("approve", SSO)
        self.git_credential("approve", {**SSO, "username": "alice", "password": "tok-alice"})
        self.git_credential("reject", SSO)
        proc = self.sb.helper("get", input=credential_input(protocol="https", host=HOST))
        self.assertEqual(parse_credential(proc.stdout),
                         {"username": "alice", "password": "tok-alice"})
        proc = self.sb.helper("get", input=credential_input(protocol="https", host=HOST,
                                                            username=""))
        self.assertEqual(proc.stdout, "")

    def test_erase_with_another_password_keeps_it(self):
        self.git_credential("approve", SSO)
        self.git_credential("reject", {**SSO, "password": "not-it"})
        self.assertEqual(self.fill_raw().returncode, 0)

    def test_no_username_line_at_all_is_not_stored(self):
        proc = self.sb.helper("store", input=credential_input(protocol="https", host=HOST,
                                                              password="x"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = self.sb.helper("get", input=credential_input(protocol="https", host=HOST))
        self.assertEqual(proc.stdout, "")


class EmptyCredentialsInTheKeyring(EmptyCredentialChecks, IntegrationTest):

    def setUp(self):
        super().setUp()
        self.keyring = self.sb.secret_service()
        self.helpers = ("-c", "credential.helper=", "-c", "credential.helper=patrol")

    def test_item_has_an_empty_user_attribute_like_git_libsecret(self):
        self.git_credential("approve", SSO)
        [item] = self.keyring.items()
        self.assertEqual(item.attributes.get("user"), "")
        self.assertEqual(item.password, "")


class EmptyCredentialsShared(KeyringTest):
    """The keyring, git's git-credential-libsecret and git limited to one of the two, as
    test_libsecret_compat sets them up."""

    def fill_host(self, helpers):
        return self.sb.credential("fill", {"protocol": "https", "host": HOST}, helpers)

    def test_stored_by_libsecret_found_by_patrol(self):
        proc = self.sb.credential("approve", SSO, self.only_libsecret)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = self.fill_host(self.only_patrol)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("username=\npassword=\n", proc.stdout)

    def test_stored_by_patrol_found_by_libsecret(self):
        proc = self.sb.credential("approve", SSO, self.only_patrol)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = self.fill_host(self.only_libsecret)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("username=\npassword=\n", proc.stdout)

    def test_libsecret_erases_what_patrol_stored(self):
        self.sb.credential("approve", SSO, self.only_patrol, check=True)
        self.sb.credential("reject", SSO, self.only_libsecret, check=True)
        self.assertEqual(self.keyring.items(), [])


class EmptyCredentialsInTheFileStore(EmptyCredentialChecks, HeadlessTest):

    def setUp(self):
        super().setUp()
        self.sb.env.update(self.with_passphrase())
        self.sb.env["PATROL_STORE"] = "file"
        self.helpers = ("-c", "credential.helper=", "-c", "credential.helper=patrol")


if __name__ == "__main__":
    unittest.main()
