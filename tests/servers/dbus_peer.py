"""A D-Bus peer spoken from raw bytes, to play a broken or hostile Secret Service on a
private bus: SASL EXTERNAL, Hello, RequestName, then method calls answered by a handler the
test writes (any reply, any error, a wrong reply serial, a flood of signals, silence, or
death). Standard library only; little-endian out, little-endian in (dbus-daemon forwards
what each client wrote, and libdbus and patrol both write little-endian on x86 and arm).

Values: integers for y b n q i u x t; str for s o g; bytes for ay; list for other arrays
(a list of (key, value) pairs or a dict for a{..}); tuple for structs; Variant for v.
"""

import os
import socket
import struct
import threading
from dataclasses import dataclass, field

ALIGN = {"y": 1, "b": 4, "n": 2, "q": 2, "i": 4, "u": 4, "x": 8, "t": 8, "d": 8, "s": 4,
         "o": 4, "g": 1, "a": 4, "(": 8, "{": 8, "v": 1, "h": 4}
FIXED = {"y": "B", "b": "I", "n": "h", "q": "H", "i": "i", "u": "I", "x": "q", "t": "Q",
         "h": "I"}
METHOD_CALL, METHOD_RETURN, ERROR, SIGNAL = 1, 2, 3, 4
FIELDS = {1: ("path", "o"), 2: ("interface", "s"), 3: ("member", "s"), 4: ("error_name", "s"),
          5: ("reply_serial", "u"), 6: ("destination", "s"), 7: ("sender", "s"),
          8: ("signature", "g")}


@dataclass
class Variant:
    signature: str
    value: object


def split_types(signature):
    """The complete types of a signature, in order."""
    types, at = [], 0
    while at < len(signature):
        end = _type_end(signature, at)
        types.append(signature[at:end])
        at = end
    return types


def _type_end(sig, at):
    code = sig[at]
    if code == "a":
        return _type_end(sig, at + 1)
    if code in "({":
        depth, at = 0, at
        while True:
            depth += sig[at] in "({"
            depth -= sig[at] in ")}"
            at += 1
            if depth == 0:
                return at
    return at + 1


class Writer:
    def __init__(self):
        self.out = bytearray()

    def pad(self, n):
        self.out += b"\0" * (-len(self.out) % n)

    def value(self, sig, value):
        code = sig[0]
        self.pad(ALIGN[code])
        if code in FIXED:
            self.out += struct.pack("<" + FIXED[code], value)
        elif code in "so":
            data = value.encode() if isinstance(value, str) else value
            self.out += struct.pack("<I", len(data)) + data + b"\0"
        elif code == "g":
            self.out += bytes([len(value)]) + value.encode() + b"\0"
        elif code == "v":
            self.value("g", value.signature)
            self.value(value.signature, value.value)
        elif code == "a":
            self.out += b"\0\0\0\0"
            length_at = len(self.out) - 4
            element = sig[1:]
            self.pad(ALIGN[element[0]])
            start = len(self.out)
            if element == "y":
                self.out += value
            else:
                items = value.items() if isinstance(value, dict) else value
                for item in items:
                    self.value(element, item)
            self.out[length_at:length_at + 4] = struct.pack("<I", len(self.out) - start)
        elif code in "({":
            for each_sig, each in zip(split_types(sig[1:-1]), value):
                self.value(each_sig, each)
        else:
            raise ValueError(f"cannot write type {sig}")


class Reader:
    def __init__(self, data, at=0):
        self.data, self.at = data, at

    def align(self, n):
        self.at += -self.at % n

    def value(self, sig):
        code = sig[0]
        self.align(ALIGN[code])
        if code in FIXED:
            fmt = "<" + FIXED[code]
            (value,) = struct.unpack_from(fmt, self.data, self.at)
            self.at += struct.calcsize(fmt)
            return value
        if code in "so":
            (length,) = struct.unpack_from("<I", self.data, self.at)
            text = self.data[self.at + 4:self.at + 4 + length]
            self.at += 4 + length + 1
            return text.decode(errors="surrogateescape")
        if code == "g":
            length = self.data[self.at]
            text = self.data[self.at + 1:self.at + 1 + length].decode()
            self.at += length + 2
            return text
        if code == "v":
            inner = self.value("g")
            return Variant(inner, self.value(inner))
        if code == "a":
            (length,) = struct.unpack_from("<I", self.data, self.at)
            self.at += 4
            element = sig[1:]
            self.align(ALIGN[element[0]])
            end = self.at + length
            if element == "y":
                self.at = end
                return bytes(self.data[end - length:end])
            items = []
            while self.at < end:
                items.append(self.value(element))
            return dict(items) if element[0] == "{" else items
        if code in "({":
            return tuple(self.value(each) for each in split_types(sig[1:-1]))
        raise ValueError(f"cannot read type {sig}")


@dataclass
class Message:
    type: int
    serial: int = 0
    flags: int = 0
    path: str = None
    interface: str = None
    member: str = None
    error_name: str = None
    reply_serial: int = None
    destination: str = None
    sender: str = None
    signature: str = ""
    body: list = field(default_factory=list)


def marshal(message):
    body = Writer()
    for sig, value in zip(split_types(message.signature), message.body):
        body.value(sig, value)
    fields = []
    for code, (name, sig) in FIELDS.items():
        value = getattr(message, name)
        if value:
            fields.append((code, Variant(sig, value)))
    header = Writer()
    header.out += struct.pack("<cBBBII", b"l", message.type, message.flags, 1, len(body.out),
                              message.serial)
    header.value("a(yv)", fields)
    header.pad(8)
    return bytes(header.out + body.out)


def unmarshal(data):
    """(message, bytes used) for the first message in data, or (None, 0) when incomplete."""
    if len(data) < 16:
        return None, 0
    if data[0:1] != b"l":
        raise ValueError("only little-endian messages are read here")
    mtype, flags, _, body_length, serial, fields_length = struct.unpack_from("<BBBIII", data, 1)
    body_at = 16 + fields_length + (-(16 + fields_length) % 8)
    if len(data) < body_at + body_length:
        return None, 0
    reader = Reader(data, 12)
    message = Message(mtype, serial, flags)
    for code, variant in reader.value("a(yv)"):
        if code in FIELDS:
            setattr(message, FIELDS[code][0], variant.value)
    body = Reader(data[body_at:body_at + body_length])
    message.body = [body.value(sig) for sig in split_types(message.signature or "")]
    return message, body_at + body_length


def socket_path(address):
    """The socket of the first unix: entry of a bus address list."""
    for entry in address.split(";"):
        kind, _, rest = entry.partition(":")
        if kind != "unix":
            continue
        params = dict(p.split("=", 1) for p in rest.split(",") if "=" in p)
        if "path" in params:
            return params["path"]
        if "abstract" in params:
            return "\0" + params["abstract"]
    raise ValueError(f"no unix socket in {address}")


class Reply:
    """What a handler answers: a method return, an error, or these raw forms."""

    def __init__(self, signature="", *body, error=None, reply_serial=None):
        self.signature, self.body, self.error, self.reply_serial = signature, list(body), error, \
            reply_serial

    @staticmethod
    def error_of(name, text=None):
        return Reply("s" if text is not None else "", *([text] if text is not None else []),
                     error=name)


class Peer:
    """One connection to the bus, owning `name`; serve() answers method calls with
    handler(peer, message), which returns a Reply, a list of Replies and callables (sent or
    called in order), or None (no answer: the caller waits)."""

    def __init__(self, address, name, handler):
        self.handler = handler
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(socket_path(address))
        self.serial = 0
        self.buffer = b""
        self.calls = []  # (interface, member, body) of every method call received
        self.lock = threading.Lock()
        uid = str(os.getuid()).encode().hex()
        self.sock.sendall(b"\0AUTH EXTERNAL " + uid.encode() + b"\r\n")
        while b"\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        if not line.startswith(b"OK "):
            raise AssertionError(f"the bus refused authentication: {line!r}")
        self.sock.sendall(b"BEGIN\r\n")
        self.unique_name = self.call_bus("Hello").body[0]
        owned = self.call_bus("RequestName", "su", name, 4)  # DO_NOT_QUEUE
        if owned.body != [1]:
            raise AssertionError(f"could not own {name}: {owned}")
        self.thread = None

    def send(self, message):
        with self.lock:
            self.serial += 1
            message.serial = self.serial
            self.sock.sendall(marshal(message))

    def receive(self):
        while True:
            message, used = unmarshal(self.buffer)
            if message is not None:
                self.buffer = self.buffer[used:]
                return message
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buffer += data

    def call_bus(self, member, signature="", *body):
        call = Message(METHOD_CALL, path="/org/freedesktop/DBus", interface="org.freedesktop.DBus",
                       member=member, destination="org.freedesktop.DBus", signature=signature,
                       body=list(body))
        self.send(call)
        while True:
            message = self.receive()
            if message is None:
                raise AssertionError("the bus closed the connection")
            if message.reply_serial == call.serial:
                return message

    def signal(self, destination, path, interface, member, signature="", *body):
        self.send(Message(SIGNAL, path=path, interface=interface, member=member,
                          destination=destination, signature=signature, body=list(body)))

    def die(self):
        """Leaves the bus at once, as a crashed service does."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    def serve(self):
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        return self

    def _serve(self):
        try:
            while True:
                message = self.receive()
                if message is None:
                    return
                if message.type != METHOD_CALL:
                    continue
                self.calls.append((message.interface, message.member, message.body))
                answer = self.handler(self, message)
                for reply in answer if isinstance(answer, list) else [answer]:
                    if reply is None:
                        continue
                    if callable(reply):  # something to do between answers: a signal, death
                        reply()
                        continue
                    out = Message(ERROR if reply.error else METHOD_RETURN,
                                  error_name=reply.error, destination=message.sender,
                                  reply_serial=reply.reply_serial or message.serial,
                                  signature=reply.signature, body=reply.body)
                    self.send(out)
        except OSError:
            return

    def close(self):
        self.die()
        if self.thread is not None:
            self.thread.join(5)
