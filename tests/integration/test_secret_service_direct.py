"""A get's direct D-Bus conversation with a Secret Service that is broken or hostile
(tests/servers/secret_service_peer.py on a private bus, named by SECRET_SERVICE_BUS_NAME):
wrong shapes, error texts with terminal controls and 100 KB of words, a service that dies
in a prompt or between calls, a public key outside the group, a secret that does not
decrypt, a signal flood, replies with another serial, a message over the size cap. Each
ends in exactly one line on stderr naming what happened, git falling through (exit 0),
and the service's items untouched; a well-behaved service gives the credential."""

import os
import re
import resource
import subprocess
import tempfile
import threading
import time
import unittest

from harness import IntegrationTest, credential_input  # puts tests/servers on sys.path

from dbus_peer import Peer, Reply, Variant  # noqa: E402
from secret_service_peer import COLLECTION, PRIME, PROMPT_PATH, SecretServicePeer, aes128_cbc  # noqa: E402

NAME = "org.example.HostileSecrets"
HOST = "direct.example.com"
TOKEN = "tok-direct-0123456789"
ITEM = COLLECTION + "/1"
# git-credential-libsecret's attributes for https://alice@direct.example.com.
ATTRIBUTES = {"xdg:schema": "org.git.Password", "protocol": "https", "server": HOST,
              "user": "alice"}
# Bytes a terminal may act on: C0 but newline, DEL, C1 in UTF-8, bidi controls.
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]")
EVIL = "\x1b]0;pwned\x07\x1b[2J\nsecond line\u202e"


class DirectPathTest(IntegrationTest):

    def setUp(self):
        super().setUp()
        self.bus = self.sb.secret_service(keyring=False, activatable=False)
        self.sb.env["SECRET_SERVICE_BUS_NAME"] = NAME
        self.sb.env["PATROL_STORE"] = "secretservice"

    def service(self, **kwargs):
        kwargs.setdefault("items", {ITEM: (dict(ATTRIBUTES), TOKEN.encode())})
        service = SecretServicePeer(self.bus.address, NAME, **kwargs)
        self.addCleanup(service.close)
        return service

    def get(self, timeout=60):
        return self.sb.helper("get", input=credential_input(protocol="https", host=HOST).encode(),
                              timeout=timeout)

    def assertFallsThrough(self, proc, *words):
        """Exit 0, nothing for git, one line with the prefix, no terminal control, no
        secret, and each of `words` in it; returns the line."""
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout, b"")
        line = self.assertOneErrorLine(proc.stderr)
        self.assertIsNone(CONTROL.search(line), f"a terminal control in {line!r}")
        self.assertNotIn(TOKEN, line)
        for word in words:
            self.assertIn(word, line)
        return line

    def assertGives(self, proc, password=TOKEN):
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, b"")
        self.assertIn(f"password={password}\n".encode(), proc.stdout)


class WellBehaved(DirectPathTest):

    def test_the_encrypted_session_gives_the_credential(self):
        service = self.service()
        self.assertGives(self.get())
        self.assertEqual(service.calls, ["SearchItems", "Get", "OpenSession", "GetSecret"])

    def test_a_service_with_only_plain_gives_the_credential(self):
        service = self.service(plain_only=True)
        self.assertGives(self.get())
        self.assertEqual(service.calls.count("OpenSession"), 2)

    def test_a_prompt_that_opens_the_keyring_gives_the_credential(self):
        service = self.service(locked=[ITEM], prompt=True)
        self.assertGives(self.get())
        self.assertIn("Prompt", service.calls)

    def test_a_completed_signal_from_another_program_is_passed_over(self):
        service = self.service(locked=[ITEM], prompt=True)
        forger = Peer(self.bus.address, "org.example.Forger", lambda peer, message: None).serve()
        self.addCleanup(forger.close)

        def prompt(svc, peer, message):
            # Sent to the helper alone, before the service's own answer: "dismissed".
            forger.signal(message.sender, PROMPT_PATH, "org.freedesktop.Secret.Prompt",
                          "Completed", "bv", True, Variant("ao", []))
            return [Reply(), lambda: svc.complete_prompt(peer, message)]
        service.overrides["Prompt"] = prompt
        self.assertGives(self.get())

    def test_credential_interactive_false_asks_for_no_unlock(self):
        service = self.service(locked=[ITEM], prompt=True)
        self.sb.git("config", "--global", "credential.interactive", "false")
        self.assertFallsThrough(self.get(), "locked", "credential.interactive=false")
        self.assertNotIn("Unlock", service.calls)
        self.assertNotIn("Prompt", service.calls)
        self.sb.git("config", "--global", "credential.interactive", "never")
        self.assertFallsThrough(self.get(), "credential.interactive=false")
        self.assertNotIn("Unlock", service.calls)
        self.sb.git("config", "--global", "--unset", "credential.interactive")
        self.assertGives(self.get())
        self.assertIn("Prompt", service.calls)

    def test_completed_before_the_prompts_own_reply(self):
        service = self.service(locked=[ITEM], prompt=True)
        service.overrides["Prompt"] = lambda s, p, m: [lambda: s.complete_prompt(p, m), Reply()]
        self.assertGives(self.get())

    def test_replies_with_another_serial_are_passed_over(self):
        service = self.service()

        def search(svc, peer, message):
            right = SecretServicePeer.do_SearchItems(svc, peer, message)
            stray = Reply("aoao", ["/org/freedesktop/secrets/collection/login/9"], [],
                          reply_serial=message.serial + 1000)
            return [stray, right]

        service.overrides["SearchItems"] = search
        self.assertGives(self.get())


class BrokenAnswers(DirectPathTest):

    def test_wrong_shapes(self):
        shapes = {
            "SearchItems": lambda s, p, m: Reply("as", ["/not/a/path"]),
            "Get": lambda s, p, m: Reply("v", Variant("s", "attributes")),
            "OpenSession": lambda s, p, m: Reply("vo", Variant("s", "key"), "/s"),
            "GetSecret": lambda s, p, m: Reply("(oays)", ("/s", b"", "secret")),
        }
        for member, answer in shapes.items():
            with self.subTest(member=member):
                service = self.service()
                service.overrides[member] = answer
                self.assertFallsThrough(self.get(), "wrong shape")
                service.close()

    def test_error_words_with_controls_and_100_kb_are_one_short_line(self):
        service = self.service()
        service.overrides["SearchItems"] = lambda s, p, m: Reply.error_of(
            "org.example.Error.Evil", EVIL + "x" * 100_000)
        line = self.assertFallsThrough(self.get(), "org.example.Error.Evil")
        self.assertLess(len(line), 600, line)
        self.assertIn("\\e]0;pwned", line)

    def test_public_keys_outside_the_group(self):
        for key in (0, 1, PRIME - 1, PRIME, PRIME + 1, 1 << 1100):
            with self.subTest(key=key):
                service = self.service()
                service.overrides["OpenSession"] = lambda s, p, m, key=key: Reply(
                    "vo", Variant("ay", key.to_bytes(max(1, (key.bit_length() + 7) // 8), "big")),
                    "/org/freedesktop/secrets/session/s1")
                self.assertFallsThrough(self.get(), "public key")
                self.assertNotIn("GetSecret", service.calls)
                service.close()

    def test_a_secret_that_does_not_decrypt(self):
        def garbled(svc, peer, message):  # the last byte, the padding's length, is 0
            iv = bytes(range(16))
            ciphertext = aes128_cbc(svc.aes_key, iv, b"tok-direct-0123\0", pad=False)
            return Reply("(oayays)", (message.body[0], iv, ciphertext, "text/plain"))

        def short_iv(svc, peer, message):
            session, iv, ciphertext, kind = svc.secret_struct(message.body[0], TOKEN.encode())
            return Reply("(oayays)", (session, iv[:8], ciphertext, kind))

        for answer in (garbled, short_iv):
            with self.subTest(answer=answer.__name__):
                service = self.service()
                service.overrides["GetSecret"] = answer
                self.assertFallsThrough(self.get(), "encrypted session")
                service.close()

    def test_completed_with_garbage(self):
        answers = {
            "wrong shape": lambda s, p: p.signal(None, PROMPT_PATH,
                                                 "org.freedesktop.Secret.Prompt", "Completed",
                                                 "s", "done"),
            "locked": lambda s, p: p.signal(None, PROMPT_PATH, "org.freedesktop.Secret.Prompt",
                                            "Completed", "bv", False, Variant("s", "all of it")),
        }
        for words, completed in answers.items():
            with self.subTest(words=words):
                service = self.service(locked=[ITEM], prompt=True)
                service.overrides["Prompt"] = lambda s, p, m, c=completed: [Reply(),
                                                                           lambda: c(s, p)]
                self.assertFallsThrough(self.get(), words)
                service.close()

    def test_a_dismissed_prompt(self):
        service = self.service(locked=[ITEM], prompt=True)
        service.overrides["Prompt"] = lambda s, p, m: [
            Reply(), lambda: s.complete_prompt(p, m, dismissed=True)]
        self.assertFallsThrough(self.get(), "locked")
        self.assertEqual(service.locked, {ITEM})

    def test_error_words_at_the_size_cap(self):
        service = self.service()
        words = "w" * (16 * 1024 * 1024 - 4096)  # the message just under 16 MiB
        service.overrides["SearchItems"] = lambda s, p, m: Reply.error_of("org.example.Big", words)
        line = self.assertFallsThrough(self.get(), "org.example.Big")
        self.assertLess(len(line), 600)

    def test_a_message_over_the_size_cap(self):
        service = self.service()
        many = [f"{COLLECTION}/{i:0200d}" for i in range(85_000)]  # 17.6 MB of paths
        service.overrides["SearchItems"] = lambda s, p, m: Reply("aoao", many, [])
        self.assertFallsThrough(self.get(), "16 MiB")


class DyingAndSilent(DirectPathTest):

    def test_the_service_dies_between_calls(self):
        for member in ("Get", "OpenSession", "GetSecret"):
            with self.subTest(member=member):
                service = self.service()
                service.overrides[member] = lambda s, p, m: [lambda: p.die()]
                self.assertFallsThrough(self.get(), "did not answer")
                service.close()

    def test_the_service_dies_while_its_prompt_is_shown(self):
        # libsecret ends the wait too (and takes it for a dismissed prompt); the line says
        # what happened, not that the keyring is locked.
        service = self.service(locked=[ITEM], prompt=True)
        service.overrides["Prompt"] = lambda s, p, m: [Reply(), lambda: p.die()]
        try:
            proc = self.get(timeout=30)
        except subprocess.TimeoutExpired:
            self.fail("the get waited on for a prompt whose service is gone")
        self.assertFallsThrough(proc, "unlocking the keyring", "left the D-Bus session bus")

    def test_a_service_silent_mid_conversation(self):
        service = self.service()
        service.overrides["GetSecret"] = lambda s, p, m: None
        self.assertFallsThrough(self.get(), "did not answer")


class SignalFlood(DirectPathTest):

    # The get's heap and private mappings may not pass this: its usual need is a few MiB, and
    # the flood's messages, kept, need well over 100 MiB. (A limit, not a measured peak: a
    # child's ru_maxrss starts at this test process's own size, which the size-cap tests grow.)
    DATA_LIMIT = 64 * 1024 * 1024

    def limited_get(self):
        def limit():
            resource.setrlimit(resource.RLIMIT_DATA, (self.DATA_LIMIT, self.DATA_LIMIT))

        return subprocess.run([str(self.sb.patrol), "get"],
                              input=credential_input(protocol="https", host=HOST).encode(),
                              capture_output=True, env=self.sb.env, cwd=self.sb.root,
                              preexec_fn=limit, timeout=120)

    def test_signals_nobody_asked_for_are_not_hoarded(self):
        service = self.service()
        flood = 200_000

        def search(svc, peer, message):
            for _ in range(flood):
                peer.signal(message.sender, "/org/example/noise", "org.example.Noise", "Tick",
                            "s", "n" * 64)
            return SecretServicePeer.do_SearchItems(svc, peer, message)

        self.assertGives(self.limited_get())  # the limit leaves a get room
        service.overrides["SearchItems"] = search
        self.assertGives(self.limited_get())


class Choosing(DirectPathTest):
    """What a user relies on from libsecret's path, shown at the service's side."""

    def test_several_accounts_the_usable_one_first(self):
        expired = f"tok-expired\npassword_expiry_utc={int(time.time()) - 86400}\n"
        service = self.service(items={
            ITEM: (dict(ATTRIBUTES), expired.encode()),
            COLLECTION + "/2": (dict(ATTRIBUTES, user="bob"), TOKEN.encode()),
        })
        proc = self.get()
        self.assertGives(proc)
        self.assertIn(b"username=bob\n", proc.stdout)
        self.assertEqual(service.calls.count("GetSecret"), 2)

    def test_a_query_that_is_not_utf8_asks_nothing(self):
        service = self.service()
        for field in (b"username=al\xffice\n", b"path=re\xc3po.git\n"):
            with self.subTest(field=field):
                proc = self.sb.helper("get", input=b"protocol=https\nhost=" + HOST.encode() +
                                      b"\n" + field + b"\n")
                self.assertEqual((proc.returncode, proc.stdout, proc.stderr), (0, b"", b""))
        self.assertEqual(service.calls, [])

    def test_an_item_deleted_after_the_search_is_searched_for_again(self):
        service = self.service()
        gone = COLLECTION + "/0"
        service.items[gone] = (dict(ATTRIBUTES, user="aaron"), b"tok-gone")

        def get_secret(svc, peer, message):
            if message.path == gone:  # another process replaced it meanwhile
                del svc.items[gone]
            return SecretServicePeer.do_GetSecret(svc, peer, message)

        service.overrides["GetSecret"] = get_secret
        proc = self.get()
        self.assertGives(proc)
        self.assertEqual(service.calls.count("SearchItems"), 2)


class ParallelStoreAndGet(IntegrationTest):
    """gnome-keyring itself: `store` replaces an item (a new one, then the old deleted)
    while gets read; every get finds a token and says nothing."""

    def test_gets_during_stores_never_fail(self):
        self.sb.secret_service()
        rounds = 25
        errors = []

        def store(user):
            for i in range(rounds):
                proc = self.sb.helper("store", input=credential_input(
                    protocol="https", host=HOST, username=user, password=f"tok-{user}-{i}"))
                if proc.returncode != 0 or proc.stderr:
                    errors.append(("store", proc.returncode, proc.stderr))

        def get():
            for _ in range(rounds):
                proc = self.sb.helper("get", input=credential_input(protocol="https",
                                                                    host=HOST).encode())
                if proc.returncode != 0 or proc.stderr or b"password=tok-" not in proc.stdout:
                    errors.append(("get", proc.returncode, proc.stdout, proc.stderr))

        store("alice")  # something to find from the first get on
        threads = [threading.Thread(target=store, args=(user,)) for user in ("alice", "bob")]
        threads += [threading.Thread(target=get) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])


if __name__ == "__main__":
    unittest.main()
