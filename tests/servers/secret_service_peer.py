"""A small Secret Service spoken from raw D-Bus (dbus_peer.py), to be broken on purpose:
items held in memory, SearchItems, Properties.Get of Attributes, Unlock (optionally through
a prompt), OpenSession with the dh-ietf1024-sha256-aes128-cbc-pkcs7 algorithm (AES through
the `openssl` command) or "plain", GetSecret, ReadAlias. A test replaces any method with its
own answer through `overrides[member] = fn(service, peer, message)`. Standard library only.
"""

import hashlib
import hmac
import secrets
import subprocess

from dbus_peer import Peer, Reply, Variant

SERVICE_PATH = "/org/freedesktop/secrets"
COLLECTION = "/org/freedesktop/secrets/collection/login"
PROMPT_PATH = "/org/freedesktop/secrets/prompt/p1"
PRIME = int("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
            "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
            "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
            "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"
            "FFFFFFFFFFFFFFFF", 16)
DH = "dh-ietf1024-sha256-aes128-cbc-pkcs7"


def hkdf_sha256(key_material, length=16):
    prk = hmac.new(b"\0" * 32, key_material, hashlib.sha256).digest()
    return hmac.new(prk, b"\1", hashlib.sha256).digest()[:length]


def aes128_cbc(key, iv, data, pad=True):
    args = ["openssl", "enc", "-aes-128-cbc", "-K", key.hex(), "-iv", iv.hex()]
    if not pad:
        args.append("-nopad")
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout


class SecretServicePeer:
    """items: {path: (attributes dict, secret bytes)}; locked: paths reported locked until
    the prompt (or Unlock without one) opens them."""

    def __init__(self, address, name, items=None, locked=(), prompt=False, plain_only=False):
        self.items = dict(items or {})
        self.locked = set(locked)
        self.prompt = prompt
        self.plain_only = plain_only
        self.aes_key = None
        self.overrides = {}
        self.peer = Peer(address, name, self.handle).serve()

    @property
    def calls(self):
        return [member for _, member, _ in self.peer.calls]

    def close(self):
        self.peer.close()

    def handle(self, peer, message):
        override = self.overrides.get(message.member)
        if override is not None:
            return override(self, peer, message)
        method = getattr(self, "do_" + message.member, None)
        if method is None:
            return Reply.error_of("org.freedesktop.DBus.Error.UnknownMethod",
                                  f"no method {message.member}")
        return method(peer, message)

    def do_ReadAlias(self, peer, message):
        return Reply("o", COLLECTION)

    def do_SearchItems(self, peer, message):
        wanted = message.body[0]
        found = [path for path, (attributes, _) in sorted(self.items.items())
                 if all(attributes.get(k) == v for k, v in wanted.items())]
        return Reply("aoao", [p for p in found if p not in self.locked],
                     [p for p in found if p in self.locked])

    def do_Get(self, peer, message):
        if message.path not in self.items:
            return Reply.error_of("org.freedesktop.Secret.Error.NoSuchObject", "no such item")
        return Reply("v", Variant("a{ss}", self.items[message.path][0]))

    def do_Unlock(self, peer, message):
        if not self.prompt:
            self.locked -= set(message.body[0])
            return Reply("aoo", message.body[0], "/")
        self.asked_to_unlock = message.body[0]
        return Reply("aoo", [], PROMPT_PATH)

    def complete_prompt(self, peer, message, dismissed=False):
        """The signal that ends a prompt, as gnome-keyring sends it."""
        if not dismissed:
            self.locked -= set(self.asked_to_unlock)
        opened = [] if dismissed else self.asked_to_unlock
        peer.signal(None, PROMPT_PATH, "org.freedesktop.Secret.Prompt", "Completed", "bv",
                    dismissed, Variant("ao", opened))

    def do_Prompt(self, peer, message):
        return [Reply(), lambda: self.complete_prompt(peer, message)]

    def do_OpenSession(self, peer, message):
        algorithm, argument = message.body
        if algorithm == "plain":
            self.aes_key = None
            return Reply("vo", Variant("s", ""), "/org/freedesktop/secrets/session/s1")
        if self.plain_only or algorithm != DH:
            return Reply.error_of("org.freedesktop.DBus.Error.NotSupported", "no such algorithm")
        private = secrets.randbits(1023)
        public = pow(2, private, PRIME)
        shared = pow(int.from_bytes(argument.value, "big"), private, PRIME)
        self.aes_key = hkdf_sha256(shared.to_bytes(128, "big"))
        return Reply("vo", Variant("ay", public.to_bytes(128, "big").lstrip(b"\0")),
                     "/org/freedesktop/secrets/session/s1")

    def secret_struct(self, session, secret):
        if self.aes_key is None:
            return (session, b"", secret, "text/plain")
        iv = secrets.token_bytes(16)
        return (session, iv, aes128_cbc(self.aes_key, iv, secret), "text/plain")

    def do_GetSecret(self, peer, message):
        if message.path not in self.items:
            return Reply.error_of("org.freedesktop.Secret.Error.NoSuchObject", "no such item")
        if message.path in self.locked:
            return Reply.error_of("org.freedesktop.Secret.Error.IsLocked", "locked")
        return Reply("(oayays)", self.secret_struct(message.body[0], self.items[message.path][1]))
