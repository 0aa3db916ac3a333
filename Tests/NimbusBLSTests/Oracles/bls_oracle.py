"""Independent BLS12-381 answers for OracleTests.swift: milagro-bls-binding (Rust milagro_bls) and py_ecc (pure
Python), ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_.

Protocol: one JSON request per line on stdin, one JSON answer per line on stdout, in order. Byte strings are hex.
  {"op": "sk_to_pk", "sk": hex}                          -> {"milagro": hex, "py_ecc": hex}
  {"op": "sign", "sk": hex, "message": hex, "py_ecc": b} -> {"milagro": hex, "py_ecc": hex or null (when b is false)}
  {"op": "verify", "pk": hex, "message": hex, "signature": hex, "py_ecc": b}
                                                         -> {"milagro": bool, "py_ecc": bool or null}
  {"op": "fast_aggregate_verify", "pks": [hex], "message": hex, "signature": hex}
                                                         -> {"milagro": bool}
  {"op": "aggregate", "signatures": [hex]}                -> {"milagro": hex}
An unknown op or a failing library call answers {"error": "..."} instead. Needs py-ecc==8.0.0 and
milagro-bls-binding==1.9.1 (see docs/bls.md for the venv).
"""

import json
import sys

import milagro_bls_binding as milagro
from py_ecc.bls import G2ProofOfPossession as py_ecc


def answer(request):
    op = request["op"]
    if op == "sk_to_pk":
        secret = bytes.fromhex(request["sk"])
        return {
            "milagro": milagro.SkToPk(secret).hex(),
            "py_ecc": py_ecc.SkToPk(int.from_bytes(secret, "big")).hex(),
        }
    if op == "sign":
        secret = bytes.fromhex(request["sk"])
        message = bytes.fromhex(request["message"])
        slow = py_ecc.Sign(int.from_bytes(secret, "big"), message).hex() if request.get("py_ecc") else None
        return {"milagro": milagro.Sign(secret, message).hex(), "py_ecc": slow}
    if op == "verify":
        public_key = bytes.fromhex(request["pk"])
        message = bytes.fromhex(request["message"])
        signature = bytes.fromhex(request["signature"])
        slow = py_ecc.Verify(public_key, message, signature) if request.get("py_ecc") else None
        return {"milagro": milagro.Verify(public_key, message, signature), "py_ecc": slow}
    if op == "fast_aggregate_verify":
        keys = [bytes.fromhex(key) for key in request["pks"]]
        return {
            "milagro": milagro.FastAggregateVerify(
                keys, bytes.fromhex(request["message"]), bytes.fromhex(request["signature"])
            )
        }
    if op == "aggregate":
        return {"milagro": milagro.Aggregate([bytes.fromhex(s) for s in request["signatures"]]).hex()}
    return {"error": f"unknown op {op!r}"}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = answer(json.loads(line))
        except Exception as error:  # report, do not die: the Swift side shows the message
            reply = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
