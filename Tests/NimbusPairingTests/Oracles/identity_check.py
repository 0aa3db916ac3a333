#!/usr/bin/env python3
"""A second, independent reading of the identity frames in PairingVectors.json.

Written from docs/pairing_protocol.md alone (not from pairing_reference.py, not from the Swift sources), so that the
host identity's layout (session static key, signer key, name length, name, padding: 129 bytes) is checked by code
that did not share an author's assumptions with either implementation.

stdin: one JSON object with a vector's "input" and "output" (a whole vector, with "description", also works).
stdout: {"host": {"key", "signer_key", "name"}, "device": {"key", "name"}, "checked": [...]} when every check
passes, else {"error": "<check>: <why>"} for the first check that failed. Exit status 0 either way, so that the
caller tells a refusal from a broken script.
"""

import hashlib
import hmac
import json
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = 1
FRAME_QUANTUM = 256
HEADER = 18  # version (1), type (1), sid (16); also the AEAD's associated data
TAG = 16
NAME_MAX = 64
HOST_IDENTITY = 32 + 32 + 1 + NAME_MAX  # 129
DEVICE_IDENTITY = 32 + 1 + NAME_MAX  # 97

# Body sizes from the doc's frame table; only the frames this check reads.
BODY = {
    "device_reply": (2, 32 + 32),
    "host_confirm": (3, 32 + HOST_IDENTITY + TAG),
    "device_identity": (4, DEVICE_IDENTITY + TAG),
    "host_done": (6, TAG),
}

SCHEDULE_LABELS = {
    "confirm_host": b"confirm host",
    "confirm_device": b"confirm device",
    "host_to_device": b"host to device",
    "device_to_host": b"device to host",
}


class Refused(Exception):
    """A check failed; the message names it first so a caller can tell which one."""


def unhex(value, what, length=None):
    try:
        raw = bytes.fromhex(value)
    except (TypeError, ValueError):
        raise Refused(f"{what}: not hex")
    if length is not None and len(raw) != length:
        raise Refused(f"{what}: {len(raw)} bytes, expected {length}")
    return raw


def open_frame(name, payload, sid):
    """Header, size and padding checks a receiver makes before it looks at the body; returns (header, body)."""
    kind, body_length = BODY[name]
    # Padded length: header plus body rounded up to the next multiple of 256 (exactly 256 for every v1 frame).
    padded = -(-(HEADER + body_length) // FRAME_QUANTUM) * FRAME_QUANTUM
    if len(payload) != padded:
        raise Refused(f"{name}.length: {len(payload)} bytes, expected {padded}")
    if payload[0] != VERSION:
        raise Refused(f"{name}.version: {payload[0]}")
    if payload[1] != kind:
        raise Refused(f"{name}.type: {payload[1]}, expected {kind}")
    if payload[2:HEADER] != sid:
        raise Refused(f"{name}.sid: {payload[2:HEADER].hex()} is not the run's {sid.hex()}")
    end = HEADER + body_length
    if any(payload[end:]):
        raise Refused(f"{name}.padding: not all zero")
    return payload[:HEADER], payload[HEADER:end]


def nonce(counter):
    # 4 zero bytes, then the per-direction counter as 64-bit little-endian.
    return bytes(4) + counter.to_bytes(8, "little")


def decrypt(name, key, counter, header, sealed):
    try:
        return ChaCha20Poly1305(key).decrypt(nonce(counter), sealed, header)
    except InvalidTag:
        raise Refused(f"{name}.aead: does not authenticate (counter {counter}, AAD = first 18 bytes)")


def parse_name(what, length, field):
    if length > NAME_MAX:
        raise Refused(f"{what}.name_length: {length} > {NAME_MAX}")
    if any(field[length:]):
        raise Refused(f"{what}.padding: name padding not all zero")
    try:
        return field[:length].decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise Refused(f"{what}.name: not UTF-8")


def parse_host_identity(plain):
    if len(plain) != HOST_IDENTITY:
        raise Refused(f"host_identity.size: {len(plain)} bytes, expected {HOST_IDENTITY}")
    session, signer = plain[0:32], plain[32:64]
    if not any(session):
        raise Refused("host_identity.session_key: all zero")
    if not any(signer):
        raise Refused("host_identity.signer_key: all zero")
    # Different processes hold the two keys, so equal keys mean a confused or hostile sender.
    if hmac.compare_digest(session, signer):
        raise Refused("host_identity.keys_equal: session key and signer key are the same")
    name = parse_name("host_identity", plain[64], plain[65:])
    return {"key": session.hex(), "signer_key": signer.hex(), "name": name}


def parse_device_identity(plain):
    if len(plain) != DEVICE_IDENTITY:
        raise Refused(f"device_identity.size: {len(plain)} bytes, expected {DEVICE_IDENTITY}")
    key = plain[0:32]
    if not any(key):
        raise Refused("device_identity.key: all zero")
    name = parse_name("device_identity", plain[32], plain[33:])
    return {"key": key.hex(), "name": name}


def check(vector):
    given, out = vector["input"], vector["output"]
    frames = out["frames"]
    sid = unhex(given["sid"], "input.sid", 16)
    checked = []

    # The key schedule, when the vector publishes its inputs: the identities below are opened with the published
    # direction keys, so those keys are worth tying back to the ISK rather than trusted as given.
    if "isk" in out and "sid_output" in out:
        isk = unhex(out["isk"], "output.isk", 64)
        sid_output = unhex(out["sid_output"], "output.sid_output", 64)
        for field, label in SCHEDULE_LABELS.items():
            if field not in out:
                continue
            derived = HKDF(algorithm=hashes.SHA512(), length=32, salt=sid_output,
                           info=b"nimbus-nm pairing v1 " + label).derive(isk)
            if derived != unhex(out[field], f"output.{field}", 32):
                raise Refused(f"key_schedule.{field}: HKDF-SHA-512(ISK, sid_output, label) differs from the vector")
            checked.append(f"key_schedule.{field}")

    h2d = unhex(out["host_to_device"], "output.host_to_device", 32)
    d2h = unhex(out["device_to_host"], "output.device_to_host", 32)

    confirm_header, confirm_body = open_frame("host_confirm", unhex(frames["host_confirm"], "frames.host_confirm"), sid)
    ta = confirm_body[:32]

    # Tags are checked before any identity is opened, as a device would.
    if "confirm_host" in out and "sid_output" in out:
        sid_output = unhex(out["sid_output"], "output.sid_output", 64)
        expected = hmac.new(unhex(out["confirm_host"], "output.confirm_host", 32), sid_output, hashlib.sha256).digest()
        if not hmac.compare_digest(ta, expected):
            raise Refused("host_confirm.Ta: not HMAC-SHA-256(confirm_host, sid_output)")
        checked.append("Ta")
    if "Ta" in out and not hmac.compare_digest(ta, unhex(out["Ta"], "output.Ta", 32)):
        raise Refused("host_confirm.Ta: differs from the vector's published Ta")

    if "device_reply" in frames and "confirm_device" in out and "sid_output" in out:
        _, reply_body = open_frame("device_reply", unhex(frames["device_reply"], "frames.device_reply"), sid)
        tb = reply_body[32:64]
        sid_output = unhex(out["sid_output"], "output.sid_output", 64)
        expected = hmac.new(unhex(out["confirm_device"], "output.confirm_device", 32), sid_output,
                            hashlib.sha256).digest()
        if not hmac.compare_digest(tb, expected):
            raise Refused("device_reply.Tb: not HMAC-SHA-256(confirm_device, sid_output)")
        if "Tb" in out and not hmac.compare_digest(tb, unhex(out["Tb"], "output.Tb", 32)):
            raise Refused("device_reply.Tb: differs from the vector's published Tb")
        checked.append("Tb")

    host = parse_host_identity(decrypt("host_confirm", h2d, 0, confirm_header, confirm_body[32:]))
    checked.append("host_identity")

    identity_header, identity_body = open_frame(
        "device_identity", unhex(frames["device_identity"], "frames.device_identity"), sid)
    device = parse_device_identity(decrypt("device_identity", d2h, 0, identity_header, identity_body))
    checked.append("device_identity")

    done_header, done_body = open_frame("host_done", unhex(frames["host_done"], "frames.host_done"), sid)
    # host_done is the host's second frame in its direction, so counter 1; it carries nothing.
    if decrypt("host_done", h2d, 1, done_header, done_body) != b"":
        raise Refused("host_done.plaintext: not empty")
    checked.append("host_done")

    return {"host": host, "device": device, "checked": checked}


def main():
    vector = json.load(sys.stdin)
    try:
        answer = check(vector)
    except Refused as refusal:
        answer = {"error": str(refusal)}
    except KeyError as missing:
        answer = {"error": f"vector: no field {missing}"}
    json.dump(answer, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
