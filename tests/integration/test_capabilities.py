"""git 2.46's capabilities, driven with the protocol text git 2.46 sends (the installed git
is older): the `capability` operation, pre-encoded credentials (authtype, credential)
kept and handed only to a caller that announced capability authtype, ephemeral ones not
kept, and state[] letting the store after a successful get skip the keyring."""

import unittest

from harness import IntegrationTest, contrib_libsecret, parse_credential
from headless import HeadlessTest

HOST = "api.example.com"
CAPS = "capability[]=authtype\ncapability[]=state\n"


def request(*lines):
    return "".join(line + "\n" for line in lines) + "\n"


class CapabilityChecks:

    def op(self, op, text):
        proc = self.sb.helper(op, input=text)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        return proc.stdout

    def store_bearer(self, token="bearer-tok", *extra):
        return self.op("store", CAPS + request("authtype=Bearer", f"credential={token}",
                                               "protocol=https", f"host={HOST}", *extra))

    def test_capability_operation(self):
        self.assertEqual(self.op("capability", ""),
                         "version 0\ncapability authtype\ncapability state\n")

    def test_pre_encoded_credential_round_trip(self):
        self.store_bearer()
        out = self.op("get", "capability[]=authtype\n" + request("protocol=https", f"host={HOST}"))
        self.assertEqual(out, "capability[]=authtype\nauthtype=Bearer\ncredential=bearer-tok\n")

    def test_never_given_to_a_caller_without_capability_authtype(self):
        self.store_bearer()
        self.assertEqual(self.op("get", request("protocol=https", f"host={HOST}")), "")
        out = self.op("get", "capability[]=state\n" + request("protocol=https", f"host={HOST}"))
        self.assertNotIn("bearer-tok", out)
        self.assertNotIn("authtype", out)

    def test_not_kept_without_capability_authtype(self):
        self.op("store", request("authtype=Bearer", "credential=tok", "protocol=https",
                                 f"host={HOST}"))
        out = self.op("get", CAPS + request("protocol=https", f"host={HOST}"))
        self.assertNotIn("credential=", out)

    def test_password_reply_claims_no_capability_it_does_not_use(self):
        self.op("store", request("protocol=https", f"host={HOST}", "username=u", "password=pw"))
        out = self.op("get", "capability[]=authtype\n" + request("protocol=https", f"host={HOST}"))
        self.assertEqual(out, "username=u\npassword=pw\n")

    def test_capability_lines_come_first(self):
        self.store_bearer()
        out = self.op("get", CAPS + request("protocol=https", f"host={HOST}"))
        lines = out.splitlines()
        self.assertEqual(lines[:2], ["capability[]=authtype", "capability[]=state"])
        self.assertEqual(lines[-1], "state[]=patrol:served")

    def test_ephemeral_is_not_kept(self):
        self.store_bearer("short-lived", "ephemeral=1")
        self.assertEqual(self.op("get", CAPS + request("protocol=https", f"host={HOST}")), "")

    def test_erase_is_honoured_for_an_ephemeral_request(self):
        self.store_bearer()
        self.op("erase", CAPS + request("authtype=Bearer", "credential=bearer-tok", "ephemeral=1",
                                        "protocol=https", f"host={HOST}"))
        self.assertEqual(self.op("get", CAPS + request("protocol=https", f"host={HOST}")), "")

    def test_erase_leaves_another_credential(self):
        self.store_bearer()
        self.op("erase", CAPS + request("authtype=Bearer", "credential=not-this-one",
                                        "protocol=https", f"host={HOST}"))
        self.assertIn("credential=bearer-tok",
                      self.op("get", CAPS + request("protocol=https", f"host={HOST}")))

    def test_password_and_pre_encoded_credential_coexist(self):
        self.op("store", request("protocol=https", f"host={HOST}", "username=", "password=pw"))
        self.store_bearer()
        self.assertEqual(self.op("get", request("protocol=https", f"host={HOST}")),
                         "username=\npassword=pw\n")
        self.assertIn("credential=bearer-tok",
                      self.op("get", CAPS + request("protocol=https", f"host={HOST}")))


class CapabilitiesInTheKeyring(CapabilityChecks, IntegrationTest):

    def setUp(self):
        super().setUp()
        self.keyring = self.sb.secret_service()

    def test_store_after_a_served_get_does_not_touch_the_keyring(self):
        self.op("store", request("protocol=https", f"host={HOST}", "username=u", "password=pw"))
        out = self.op("get", CAPS + request("protocol=https", f"host={HOST}"))
        cred = parse_credential(out)
        self.assertEqual(cred["state[]"], "patrol:served")
        self.keyring.stop()
        # git 2.46 sends the credential back with the state it was given.
        self.op("store", CAPS + request("protocol=https", f"host={HOST}", "username=u",
                                        "password=pw", "state[]=patrol:served"))
        # Without the state the same store needs the (now absent) keyring: proof that
        # the one above never asked it.
        proc = self.sb.helper("store", input=CAPS + request("protocol=https", f"host={HOST}",
                                                            "username=u", "password=pw2"))
        self.assertNotEqual(proc.stderr, "")

    def test_another_helpers_state_does_not_skip_the_store(self):
        self.op("store", CAPS + request("protocol=https", f"host={HOST}", "username=u",
                                        "password=pw", "state[]=other:served"))
        self.assertIn("password=pw", self.op("get", request("protocol=https", f"host={HOST}")))

    def test_git_credential_libsecret_never_sees_a_pre_encoded_credential(self):
        self.store_bearer()
        libsecret = str(contrib_libsecret())
        proc = self.sb.run([libsecret, "get"], input=request("protocol=https", f"host={HOST}"))
        self.assertNotIn("bearer-tok", proc.stdout)
        [item] = self.keyring.items()
        self.assertNotIn("server", item.attributes)
        self.assertEqual(item.attributes.get("patrol_authtype"), "Bearer")


class CapabilitiesInTheFileStore(CapabilityChecks, HeadlessTest):

    def setUp(self):
        super().setUp()
        self.sb.env.update(self.with_passphrase())
        self.sb.env["PATROL_STORE"] = "file"


if __name__ == "__main__":
    unittest.main()
