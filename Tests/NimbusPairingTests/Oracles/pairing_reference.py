#!/usr/bin/env python3
"""Reference implementation of the Nimbus pairing protocol, version 1.

It is written independently: the only inputs were docs/pairing_protocol.md and the
CPace draft (draft-irtf-cfrg-cpace). It never looked at the Swift implementation.
Tests use it as an oracle to check the Swift code.

Usage: send one JSON object on stdin and read one JSON object from stdout.

  Full run (both parties, each running its own checks):
    {"code", "sid", "ya", "yb", "host": {"key", "signer_key", "name"}, "device": {"key", "name"},
     optional "tamper": "<frame name>", optional "tamper_bit": <int, default 0>}
    "host" may also have "identity_plaintext" (hex, 129 bytes): the host then seals
    these bytes as its identity, unchecked, instead of encoding its own (for testing
    the device's checks).
    The output's "device_sees_host" is {"key", "signer_key", "name"} and
    "host_sees_device" is {"key", "name"}.
  Decode a single payload:
    {"op": "decode", "payload": "<hex>"}
  Decode an identity plaintext with the receiver's checks:
    {"op": "identity", "side": "host" | "device", "plaintext": "<hex>"}
    -> {"key", "name"} plus "signer_key" for a host's identity
  Bare CPace (checks the implementation against the draft's vectors):
    {"op": "cpace", "PRS", "CI", "sid", "ADa", "ADb", "ya", "yb"}   (all hex)

Byte strings are hex, lowercase on output. If a check fails, the output has an
"error" field and the exit status is still 0. A nonzero exit status means a crash.
An "error" starts with the party whose check failed ("host: ..." or "device: ...").
When the specification says that party then publishes an abort frame, the output
also has "abort_reason" and, under "frames", the frames sent up to the failure. "tamper" flips bit "tamper_bit" of the named frame's body
(bit 0 is the least significant bit of the body's first byte) on its way to the
receiver.

ristretto255 is done in pure Python from RFC 9496, because the PyNaCl in this
environment does not export libsodium's ristretto255 functions. An extra benefit is
that this oracle shares no group code with a libsodium-based implementation.
"""

import hashlib
import hmac
import json
import re
import sys
import unicodedata

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.exceptions import InvalidTag

# --------------------------------------------------------------------------
# ristretto255 (RFC 9496) over edwards25519, extended coordinates (X:Y:Z:T)
# --------------------------------------------------------------------------

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493  # group order
D = (-121665 * pow(121666, P - 2, P)) % P


def _is_neg(x):
    return (x % P) & 1 == 1


def _abs(x):
    x %= P
    return (P - x) % P if _is_neg(x) else x


SQRT_M1 = pow(2, (P - 1) // 4, P)


def _sqrt_ratio_m1(u, v):
    """(was_square, r) with r = +sqrt(u/v) or +sqrt(i*u/v), per RFC 9496 4.2."""
    u %= P
    v %= P
    v3 = v * v % P * v % P
    v7 = v3 * v3 % P * v % P
    r = (u * v3) % P * pow(u * v7 % P, (P - 5) // 8, P) % P
    check = v * r % P * r % P
    correct = check == u
    flipped = check == (-u) % P
    flipped_i = check == (-u * SQRT_M1) % P
    if flipped or flipped_i:
        r = r * SQRT_M1 % P
    r = _abs(r)
    return (correct or flipped), r


# Constants of RFC 9496 section 4.1. Which square root each one is matters: RFC 9496
# fixes SQRT_AD_MINUS_ONE as the odd ("negative") root, so it is written out here
# and only checked against its square.
SQRT_AD_MINUS_ONE = 25063068953384623474111414158702152701244531502492656460079210482610430750235
assert SQRT_AD_MINUS_ONE * SQRT_AD_MINUS_ONE % P == (-D - 1) % P
INVSQRT_A_MINUS_D = 54469307008909316920995813868745141605393597292927456921205312896311721017578
assert INVSQRT_A_MINUS_D * INVSQRT_A_MINUS_D % P * ((-1 - D) % P) % P == 1
assert SQRT_M1 * SQRT_M1 % P == P - 1
ONE_MINUS_D_SQ = (1 - D * D) % P
D_MINUS_ONE_SQ = (D - 1) * (D - 1) % P

IDENTITY = (0, 1, 1, 0)


def _add(p1, p2):
    x1, y1, z1, t1 = p1
    x2, y2, z2, t2 = p2
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = t1 * 2 * D % P * t2 % P
    d = z1 * 2 * z2 % P
    e, f, g, h = (b - a) % P, (d - c) % P, (d + c) % P, (b + a) % P
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _mul(point, n):
    n %= L  # the ristretto255 group has prime order L
    acc = IDENTITY
    for bit in bin(n)[2:]:
        acc = _add(acc, acc)
        if bit == "1":
            acc = _add(acc, point)
    return acc


def r255_decode(b):
    """Decode 32 bytes to a point, or None if not a canonical ristretto255 encoding."""
    if len(b) != 32:
        return None
    s = int.from_bytes(b, "little")
    if s >= P or _is_neg(s):
        return None
    ss = s * s % P
    u1 = (1 - ss) % P
    u2 = (1 + ss) % P
    u2_sqr = u2 * u2 % P
    v = (-(D * u1 % P * u1) - u2_sqr) % P
    was_square, invsqrt = _sqrt_ratio_m1(1, v * u2_sqr % P)
    den_x = invsqrt * u2 % P
    den_y = invsqrt * den_x % P * v % P
    x = _abs(2 * s * den_x)
    y = u1 * den_y % P
    t = x * y % P
    if not was_square or _is_neg(t) or y == 0:
        return None
    return (x, y, 1, t)


def r255_encode(pt):
    x0, y0, z0, t0 = pt
    u1 = (z0 + y0) * (z0 - y0) % P
    u2 = x0 * y0 % P
    _, invsqrt = _sqrt_ratio_m1(1, u1 * u2 % P * u2 % P)
    den1 = invsqrt * u1 % P
    den2 = invsqrt * u2 % P
    z_inv = den1 * den2 % P * t0 % P
    ix0 = x0 * SQRT_M1 % P
    iy0 = y0 * SQRT_M1 % P
    enchanted = den1 * INVSQRT_A_MINUS_D % P
    rotate = _is_neg(t0 * z_inv)
    if rotate:
        x, y, den_inv = iy0, ix0, enchanted
    else:
        x, y, den_inv = x0, y0, den2
    if _is_neg(x * z_inv):
        y = (-y) % P
    s = _abs(den_inv * (z0 - y))
    return s.to_bytes(32, "little")


def _map(t):
    r = SQRT_M1 * t % P * t % P
    u = (r + 1) * ONE_MINUS_D_SQ % P
    v = (-1 - r * D) * (r + D) % P
    was_square, s = _sqrt_ratio_m1(u, v)
    s_prime = (-_abs(s * t)) % P
    if was_square:
        c = P - 1
    else:
        s, c = s_prime, r
    n = (c * (r - 1) % P * D_MINUS_ONE_SQ - v) % P
    w0 = 2 * s * v % P
    w1 = n * SQRT_AD_MINUS_ONE % P
    w2 = (1 - s * s) % P
    w3 = (1 + s * s) % P
    return (w0 * w3 % P, w2 * w1 % P, w1 * w3 % P, w0 * w2 % P)


def r255_from_hash(h64):
    """RFC 9496 element derivation from 64 uniform bytes."""
    assert len(h64) == 64
    t1 = (int.from_bytes(h64[:32], "little") & ((1 << 255) - 1)) % P
    t2 = (int.from_bytes(h64[32:], "little") & ((1 << 255) - 1)) % P
    return _add(_map(t1), _map(t2))


ID_ENC = bytes(32)

# --------------------------------------------------------------------------
# CPace, CPACE-RISTR255-SHA512, initiator-responder
# --------------------------------------------------------------------------

DSI = b"CPaceRistretto255"
S_IN_BYTES = 128  # SHA-512 block size


def prepend_len(data):
    n = len(data)
    out = bytearray()
    while True:
        if n < 128:
            out.append(n)
        else:
            out.append((n & 0x7F) | 0x80)
        n >>= 7
        if n == 0:
            break
    return bytes(out) + data


def lv_cat(*parts):
    return b"".join(prepend_len(p) for p in parts)


def sha512(b):
    return hashlib.sha512(b).digest()


def cpace_generator(prs, ci, sid):
    len_zpad = max(0, S_IN_BYTES - 1 - len(prepend_len(prs)) - len(prepend_len(DSI)))
    gen_str = lv_cat(DSI, prs, bytes(len_zpad), ci, sid)
    return r255_from_hash(sha512(gen_str))


def cpace_scalar_mult(y, g_point):
    return r255_encode(_mul(g_point, int.from_bytes(y, "little")))


def cpace_scalar_mult_vfy(y, x_enc):
    pt = r255_decode(x_enc)
    if pt is None:
        return ID_ENC
    return r255_encode(_mul(pt, int.from_bytes(y, "little")))


def transcript_ir(ya_enc, ada, yb_enc, adb):
    return lv_cat(ya_enc, ada) + lv_cat(yb_enc, adb)


def cpace_isk(sid, k, tr):
    return sha512(lv_cat(DSI + b"_ISK", sid, k) + tr)


def cpace_sid_output(tr):
    return sha512(b"CPaceSidOutput" + tr)


def valid_element(enc):
    """A valid encoding that is not the neutral element."""
    return r255_decode(enc) is not None and enc != ID_ENC


# --------------------------------------------------------------------------
# Pairing protocol v1
# --------------------------------------------------------------------------

LABEL = b"nimbus-nm pairing v1 "
ADA = b"nimbus-nm host"
ADB = b"nimbus-nm device"

VERSION = 1
HOST_HELLO, DEVICE_REPLY, HOST_CONFIRM, DEVICE_IDENTITY, ABORT, HOST_DONE = 1, 2, 3, 4, 5, 6
FRAME_TYPES = {
    "host_hello": HOST_HELLO,
    "device_reply": DEVICE_REPLY,
    "host_confirm": HOST_CONFIRM,
    "device_identity": DEVICE_IDENTITY,
    "abort": ABORT,
    "host_done": HOST_DONE,
}
MAX_NAME = 64
HOST_IDENTITY_LEN = 32 + 32 + 1 + MAX_NAME  # 129: static key, signer key, name
DEVICE_IDENTITY_LEN = 32 + 1 + MAX_NAME  # 97: static key, name
TAG_LEN = 16
BODY_LEN = {
    HOST_HELLO: 32,
    DEVICE_REPLY: 64,
    HOST_CONFIRM: 32 + HOST_IDENTITY_LEN + TAG_LEN,
    DEVICE_IDENTITY: DEVICE_IDENTITY_LEN + TAG_LEN,
    ABORT: 1,
    HOST_DONE: TAG_LEN,
}
HEADER_LEN = 18
PAD_TO = 256


class ProtocolError(Exception):
    def __init__(self, message, abort_reason=None):
        super().__init__(message)
        self.abort_reason = abort_reason


# ---- the code ------------------------------------------------------------

_UUID_RE = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
_DIGITS_RE = re.compile(r"^[0-9]{12}$")


def parse_code(code):
    """Return (nameplate, secret) as ASCII strings, or raise ProtocolError."""
    if _UUID_RE.match(code):
        hexdigits = code.replace("-", "").lower()
        return hexdigits[:8], hexdigits[8:]
    digits = code.replace("-", "").replace(" ", "")
    if _DIGITS_RE.match(digits):
        return digits[:4], digits[4:]
    raise ProtocolError("code is neither 12 decimal digits nor the UUID form")


def content_topic(nameplate):
    h = hashlib.sha256(b"nimbus-nm pairing v1 nameplate " + nameplate.encode("ascii")).hexdigest()
    return "/nimbus-nm/1/pair-%s/proto" % h[:16]


def channel_identifier(nameplate):
    return lv_cat(b"nimbus-nm pairing v1", nameplate.encode("ascii"))


# ---- key schedule --------------------------------------------------------


def hkdf(isk, sid_output, label):
    return HKDF(algorithm=hashes.SHA512(), length=32, salt=sid_output,
                info=LABEL + label).derive(isk)


def key_schedule(isk, sid_output):
    ks = {
        "confirm_host": hkdf(isk, sid_output, b"confirm host"),
        "confirm_device": hkdf(isk, sid_output, b"confirm device"),
        "host_to_device": hkdf(isk, sid_output, b"host to device"),
        "device_to_host": hkdf(isk, sid_output, b"device to host"),
    }
    ks["Ta"] = hmac.new(ks["confirm_host"], sid_output, hashlib.sha256).digest()
    ks["Tb"] = hmac.new(ks["confirm_device"], sid_output, hashlib.sha256).digest()
    return ks


def nonce(counter):
    return bytes(4) + counter.to_bytes(8, "little")


def seal(key, counter, aad, plaintext):
    return ChaCha20Poly1305(key).encrypt(nonce(counter), plaintext, aad)


def open_(key, counter, aad, ciphertext):
    try:
        return ChaCha20Poly1305(key).decrypt(nonce(counter), ciphertext, aad)
    except InvalidTag:
        return None


# ---- frames --------------------------------------------------------------


def header(kind, sid):
    return bytes([VERSION, kind]) + sid


def build_frame(kind, sid, body):
    assert len(body) == BODY_LEN[kind]
    f = header(kind, sid) + body
    if len(f) % PAD_TO:
        f += bytes(PAD_TO - len(f) % PAD_TO)
    return f


def decode_frame(payload):
    """Return (kind, sid, body) or raise ProtocolError with the drop reason."""
    if len(payload) < 1:
        raise ProtocolError("too short")
    if payload[0] != VERSION:
        raise ProtocolError("version is not 1")
    if len(payload) < 2:
        raise ProtocolError("too short")
    kind = payload[1]
    if kind not in BODY_LEN:
        raise ProtocolError("unknown type")
    end = HEADER_LEN + BODY_LEN[kind]
    if len(payload) < end:
        raise ProtocolError("too short for its type")
    # Exactly the padded length: the body, then zeros up to the next multiple of 256.
    if len(payload) != (end + 255) // 256 * 256:
        raise ProtocolError("not the padded length for its type")
    if any(payload[end:]):
        raise ProtocolError("padding is not all zero")
    return kind, payload[2:HEADER_LEN], payload[HEADER_LEN:end]


# ---- identity plaintext --------------------------------------------------


def _check_keys(key, signer_key):
    """The key checks both the sender and the receiver make."""
    if len(key) != 32:
        raise ProtocolError("key is not 32 bytes")
    if not any(key):
        raise ProtocolError("key is all zero")
    if signer_key is not None:
        if len(signer_key) != 32:
            raise ProtocolError("signer key is not 32 bytes")
        if not any(signer_key):
            raise ProtocolError("signer key is all zero")
        if signer_key == key:
            raise ProtocolError("signer key equals the static key")


def encode_identity(key, name, signer_key=None):
    """A host's identity when signer_key is given (129 bytes), else a device's (97 bytes)."""
    nb = unicodedata.normalize("NFC", name).encode("utf-8")
    if len(nb) > MAX_NAME:
        raise ProtocolError("name is longer than 64 bytes")
    _check_keys(key, signer_key)
    keys = key + (signer_key if signer_key is not None else b"")
    return keys + bytes([len(nb)]) + nb + bytes(MAX_NAME - len(nb))


def decode_identity(pt, host):
    """Receiver's checks on the identity plaintext of a host (host=True) or a device.

    Returns (key, signer_key, name); signer_key is None for a device.
    """
    expected = HOST_IDENTITY_LEN if host else DEVICE_IDENTITY_LEN
    if len(pt) != expected:
        raise ProtocolError("identity is not %d bytes" % expected)
    key = pt[:32]
    signer_key = pt[32:64] if host else None
    at = 64 if host else 32
    n = pt[at]
    if n > MAX_NAME:
        raise ProtocolError("name length exceeds 64")
    try:
        name = pt[at + 1:at + 1 + n].decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError("name is not UTF-8")
    if any(pt[at + 1 + n:]):
        raise ProtocolError("identity padding is not zero")
    _check_keys(key, signer_key)
    return key, signer_key, name


# ---- the two parties -----------------------------------------------------


class Host:
    def __init__(self, nameplate, secret, sid, ya, key, signer_key, name, identity_plaintext=None):
        self.ci = channel_identifier(nameplate)
        self.prs = secret.encode("ascii")
        self.sid = sid
        self.ya = ya
        if identity_plaintext is None:
            self.identity = encode_identity(key, name, signer_key)
        else:
            self.identity = identity_plaintext
        self.g = cpace_generator(self.prs, self.ci, sid)
        self.Ya = cpace_scalar_mult(ya, self.g)
        self.send_counter = 0
        self.recv_counter = 0
        self.device = None

    def _receive(self, payload, expect, what):
        try:
            kind, sid, body = decode_frame(payload)
        except ProtocolError as e:
            raise ProtocolError("host: %s dropped: %s" % (what, e))
        if sid != self.sid:
            raise ProtocolError("host: %s ignored: sid is not the run's" % what)
        if kind != expect:
            raise ProtocolError("host: %s ignored: unexpected type %d" % (what, kind))
        return body

    def _seal(self, kind, plaintext):
        aad = header(kind, self.sid)
        ct = seal(self.ks["host_to_device"], self.send_counter, aad, plaintext)
        self.send_counter += 1
        return ct

    def hello(self):
        return build_frame(HOST_HELLO, self.sid, self.Ya)

    def on_device_reply(self, payload):
        body = self._receive(payload, DEVICE_REPLY, "device_reply")
        Yb, Tb = body[:32], body[32:64]
        if not valid_element(Yb):
            raise ProtocolError("host: Yb is not a valid element", abort_reason=3)
        K = cpace_scalar_mult_vfy(self.ya, Yb)
        if K == ID_ENC:
            raise ProtocolError("host: K is the neutral element", abort_reason=3)
        self.Yb, self.K = Yb, K
        tr = transcript_ir(self.Ya, ADA, Yb, ADB)
        self.isk = cpace_isk(self.sid, K, tr)
        self.sid_output = cpace_sid_output(tr)
        self.ks = key_schedule(self.isk, self.sid_output)
        if not hmac.compare_digest(Tb, self.ks["Tb"]):
            raise ProtocolError("host: Tb mismatch", abort_reason=3)
        return build_frame(HOST_CONFIRM, self.sid,
                           self.ks["Ta"] + self._seal(HOST_CONFIRM, self.identity))

    def on_device_identity(self, payload):
        body = self._receive(payload, DEVICE_IDENTITY, "device_identity")
        aad = header(DEVICE_IDENTITY, self.sid)
        pt = open_(self.ks["device_to_host"], self.recv_counter, aad, body)
        if pt is None:
            raise ProtocolError("host: device_identity failed authentication", abort_reason=3)
        self.recv_counter += 1
        try:
            self.device = decode_identity(pt, host=False)
        except ProtocolError as e:
            raise ProtocolError("host: device identity refused: %s" % e, abort_reason=3)
        return build_frame(HOST_DONE, self.sid, self._seal(HOST_DONE, b""))


class Device:
    def __init__(self, nameplate, secret, yb, key, name):
        self.ci = channel_identifier(nameplate)
        self.prs = secret.encode("ascii")
        self.yb = yb
        self.identity = encode_identity(key, name)
        self.sid = None
        self.code_used = False
        self.send_counter = 0
        self.recv_counter = 0
        self.host = None
        self.paired = False

    def _receive(self, payload, expect, what):
        try:
            kind, sid, body = decode_frame(payload)
        except ProtocolError as e:
            raise ProtocolError("device: %s dropped: %s" % (what, e))
        if self.sid is not None and sid != self.sid:
            raise ProtocolError("device: %s ignored: sid is not the run's" % what)
        if kind != expect:
            raise ProtocolError("device: %s ignored: unexpected type %d" % (what, kind))
        return sid, body

    def on_host_hello(self, payload):
        sid, body = self._receive(payload, HOST_HELLO, "host_hello")
        if self.code_used:
            raise ProtocolError("device: code already used", abort_reason=1)
        self.code_used = True
        self.sid = sid
        Ya = body
        if not valid_element(Ya):
            raise ProtocolError("device: Ya is not a valid element", abort_reason=3)
        self.g = cpace_generator(self.prs, self.ci, sid)
        self.Ya = Ya
        self.Yb = cpace_scalar_mult(self.yb, self.g)
        K = cpace_scalar_mult_vfy(self.yb, Ya)
        if K == ID_ENC:
            raise ProtocolError("device: K is the neutral element", abort_reason=3)
        self.K = K
        tr = transcript_ir(Ya, ADA, self.Yb, ADB)
        self.isk = cpace_isk(sid, K, tr)
        self.sid_output = cpace_sid_output(tr)
        self.ks = key_schedule(self.isk, self.sid_output)
        return build_frame(DEVICE_REPLY, sid, self.Yb + self.ks["Tb"])

    def on_host_confirm(self, payload):
        _, body = self._receive(payload, HOST_CONFIRM, "host_confirm")
        Ta, ct = body[:32], body[32:]
        if not hmac.compare_digest(Ta, self.ks["Ta"]):
            raise ProtocolError("device: Ta mismatch", abort_reason=3)
        aad = header(HOST_CONFIRM, self.sid)
        pt = open_(self.ks["host_to_device"], self.recv_counter, aad, ct)
        if pt is None:
            raise ProtocolError("device: host_confirm identity failed authentication", abort_reason=3)
        self.recv_counter += 1
        try:
            self.host = decode_identity(pt, host=True)
        except ProtocolError as e:
            raise ProtocolError("device: host identity refused: %s" % e, abort_reason=3)
        aad = header(DEVICE_IDENTITY, self.sid)
        ct = seal(self.ks["device_to_host"], self.send_counter, aad, self.identity)
        self.send_counter += 1
        return build_frame(DEVICE_IDENTITY, self.sid, ct)

    def on_host_done(self, payload):
        _, body = self._receive(payload, HOST_DONE, "host_done")
        aad = header(HOST_DONE, self.sid)
        pt = open_(self.ks["host_to_device"], self.recv_counter, aad, body)
        if pt is None or pt != b"":
            raise ProtocolError("device: host_done failed authentication")
        self.recv_counter += 1
        self.paired = True


# ---- driver --------------------------------------------------------------


def _hex_bytes(value, n, what):
    if not isinstance(value, str) or not re.fullmatch(r"[0-9A-Fa-f]*", value) or len(value) != 2 * n:
        raise ProtocolError("input %s must be %d hex digits" % (what, 2 * n))
    return bytes.fromhex(value)


def _flip(frame, bit):
    """Flip bit number `bit` of the body (bit 0 = least significant bit of the body's first byte)."""
    if not 0 <= bit < 8 * BODY_LEN[frame[1]]:
        raise ProtocolError("tamper_bit is outside the frame body")
    b = bytearray(frame)
    b[HEADER_LEN + bit // 8] ^= 1 << (bit % 8)
    return bytes(b)


def run(inp):
    nameplate, secret = parse_code(inp["code"])
    sid = _hex_bytes(inp["sid"], 16, "sid")
    ya = _hex_bytes(inp["ya"], 32, "ya")
    yb = _hex_bytes(inp["yb"], 32, "yb")
    hkey = _hex_bytes(inp["host"]["key"], 32, "host.key")
    hsigner = _hex_bytes(inp["host"]["signer_key"], 32, "host.signer_key")
    hplain = inp["host"].get("identity_plaintext")
    if hplain is not None:
        hplain = _hex_bytes(hplain, HOST_IDENTITY_LEN, "host.identity_plaintext")
    dkey = _hex_bytes(inp["device"]["key"], 32, "device.key")
    tamper = inp.get("tamper")
    tamper_bit = int(inp.get("tamper_bit", 0))
    names = ("host_hello", "device_reply", "host_confirm", "device_identity", "host_done")
    if tamper is not None and tamper not in names:
        raise ProtocolError("unknown tamper target %r" % tamper)

    try:
        host = Host(nameplate, secret, sid, ya, hkey, hsigner, inp["host"]["name"], hplain)
    except ProtocolError as e:
        raise ProtocolError("host: %s" % e)
    try:
        device = Device(nameplate, secret, yb, dkey, inp["device"]["name"])
    except ProtocolError as e:
        raise ProtocolError("device: %s" % e)

    frames = {}

    def deliver(name, frame):
        frames[name] = frame
        return _flip(frame, tamper_bit) if tamper == name else frame

    try:
        f = deliver("host_hello", host.hello())
        f = deliver("device_reply", device.on_host_hello(f))
        f = deliver("host_confirm", host.on_device_reply(f))
        f = deliver("device_identity", device.on_host_confirm(f))
        f = deliver("host_done", host.on_device_identity(f))
        device.on_host_done(f)
    except ProtocolError as e:
        # So that a caller can hand the frames up to the failure to another implementation.
        e.frames = frames
        raise

    # Both sides must agree on everything derived (a failure here is a bug in this file).
    assert host.isk == device.isk and host.sid_output == device.sid_output and host.K == device.K
    assert host.device is not None and device.paired
    if tamper is not None:
        raise ProtocolError("tampering with %s was not detected" % tamper)

    ks = host.ks
    return {
        "nameplate": nameplate,
        "secret_redacted": True,
        "content_topic": content_topic(nameplate),
        "ci": host.ci.hex(),
        "g": r255_encode(host.g).hex(),
        "Ya": host.Ya.hex(),
        "Yb": host.Yb.hex(),
        "isk": host.isk.hex(),
        "sid_output": host.sid_output.hex(),
        "confirm_host": ks["confirm_host"].hex(),
        "confirm_device": ks["confirm_device"].hex(),
        "host_to_device": ks["host_to_device"].hex(),
        "device_to_host": ks["device_to_host"].hex(),
        "Ta": ks["Ta"].hex(),
        "Tb": ks["Tb"].hex(),
        "frames": {k: frames[k].hex() for k in names},
        "device_sees_host": {"key": device.host[0].hex(), "signer_key": device.host[1].hex(),
                             "name": device.host[2]},
        "host_sees_device": {"key": host.device[0].hex(), "name": host.device[2]},
    }


def op_decode(inp):
    payload = inp.get("payload")
    if not isinstance(payload, str) or len(payload) % 2 or not re.fullmatch(r"[0-9A-Fa-f]*", payload):
        return {"error": "payload is not hex"}
    try:
        kind, sid, body = decode_frame(bytes.fromhex(payload))
    except ProtocolError as e:
        return {"error": str(e)}
    return {"kind": kind, "sid": sid.hex(), "body": body.hex()}


def op_identity(inp):
    side = inp.get("side")
    if side not in ("host", "device"):
        return {"error": "side must be \"host\" or \"device\""}
    plaintext = inp.get("plaintext")
    if not isinstance(plaintext, str) or len(plaintext) % 2 or not re.fullmatch(r"[0-9A-Fa-f]*", plaintext):
        return {"error": "plaintext is not hex"}
    try:
        key, signer_key, name = decode_identity(bytes.fromhex(plaintext), host=side == "host")
    except ProtocolError as e:
        return {"error": str(e)}
    out = {"key": key.hex(), "name": name}
    if signer_key is not None:
        out["signer_key"] = signer_key.hex()
    return out


def op_cpace(inp):
    h = {k: bytes.fromhex(inp[k]) for k in ("PRS", "CI", "sid", "ADa", "ADb", "ya", "yb")}
    g = cpace_generator(h["PRS"], h["CI"], h["sid"])
    Ya = cpace_scalar_mult(h["ya"], g)
    Yb = cpace_scalar_mult(h["yb"], g)
    if not valid_element(Ya) or not valid_element(Yb):
        return {"error": "invalid element"}
    Ka = cpace_scalar_mult_vfy(h["ya"], Yb)
    Kb = cpace_scalar_mult_vfy(h["yb"], Ya)
    if Ka != Kb or Ka == ID_ENC:
        return {"error": "K mismatch or neutral"}
    tr = transcript_ir(Ya, h["ADa"], Yb, h["ADb"])
    return {"g": r255_encode(g).hex(), "Ya": Ya.hex(), "Yb": Yb.hex(), "K": Ka.hex(),
            "ISK_IR": cpace_isk(h["sid"], Ka, tr).hex(),
            "sid_output_ir": cpace_sid_output(tr).hex()}


def main():
    inp = json.loads(sys.stdin.read())
    op = inp.get("op", "run")
    if op == "decode":
        out = op_decode(inp)
    elif op == "identity":
        out = op_identity(inp)
    elif op == "cpace":
        out = op_cpace(inp)
    elif op == "run":
        try:
            out = run(inp)
        except (KeyError, TypeError, ValueError) as e:
            out = {"error": "malformed input: %s: %s" % (type(e).__name__, e)}
        except ProtocolError as e:
            out = {"error": str(e)}
            if e.abort_reason is not None:
                out["abort_reason"] = e.abort_reason
            if getattr(e, "frames", None):
                out["frames"] = {k: v.hex() for k, v in e.frames.items()}
    else:
        out = {"error": "unknown op %r" % op}
    json.dump(out, sys.stdout, ensure_ascii=False, sort_keys=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
