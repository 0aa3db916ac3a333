#!/usr/bin/env python3
"""Reference implementation of the 43/WAKU2-DEVICE-PAIRING handshake (Noise_WakuPairing_25519_ChaChaPoly_SHA256).

Written independently of the Swift module, from the protocol description: the Noise Protocol Framework (revision 34)
for the handshake machinery, 43/WAKU2-DEVICE-PAIRING for the pattern and the pairing steps, 35/WAKU2-NOISE for the
PayloadV2 layout, and docs/waku_device_pairing.md for the details the RFCs leave open (padding, nametags, auth code).
Primitives come from the `cryptography` package (X25519, ChaCha20-Poly1305, HKDF) and hashlib (SHA-256).

Usage:
  waku_pairing_reference.py vectors            print the test vectors (JSON) made from fixed keys
  waku_pairing_reference.py peer ROLE [--open-wrong]
                                               play ROLE ("initiator" or "responder") with random keys, speaking
                                                one JSON object per line on stdin/stdout:

  responder:  -> {"qr", "nametag", "static_public"}
              <- {"message": m1}        -> {"auth_code"}  -> {"publish": m2}
              <- {"message": m3}        -> {"paired": true, "remote_static", "handshake_hash"}
  initiator:  <- {"qr", "nametag"}      -> {"publish": m1, "auth_code", "static_public"}
              <- {"message": m2}        -> {"publish": m3, "paired": true, "remote_static", "handshake_hash"}
  then, both: <- {"seal": hex}  -> {"payload": hex};   <- {"open": hex} -> {"plaintext": hex};   <- {"quit": true}

--open-wrong makes the peer lie: it commits to its static key with one random value and opens the commitment with
another, as a device that swapped its static key after the codes were compared would. Bytes are lowercase hex. A
refused message answers {"error": "..."} and the peer exits with status 0; a nonzero
status is a crash.
"""

import base64
import hashlib
import json
import os
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PROTOCOL_NAME = b"Noise_WakuPairing_25519_ChaChaPoly_SHA256"
PAIRING_ID = 14
TRANSPORT_ID = 0
TAG_LEN = 16
BLOCK = 248


class Refused(Exception):
    """A check the protocol requires failed."""


# ---------------------------------------------------------------- primitives


def sha256(*parts):
    return hashlib.sha256(b"".join(parts)).digest()


def hkdf(salt, ikm, length):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=b"").derive(ikm)


def public_bytes(private):
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def dh(private, public):
    try:
        return private.exchange(X25519PublicKey.from_public_bytes(public))
    except ValueError as error:
        raise Refused("unusable X25519 public key") from error


def pkcs7(data):
    n = BLOCK - len(data) % BLOCK
    return data + bytes([n]) * n


def unpkcs7(data):
    if not data or len(data) % BLOCK:
        raise Refused("padding: length")
    n = data[-1]
    if n == 0 or n > BLOCK or data[-n:] != bytes([n]) * n:
        raise Refused("padding: bytes")
    return data[:-n]


def nonce(n):
    return b"\x00" * 4 + n.to_bytes(8, "little")


# ---------------------------------------------------------------- Noise state


class Noise:
    """SymmetricState plus the keys of one party. AEAD associated data for payloads is h || nametag."""

    def __init__(self, prologue):
        self.h = sha256(PROTOCOL_NAME)  # longer than 32 bytes, so hashed
        self.ck = self.h
        self.k = None
        self.n = 0
        self.absorb(prologue)

    def absorb(self, data):
        self.h = sha256(self.h, data)

    def mix(self, secret):
        out = hkdf(self.ck, secret, 64)
        self.ck, self.k, self.n = out[:32], out[32:], 0

    def seal(self, plaintext, extra=b""):
        ct = ChaCha20Poly1305(self.k).encrypt(nonce(self.n), plaintext, self.h + extra)
        self.n += 1
        self.absorb(ct)
        return ct

    def unseal(self, ciphertext, extra=b""):
        try:
            pt = ChaCha20Poly1305(self.k).decrypt(nonce(self.n), ciphertext, self.h + extra)
        except InvalidTag as error:
            raise Refused("authentication failed") from error
        self.n += 1
        self.absorb(ciphertext)
        return pt

    def next_nametag(self):
        return hkdf(self.h, b"", 32)[:16]

    def auth_code(self):
        return "%08d" % (int.from_bytes(hkdf(self.h, b"", 8), "big") % 10**8)


# ---------------------------------------------------------------- wire formats


def b64(data):
    return base64.urlsafe_b64encode(data).decode()


def make_qr(name, version, shard, ephemeral_public, commitment):
    return ":".join([b64(name.encode()), b64(version.encode()), b64(shard.encode()), b64(ephemeral_public),
                     b64(commitment)])


def read_qr(text):
    fields = text.strip().split(":")
    if len(fields) != 5:
        raise Refused("qr: field count")
    raw = []
    for field in fields:
        try:
            value = base64.b64decode(field, altchars=b"-_", validate=True)
        except ValueError as error:
            raise Refused("qr: base64") from error
        if b64(value) != field:
            raise Refused("qr: not canonical")
        raw.append(value)
    if len(raw[3]) != 32 or len(raw[4]) != 32:
        raise Refused("qr: key length")
    return [raw[0].decode(), raw[1].decode(), raw[2].decode(), raw[3], raw[4]]


def topic(name, version, shard):
    return "/%s/%s/wakunoise/1/sessions_shard-%s/proto" % (name, version, shard)


def encode_payload(nametag, protocol_id, keys, body):
    """keys: list of (flag, bytes)."""
    handshake = b"".join(bytes([flag]) + key for flag, key in keys)
    assert len(handshake) < 256
    return nametag + bytes([protocol_id, len(handshake)]) + handshake + len(body).to_bytes(8, "little") + body


def decode_payload(payload):
    if len(payload) < 18:
        raise Refused("payload: short")
    nametag, protocol_id, size = payload[:16], payload[16], payload[17]
    if protocol_id not in (TRANSPORT_ID, PAIRING_ID):
        raise Refused("payload: protocol id")
    handshake, rest = payload[18:18 + size], payload[18 + size:]
    if len(handshake) != size:
        raise Refused("payload: short handshake")
    keys = []
    while handshake:
        flag = handshake[0]
        if flag not in (0, 1):
            raise Refused("payload: key flag")
        width = 32 + (TAG_LEN if flag else 0)
        if len(handshake) < 1 + width:
            raise Refused("payload: key length")
        keys.append((flag, handshake[1:1 + width]))
        handshake = handshake[1 + width:]
    if len(rest) < 8:
        raise Refused("payload: short length")
    length = int.from_bytes(rest[:8], "little")
    if length != len(rest) - 8:
        raise Refused("payload: transport length")
    return nametag, protocol_id, keys, rest[8:]


# ---------------------------------------------------------------- the parties


class Party:
    """One side of the pairing, driven step by step. Secrets: static and ephemeral X25519 keys, 32 random bytes."""

    def __init__(self, initiator, static, ephemeral, randomness, opening=None):
        self.initiator = initiator
        self.s, self.e = static, ephemeral
        self.commitment = sha256(public_bytes(static), randomness)
        self.rand = randomness if opening is None else opening
        self.trace = {}

    def begin(self, qr, qr_nametag):
        self.qr = qr
        name, version, shard, self.re_or_e, self.qr_commitment = read_qr(qr)
        self.topic = topic(name, version, shard)
        self.qr_nametag = qr_nametag
        self.noise = Noise(qr.encode())
        self.noise.absorb(self.re_or_e)  # pre-message: <- e (the responder's ephemeral key)

    # -> e, ee {H(sA||s)}
    def write1(self):
        noise = self.noise
        e_pub = public_bytes(self.e)
        noise.absorb(e_pub)
        noise.mix(dh(self.e, self.re_or_e))
        body = noise.seal(pkcs7(self.commitment), self.qr_nametag)
        self.trace["h1"] = noise.h
        return encode_payload(self.qr_nametag, PAIRING_ID, [(0, e_pub)], body)

    def read1(self, payload):
        nametag, pid, keys, body = decode_payload(payload)
        if nametag != self.qr_nametag or pid != PAIRING_ID:
            raise Refused("message 1: nametag or protocol")
        if len(keys) != 1 or keys[0][0] != 0:
            raise Refused("message 1: keys")
        self.re = keys[0][1]
        self.noise.absorb(self.re)
        self.noise.mix(dh(self.e, self.re))
        self.peer_commitment = unpkcs7(self.noise.unseal(body, nametag))
        if len(self.peer_commitment) != 32:
            raise Refused("message 1: commitment length")
        self.trace["h1"] = self.noise.h

    # <- s, es {r}
    def write2(self):
        noise = self.noise
        nametag = noise.next_nametag()
        enc_s = noise.seal(public_bytes(self.s))
        noise.mix(dh(self.s, self.re))
        body = noise.seal(pkcs7(self.rand), nametag)
        self.trace["h2"], self.trace["nametag2"] = noise.h, nametag
        return encode_payload(nametag, PAIRING_ID, [(1, enc_s)], body)

    def read2(self, payload):
        noise = self.noise
        expected = noise.next_nametag()
        nametag, pid, keys, body = decode_payload(payload)
        if nametag != expected or pid != PAIRING_ID:
            raise Refused("message 2: nametag or protocol")
        if len(keys) != 1 or keys[0][0] != 1:
            raise Refused("message 2: keys")
        self.rs = noise.unseal(keys[0][1])
        noise.mix(dh(self.e, self.rs))
        opening = unpkcs7(noise.unseal(body, nametag))
        if sha256(self.rs, opening) != self.qr_commitment:
            raise Refused("message 2: static key does not open the QR commitment")
        self.trace["h2"], self.trace["nametag2"] = noise.h, nametag

    # -> s, se, ss {s}
    def write3(self):
        noise = self.noise
        nametag = noise.next_nametag()
        enc_s = noise.seal(public_bytes(self.s))
        noise.mix(dh(self.s, self.re_or_e))
        noise.mix(dh(self.s, self.rs))
        body = noise.seal(pkcs7(self.rand), nametag)
        self.trace["h3"], self.trace["nametag3"] = noise.h, nametag
        return encode_payload(nametag, PAIRING_ID, [(1, enc_s)], body)

    def read3(self, payload):
        noise = self.noise
        expected = noise.next_nametag()
        nametag, pid, keys, body = decode_payload(payload)
        if nametag != expected or pid != PAIRING_ID:
            raise Refused("message 3: nametag or protocol")
        if len(keys) != 1 or keys[0][0] != 1:
            raise Refused("message 3: keys")
        self.rs = noise.unseal(keys[0][1])
        noise.mix(dh(self.e, self.rs))
        noise.mix(dh(self.s, self.rs))
        opening = unpkcs7(noise.unseal(body, nametag))
        if sha256(self.rs, opening) != self.peer_commitment:
            raise Refused("message 3: static key does not open the commitment of message 1")
        self.trace["h3"], self.trace["nametag3"] = noise.h, nametag

    def finish(self):
        """Split, and the nametag secrets: both from the final state."""
        keys = hkdf(self.noise.ck, b"", 64)
        secrets = hkdf(self.noise.h, b"", 64)
        i2r, r2i = keys[:32], keys[32:]
        s1, s2 = secrets[:32], secrets[32:]
        if self.initiator:
            self.out, self.inn = Direction(i2r, s2), Direction(r2i, s1)
        else:
            self.out, self.inn = Direction(r2i, s1), Direction(i2r, s2)


class Direction:
    """One direction of transport: a key, a nonce, and the nametag counter."""

    def __init__(self, key, nametag_secret):
        self.key, self.n, self.secret, self.counter = key, 0, nametag_secret, 0

    def nametag(self, offset=0):
        return sha256(self.secret, (self.counter + offset).to_bytes(8, "little"))[:16]

    def seal(self, plaintext):
        tag = self.nametag()
        body = ChaCha20Poly1305(self.key).encrypt(nonce(self.n), pkcs7(plaintext), tag)
        self.n += 1
        self.counter += 1
        return encode_payload(tag, TRANSPORT_ID, [], body)

    def open(self, payload):
        nametag, pid, keys, body = decode_payload(payload)
        if nametag != self.nametag():
            raise Refused("transport: not the next nametag")
        if pid != TRANSPORT_ID or keys:
            raise Refused("transport: protocol id")
        try:
            padded = ChaCha20Poly1305(self.key).decrypt(nonce(self.n), body, nametag)
        except InvalidTag as error:
            raise Refused("transport: authentication failed") from error
        self.n += 1
        self.counter += 1
        return unpkcs7(padded)


def responder_qr(party, name, version, shard):
    return make_qr(name, version, shard, public_bytes(party.e), party.commitment)


# ---------------------------------------------------------------- vectors


def key_from(label):
    return X25519PrivateKey.from_private_bytes(sha256(b"waku pairing vector " + label.encode()))


def vector(description, label, name, version, shard, messages_i2r, messages_r2i):
    inputs = {}
    parties = {}
    for role in ("initiator", "responder"):
        static, ephemeral = key_from(label + role + " static"), key_from(label + role + " ephemeral")
        randomness = sha256(b"waku pairing vector " + (label + role + " randomness").encode())
        parties[role] = Party(role == "initiator", static, ephemeral, randomness)
        inputs[role] = {
            "static": static.private_bytes_raw().hex(),
            "ephemeral": ephemeral.private_bytes_raw().hex(),
            "randomness": randomness.hex(),
        }
    qr_nametag = sha256(b"waku pairing vector " + (label + "nametag").encode())[:16]
    alice, bob = parties["initiator"], parties["responder"]
    qr = responder_qr(bob, name, version, shard)
    bob.begin(qr, qr_nametag)
    alice.begin(qr, qr_nametag)
    m1 = alice.write1()
    bob.read1(m1)
    code = alice.noise.auth_code()
    assert code == bob.noise.auth_code()
    m2 = bob.write2()
    alice.read2(m2)
    m3 = alice.write3()
    bob.read3(m3)
    assert alice.noise.h == bob.noise.h and alice.trace == bob.trace
    alice.finish()
    bob.finish()
    first_nametags = {
        "initiator_to_responder": [alice.out.nametag(i).hex() for i in range(3)],
        "responder_to_initiator": [bob.out.nametag(i).hex() for i in range(3)],
    }
    i2r = [alice.out.seal(bytes.fromhex(m)) for m in messages_i2r]
    assert [bob.inn.open(p).hex() for p in i2r] == messages_i2r
    r2i = [bob.out.seal(bytes.fromhex(m)) for m in messages_r2i]
    assert [alice.inn.open(p).hex() for p in r2i] == messages_r2i
    inputs.update({
        "application_name": name, "application_version": version, "shard_id": shard,
        "qr_message_nametag": qr_nametag.hex(),
        "transport": {"initiator_to_responder": messages_i2r, "responder_to_initiator": messages_r2i},
    })
    return {
        "description": description,
        "input": inputs,
        "output": {
            "qr": qr,
            "content_topic": alice.topic,
            "initiator_static_public": public_bytes(alice.s).hex(),
            "responder_static_public": public_bytes(bob.s).hex(),
            "message1": m1.hex(), "message2": m2.hex(), "message3": m3.hex(),
            "handshake_hash_1": alice.trace["h1"].hex(),
            "handshake_hash_2": alice.trace["h2"].hex(),
            "handshake_hash_3": alice.trace["h3"].hex(),
            "nametag2": alice.trace["nametag2"].hex(), "nametag3": alice.trace["nametag3"].hex(),
            "auth_code": code,
            "transport_nametags": first_nametags,
            "transport": {"initiator_to_responder": [p.hex() for p in i2r],
                          "responder_to_initiator": [p.hex() for p in r2i]},
        },
    }


def vectors():
    long_message = bytes(range(256)) * 3
    out = [
        vector("GUI-like parameters; messages of 0 to 768 bytes", "a", "nimbus-gui", "0.0.0",
               "e85d3e24a2040e0c26b235fb867ebbb9", ["", b"hello".hex(), "11" * 247, "22" * 248],
               [long_message.hex(), ""]),
        vector("js-noise's default parameters", "b", "waku-noise-sessions", "0.1", "10",
               [b"x".hex()], [b"y".hex(), b"z".hex()]),
        vector("non-ASCII application name", "c", "n\u00efmbus \u2013 gui", "1.2.3", "7", [], [b"only back".hex()]),
    ]
    # A vector whose code starts with 0, so that the zero padding of the code is checked.
    attempt = 0
    while True:
        candidate = vector("authorization code with a leading zero", "d%d" % attempt, "nimbus-gui", "0.0.0", "1",
                           [b"ping".hex()], [b"pong".hex()])
        if candidate["output"]["auth_code"].startswith("0"):
            out.append(candidate)
            break
        attempt += 1
    return out


# ---------------------------------------------------------------- live peer


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def hear():
    line = sys.stdin.readline()
    request = json.loads(line) if line else {"quit": True}
    if "quit" in request:  # the other side is done, whatever step this peer was at
        raise EOFError
    return request


def fresh_party(initiator, lie):
    return Party(initiator, X25519PrivateKey.generate(), X25519PrivateKey.generate(), os.urandom(32),
                 os.urandom(32) if lie else None)


def peer(role, lie):
    if role == "responder":
        bob = fresh_party(False, lie)
        qr, nametag = responder_qr(bob, "nimbus-gui", "0.0.0", os.urandom(16).hex()), os.urandom(16)
        bob.begin(qr, nametag)
        say({"qr": qr, "nametag": nametag.hex(), "static_public": public_bytes(bob.s).hex()})
        bob.read1(bytes.fromhex(hear()["message"]))
        say({"auth_code": bob.noise.auth_code()})
        say({"publish": bob.write2().hex()})
        bob.read3(bytes.fromhex(hear()["message"]))
        me = bob
        say({"paired": True, "remote_static": bob.rs.hex(), "handshake_hash": bob.noise.h.hex()})
    else:
        alice = fresh_party(True, lie)
        request = hear()
        alice.begin(request["qr"], bytes.fromhex(request["nametag"]))
        m1 = alice.write1()
        say({"publish": m1.hex(), "auth_code": alice.noise.auth_code(),
             "static_public": public_bytes(alice.s).hex()})
        alice.read2(bytes.fromhex(hear()["message"]))
        m3 = alice.write3()
        me = alice
        say({"publish": m3.hex(), "paired": True, "remote_static": alice.rs.hex(),
             "handshake_hash": alice.noise.h.hex()})
    me.finish()
    while True:
        request = hear()
        if "seal" in request:
            say({"payload": me.out.seal(bytes.fromhex(request["seal"])).hex()})
        else:
            say({"plaintext": me.inn.open(bytes.fromhex(request["open"])).hex()})


def main():
    if sys.argv[1:] == ["vectors"]:
        json.dump(vectors(), sys.stdout, indent=1)
        sys.stdout.write("\n")
    elif len(sys.argv) in (3, 4) and sys.argv[1] == "peer" and sys.argv[2] in ("initiator", "responder") \
            and sys.argv[3:] in ([], ["--open-wrong"]):
        try:
            peer(sys.argv[2], sys.argv[3:] == ["--open-wrong"])
        except Refused as error:
            say({"error": str(error)})
        except EOFError:
            pass
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
