"""Reference timings for docs/bls.md: SkToPk, Sign and Verify in milagro-bls-binding (Rust, milagro_bls) and py_ecc
(pure Python), on the same machine and with the same key and message as BLSBench.

Run: <repo>/.venv/bin/python3 Benchmarks/BLSBench/reference.py [seconds]
"""

import sys
import time

import milagro_bls_binding as milagro
from py_ecc.bls import G2ProofOfPossession as py_ecc


def measure(seconds, body):
    """Operations per second of body() over about `seconds`, after one warm-up call (at least 3 calls)."""
    body()
    count = 0
    start = time.perf_counter()
    while True:
        body()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and count >= 3:
            return count / elapsed


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    ikm = bytes([0x42] * 32)
    message = bytes([0xAB] * 32)
    secret = py_ecc.KeyGen(ikm)
    secret_bytes = secret.to_bytes(32, "big")
    public_key = milagro.SkToPk(secret_bytes)
    signature = milagro.Sign(secret_bytes, message)
    assert public_key == py_ecc.SkToPk(secret)
    assert milagro.Verify(public_key, message, signature)

    rows = [
        ("milagro", "SkToPk", lambda: milagro.SkToPk(secret_bytes)),
        ("milagro", "Sign", lambda: milagro.Sign(secret_bytes, message)),
        ("milagro", "Verify", lambda: milagro.Verify(public_key, message, signature)),
        ("py_ecc", "SkToPk", lambda: py_ecc.SkToPk(secret)),
        ("py_ecc", "Sign", lambda: py_ecc.Sign(secret, message)),
        ("py_ecc", "Verify", lambda: py_ecc.Verify(public_key, message, signature)),
    ]
    print("implementation,operation,ops_per_second,microseconds_per_op")
    for implementation, operation, body in rows:
        # py_ecc takes about a second per operation: give it fewer seconds of budget but at least three calls.
        rate = measure(seconds if implementation == "milagro" else min(seconds, 1.0), body)
        print(f"{implementation},{operation},{rate:.1f},{1e6 / rate:.1f}")


if __name__ == "__main__":
    main()
