"""The session bus addresses users have. A get speaks to the Secret Service directly on
`unix:path=` and `unix:abstract=` sockets (and on `$XDG_RUNTIME_DIR/bus` when no address is
set, as GLib and libdbus do); on any other kind of bus, here a TCP bus with cookie
authentication, it takes libsecret's path. Either way git gets the same credential, and
what libsecret's path would have stored is found."""

import re
import unittest

from harness import IntegrationTest, credential_input

HOST = "bus.example.com"
TOKEN = "tok-bus-0123456789"


class BusAddresses(IntegrationTest):

    def libraries_of_a_get(self):
        proc = self.sb.helper("get", input=credential_input(protocol="https", host=HOST),
                              env={"LD_DEBUG": "libs"})
        return set(re.findall(r"calling init: (\S+)", proc.stderr))

    def round_trip(self):
        proc = self.sb.credential("approve", {"url": f"https://alice@{HOST}", "password": TOKEN})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        askpass, asked = self.sb.askpass("nobody", "from-askpass")
        cred, proc = self.sb.fill({"protocol": "https", "host": HOST},
                                  env={"GIT_ASKPASS": askpass})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual((cred["username"], cred["password"]), ("alice", TOKEN))
        self.assertEqual(self.sb.calls(asked), [])
        self.assertEqual(proc.stderr, "")
        direct = self.libraries_of_a_get()
        proc = self.sb.credential("reject", {"url": f"https://alice@{HOST}", "password": TOKEN})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        cred, proc = self.sb.fill({"protocol": "https", "host": HOST},
                                  env={"GIT_ASKPASS": askpass})
        self.assertEqual(cred["password"], "from-askpass", "the erased credential came back")
        self.assertEqual(proc.stderr, "")
        return direct

    def assertDirect(self, libraries):
        self.assertTrue(libraries, "LD_DEBUG printed nothing")
        glib = [lib for lib in libraries if "libsecret" in lib or "libgio" in lib]
        self.assertEqual(glib, [], "a get loaded libsecret/GLib on a bus it speaks itself")

    def test_abstract_socket(self):
        service = self.sb.secret_service(listen=f"unix:abstract={self.sb.root}/abstract-bus")
        self.assertTrue(service.address.startswith("unix:abstract="), service.address)
        self.assertDirect(self.round_trip())

    def test_path_socket(self):
        service = self.sb.secret_service(listen=f"unix:path={self.sb.root}/bus-socket")
        self.assertTrue(service.address.startswith("unix:path="), service.address)
        self.assertDirect(self.round_trip())

    def test_no_address_finds_the_runtime_dir_bus(self):
        runtime = self.sb.env["XDG_RUNTIME_DIR"]
        self.sb.secret_service(listen=f"unix:path={runtime}/bus")
        del self.sb.env["DBUS_SESSION_BUS_ADDRESS"]
        self.assertDirect(self.round_trip())

    def test_an_address_list_skips_what_it_does_not_speak(self):
        service = self.sb.secret_service()
        self.sb.env["DBUS_SESSION_BUS_ADDRESS"] = (
            f"autolaunch:;tcp:host=127.0.0.1,port=1;{service.address}")
        self.assertDirect(self.round_trip())

    def test_tcp_bus_takes_libsecrets_path(self):
        service = self.sb.secret_service(listen="tcp:host=127.0.0.1,bind=127.0.0.1,port=0",
                                         auth="DBUS_COOKIE_SHA1")
        self.assertTrue(service.address.startswith("tcp:"), service.address)
        libraries = self.round_trip()
        self.assertTrue([lib for lib in libraries if "libsecret" in lib],
                        f"libsecret's path was not taken on a TCP bus: {sorted(libraries)}")


if __name__ == "__main__":
    unittest.main()
