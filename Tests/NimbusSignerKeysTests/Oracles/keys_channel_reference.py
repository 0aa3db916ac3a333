#!/usr/bin/env python3
"""Reference implementation of the Nimbus keys channel, version 1.

It is written independently: the only inputs were docs/keys-channel.md, the frame
layout of docs/keys-session.md and the Noise Protocol Framework (revision 34). It
never looked at the Swift implementation. Tests use it as an oracle to check the
Swift code, and its vectors (KeysChannelVectors.json) let any other implementation
(a browser GUI, say) check itself.

The channel is Noise_KK_25519_ChaChaPoly_SHA256 with the device as initiator, the
signer as responder, the prologue "nimbus-nm keys channel v1" and empty handshake
payloads; then a byte stream in each direction, cut into transport messages of at
most 65519 plaintext bytes (65535 sealed), with Noise's nonces from 0 per direction
and no associated data.

Usage: send one JSON object on stdin and read one JSON object from stdout.

  A whole vector (both sides, fixed keys):
    {"op": "vectors", "device_static", "signer_static", "device_ephemeral",
     "signer_ephemeral",                                  (private keys, hex)
     "device_to_signer": [frame, ...], "signer_to_device": [frame, ...]}
    A frame is {"kind": <int>, and one of "body": hex, "text": UTF-8 string,
    "file": {"name": string, and "contents": hex or "contents_text": UTF-8}}; the
    reference encodes it as docs/keys-session.md says. Output:
      {"device_public", "signer_public", "device_ephemeral_public",
       "signer_ephemeral_public", "message1", "message2", "handshake_hash",
       "device_to_signer_key", "signer_to_device_key",
       "device_to_signer": {"stream", "messages": [...]},
       "signer_to_device": {"stream", "messages": [...]}}
  The signer's side of a handshake:
    {"op": "respond", "signer_static", "device_public", "message1",
     optional "signer_ephemeral" (a fresh one if absent)}
    -> {"message2", "handshake_hash", "device_to_signer_key", "signer_to_device_key"}
  The device's side of a handshake (message 1 alone, or both when "message2" is given):
    {"op": "initiate", "device_static", "signer_public", "device_ephemeral",
     optional "message2"}
    -> {"message1"} plus, with "message2", {"handshake_hash", "device_to_signer_key",
       "signer_to_device_key"}
  Seal a stream:
    {"op": "seal", "key", "stream" (hex) or "frames": [frame, ...], optional "nonce" (default 0)}
    -> {"stream", "messages": [...]}
  Open messages in order:
    {"op": "open", "key", "messages": [hex, ...], optional "nonce" (default 0)}
    -> {"stream", "frames": [{"kind", "body"}, ...]}  ("frames" only when the stream
       is whole frames; otherwise "frame_error" says why not)
    or, when a message is refused: {"error", "index": <first refused message>,
       "stream": what the messages before it carried}

Byte strings are hex, lowercase on output. If a check fails, the output has an
"error" field and the exit status is still 0. A nonzero exit status means a crash.
"""

import hashlib
import hmac
import json
import os
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PROTOCOL_NAME = b"Noise_KK_25519_ChaChaPoly_SHA256"
PROLOGUE = b"nimbus-nm keys channel v1"
HASHLEN = 32
DHLEN = 32
TAGLEN = 16
HANDSHAKE_MESSAGE_LEN = DHLEN + TAGLEN  # e, then the tag of the empty payload
MAX_MESSAGE = 65535                      # Noise's limit on any message
MAX_PLAINTEXT = MAX_MESSAGE - TAGLEN     # 65519
MAX_FRAME_BODY = 1 << 20                 # docs/keys-session.md: bodies up to 1 MiB
FRAME_KINDS = {0x01, 0x02, 0x03, 0x11, 0x12, 0x13}


class ChannelError(Exception):
    pass


# --------------------------------------------------------------------------
# Primitives (Noise section 4 and 12: 25519, ChaChaPoly, SHA256)
# --------------------------------------------------------------------------

def public_key(private):
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def dh(private, public):
    try:
        return X25519PrivateKey.from_private_bytes(private).exchange(X25519PublicKey.from_public_bytes(public))
    except ValueError:
        # `cryptography` refuses a low-order peer point (an all-zero shared secret).
        # Noise allows either refusing or continuing; refusing is the safer reading,
        # and such a point can only come from a forger.
        raise ChannelError("a public key of low order")


def nonce_bytes(n):
    # 32 bits of zeros, then the 64-bit counter little-endian (Noise 12.3).
    return bytes(4) + n.to_bytes(8, "little")


def encrypt(key, n, ad, plaintext):
    return ChaCha20Poly1305(key).encrypt(nonce_bytes(n), plaintext, ad)


def decrypt(key, n, ad, ciphertext):
    try:
        return ChaCha20Poly1305(key).decrypt(nonce_bytes(n), ciphertext, ad)
    except InvalidTag:
        raise ChannelError("does not authenticate")


def sha256(data):
    return hashlib.sha256(data).digest()


def hmac_sha256(key, data):
    return hmac.new(key, data, hashlib.sha256).digest()


def hkdf2(chaining_key, ikm):
    """Noise's HKDF with two outputs (section 4.3), written out rather than taken from
    a library so that the oracle follows the spec's own definition."""
    temp = hmac_sha256(chaining_key, ikm)
    out1 = hmac_sha256(temp, b"\x01")
    out2 = hmac_sha256(temp, out1 + b"\x02")
    return out1, out2


# --------------------------------------------------------------------------
# SymmetricState (Noise section 5.2)
# --------------------------------------------------------------------------

class Symmetric:
    def __init__(self):
        # The name is exactly HASHLEN bytes, so h is the name itself, unpadded and
        # unhashed; the assertion keeps that reasoning honest.
        assert len(PROTOCOL_NAME) == HASHLEN
        self.h = PROTOCOL_NAME
        self.ck = self.h
        self.k = None
        self.n = 0

    def mix_hash(self, data):
        self.h = sha256(self.h + data)

    def mix_key(self, ikm):
        self.ck, self.k = hkdf2(self.ck, ikm)
        self.n = 0

    def encrypt_and_hash(self, plaintext):
        # Every handshake payload here follows a DH token, so a key is always set;
        # the keyless branch of the spec is not needed.
        assert self.k is not None
        ciphertext = encrypt(self.k, self.n, self.h, plaintext)
        self.n += 1
        self.mix_hash(ciphertext)
        return ciphertext

    def decrypt_and_hash(self, ciphertext):
        assert self.k is not None
        plaintext = decrypt(self.k, self.n, self.h, ciphertext)
        self.n += 1
        self.mix_hash(ciphertext)
        return plaintext

    def split(self):
        # With SHA-256 the outputs are already 32 bytes: no truncation.
        return hkdf2(self.ck, b"")


def initial_state(device_public, signer_public, prologue=PROLOGUE):
    # The prologue and payloads are parameters only so that the Noise core can be
    # checked against published Noise_KK vectors, which use others.
    state = Symmetric()
    state.mix_hash(prologue)
    # KK's pre-messages, in pattern order: "-> s" (the device), then "<- s" (the signer).
    state.mix_hash(device_public)
    state.mix_hash(signer_public)
    return state


# --------------------------------------------------------------------------
# Handshake
# --------------------------------------------------------------------------

def write_message1(state, device_static, signer_public, device_ephemeral, payload=b""):
    e_pub = public_key(device_ephemeral)
    state.mix_hash(e_pub)                                   # e
    state.mix_key(dh(device_ephemeral, signer_public))      # es
    state.mix_key(dh(device_static, signer_public))         # ss
    return e_pub + state.encrypt_and_hash(payload)


def read_message1(state, signer_static, device_public, message):
    if len(message) != HANDSHAKE_MESSAGE_LEN:
        raise ChannelError("message 1 is %d bytes, not %d" % (len(message), HANDSHAKE_MESSAGE_LEN))
    re = message[:DHLEN]
    state.mix_hash(re)                                      # e
    state.mix_key(dh(signer_static, re))                    # es
    state.mix_key(dh(signer_static, device_public))         # ss
    try:
        payload = state.decrypt_and_hash(message[DHLEN:])
    except ChannelError:
        raise ChannelError("message 1 does not authenticate")
    assert payload == b""
    return re


def write_message2(state, device_public, device_ephemeral_public, signer_ephemeral, payload=b""):
    e_pub = public_key(signer_ephemeral)
    state.mix_hash(e_pub)                                           # e
    state.mix_key(dh(signer_ephemeral, device_ephemeral_public))    # ee
    state.mix_key(dh(signer_ephemeral, device_public))              # se (device static, signer ephemeral)
    return e_pub + state.encrypt_and_hash(payload)


def read_message2(state, device_static, device_ephemeral, message):
    if len(message) != HANDSHAKE_MESSAGE_LEN:
        raise ChannelError("message 2 is %d bytes, not %d" % (len(message), HANDSHAKE_MESSAGE_LEN))
    re = message[:DHLEN]
    state.mix_hash(re)                                      # e
    state.mix_key(dh(device_ephemeral, re))                 # ee
    state.mix_key(dh(device_static, re))                    # se
    try:
        state.decrypt_and_hash(message[DHLEN:])
    except ChannelError:
        raise ChannelError("message 2 does not authenticate")


def keys_output(state):
    device_to_signer, signer_to_device = state.split()      # the first key is the initiator's
    return {
        "handshake_hash": state.h.hex(),
        "device_to_signer_key": device_to_signer.hex(),
        "signer_to_device_key": signer_to_device.hex(),
    }


# --------------------------------------------------------------------------
# Keys-session frames and the transport
# --------------------------------------------------------------------------

def frame_body(frame):
    forms = [k for k in ("body", "text", "file") if k in frame]
    if len(forms) != 1:
        raise ValueError("a frame needs exactly one of body, text, file")
    if "body" in frame:
        return bytes.fromhex(frame["body"])
    if "text" in frame:
        return frame["text"].encode("utf-8")
    file = frame["file"]
    name = file["name"].encode("utf-8")
    if ("contents" in file) == ("contents_text" in file):
        raise ValueError("a file needs exactly one of contents, contents_text")
    contents = bytes.fromhex(file["contents"]) if "contents" in file else file["contents_text"].encode("utf-8")
    return len(name).to_bytes(2, "big") + name + contents


def encode_frames(frames):
    stream = b""
    for frame in frames:
        kind = frame["kind"]
        body = frame_body(frame)
        # Encode what the session would accept, so a vector never carries a frame
        # the receiver must refuse.
        if kind not in FRAME_KINDS or len(body) > MAX_FRAME_BODY:
            raise ValueError("not a keys-session frame: kind %r, %d bytes" % (kind, len(body)))
        stream += (1 + len(body)).to_bytes(4, "big") + bytes([kind]) + body
    return stream


def decode_frames(stream):
    """The stream's frames, or a ChannelError naming the first framing error."""
    frames = []
    at = 0
    while at < len(stream):
        if len(stream) - at < 4:
            raise ChannelError("the stream ends inside a frame's length")
        length = int.from_bytes(stream[at:at + 4], "big")
        if length == 0:
            raise ChannelError("an empty frame at byte %d" % at)
        if length - 1 > MAX_FRAME_BODY:
            raise ChannelError("a frame of %d bytes at byte %d" % (length, at))
        if len(stream) - at - 4 < length:
            raise ChannelError("the stream ends inside the frame at byte %d" % at)
        kind = stream[at + 4]
        if kind not in FRAME_KINDS:
            raise ChannelError("unknown frame kind 0x%02x at byte %d" % (kind, at))
        frames.append({"kind": kind, "body": stream[at + 5:at + 4 + length].hex()})
        at += 4 + length
    return frames


def seal_stream(key, stream, nonce=0):
    """Greedy cutting: every message full but the last. Boundaries carry no meaning
    (docs/keys-channel.md), so any cutting is valid; greedy is the one vectors use."""
    messages = []
    for start in range(0, len(stream), MAX_PLAINTEXT):
        messages.append(encrypt(key, nonce, b"", stream[start:start + MAX_PLAINTEXT]))
        nonce += 1
    return messages


def open_messages(key, messages, nonce=0):
    """(stream, None) or (stream so far, (index, reason)) at the first refused message."""
    stream = b""
    for index, message in enumerate(messages):
        if len(message) > MAX_MESSAGE:
            return stream, (index, "message %d is %d bytes, over %d" % (index, len(message), MAX_MESSAGE))
        if len(message) < TAGLEN:
            return stream, (index, "message %d is shorter than a tag" % index)
        try:
            # Strict nonces: the i-th message must be sealed with nonce + i, so a
            # replayed, reordered or dropped message fails here.
            stream += decrypt(key, nonce + index, b"", message)
        except ChannelError:
            return stream, (index, "message %d does not authenticate" % index)
    return stream, None


# --------------------------------------------------------------------------
# Operations
# --------------------------------------------------------------------------

def hx(inp, name, length=None):
    value = bytes.fromhex(inp[name])
    if length is not None and len(value) != length:
        raise ValueError("%s is %d bytes, not %d" % (name, len(value), length))
    return value


def sealed(key, frames):
    stream = encode_frames(frames)
    return {"stream": stream.hex(), "messages": [m.hex() for m in seal_stream(key, stream)]}


def op_vectors(inp):
    device_static = hx(inp, "device_static", 32)
    signer_static = hx(inp, "signer_static", 32)
    device_ephemeral = hx(inp, "device_ephemeral", 32)
    signer_ephemeral = hx(inp, "signer_ephemeral", 32)
    device_public = public_key(device_static)
    signer_public = public_key(signer_static)

    # Each side runs its own state; they must meet, which checks the reference itself.
    device = initial_state(device_public, signer_public)
    signer = initial_state(device_public, signer_public)
    message1 = write_message1(device, device_static, signer_public, device_ephemeral)
    device_ephemeral_public = read_message1(signer, signer_static, device_public, message1)
    message2 = write_message2(signer, device_public, device_ephemeral_public, signer_ephemeral)
    read_message2(device, device_static, device_ephemeral, message2)
    keys = keys_output(device)
    if keys != keys_output(signer):
        raise ChannelError("internal: the two sides split different keys")

    out = {
        "device_public": device_public.hex(),
        "signer_public": signer_public.hex(),
        "device_ephemeral_public": public_key(device_ephemeral).hex(),
        "signer_ephemeral_public": public_key(signer_ephemeral).hex(),
        "message1": message1.hex(),
        "message2": message2.hex(),
    }
    out.update(keys)
    for direction, key_name in (("device_to_signer", "device_to_signer_key"),
                                ("signer_to_device", "signer_to_device_key")):
        out[direction] = sealed(bytes.fromhex(keys[key_name]), inp.get(direction, []))
        # Read back what was sealed, as the receiver would.
        stream, failure = open_messages(bytes.fromhex(keys[key_name]),
                                        [bytes.fromhex(m) for m in out[direction]["messages"]])
        if failure is not None or stream.hex() != out[direction]["stream"]:
            raise ChannelError("internal: %s does not open" % direction)
        decode_frames(stream)
    return out


def op_respond(inp):
    signer_static = hx(inp, "signer_static", 32)
    device_public = hx(inp, "device_public", 32)
    signer_ephemeral = hx(inp, "signer_ephemeral", 32) if "signer_ephemeral" in inp else os.urandom(32)
    state = initial_state(device_public, public_key(signer_static))
    device_ephemeral_public = read_message1(state, signer_static, device_public, hx(inp, "message1"))
    message2 = write_message2(state, device_public, device_ephemeral_public, signer_ephemeral)
    out = {"message2": message2.hex()}
    out.update(keys_output(state))
    return out


def op_initiate(inp):
    device_static = hx(inp, "device_static", 32)
    signer_public = hx(inp, "signer_public", 32)
    device_ephemeral = hx(inp, "device_ephemeral", 32)
    state = initial_state(public_key(device_static), signer_public)
    out = {"message1": write_message1(state, device_static, signer_public, device_ephemeral).hex()}
    if "message2" in inp:
        read_message2(state, device_static, device_ephemeral, hx(inp, "message2"))
        out.update(keys_output(state))
    return out


def op_seal(inp):
    key = hx(inp, "key", 32)
    stream = encode_frames(inp["frames"]) if "frames" in inp else hx(inp, "stream")
    messages = seal_stream(key, stream, inp.get("nonce", 0))
    return {"stream": stream.hex(), "messages": [m.hex() for m in messages]}


def op_open(inp):
    key = hx(inp, "key", 32)
    stream, failure = open_messages(key, [bytes.fromhex(m) for m in inp["messages"]], inp.get("nonce", 0))
    if failure is not None:
        return {"error": failure[1], "index": failure[0], "stream": stream.hex()}
    out = {"stream": stream.hex()}
    try:
        out["frames"] = decode_frames(stream)
    except ChannelError as e:
        out["frame_error"] = str(e)
    return out


OPS = {"vectors": op_vectors, "respond": op_respond, "initiate": op_initiate, "seal": op_seal, "open": op_open}


def main():
    inp = json.loads(sys.stdin.read())
    op = OPS.get(inp.get("op"))
    if op is None:
        out = {"error": "unknown op %r" % inp.get("op")}
    else:
        try:
            out = op(inp)
        except (KeyError, TypeError, ValueError) as e:
            out = {"error": "malformed input: %s: %s" % (type(e).__name__, e)}
        except ChannelError as e:
            out = {"error": str(e)}
    json.dump(out, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
