#!/usr/bin/env python3
"""Writes ../KeysChannelVectors.json: keys-channel vectors made by keys_channel_reference.py.

Every key and every byte of content is derived from a fixed label, so running this
again writes the same file. The keystores in the import vector are shaped like
EIP-2335 keystores but hold no real key: the channel carries bytes, and what
matters here is a stream longer than one transport message.

Usage: .venv/bin/python3 make_keys_channel_vectors.py
"""

import hashlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "keys_channel_reference.py")
OUTPUT = os.path.join(os.path.dirname(HERE), "KeysChannelVectors.json")

REQUEST, SECRET, FILE, PROGRESS, RESULT = 0x01, 0x02, 0x03, 0x11, 0x12


def derived(label, length=32):
    """Deterministic bytes for a label (not secret: these are test vectors)."""
    out = b""
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(("nimbus keys channel vectors/%s/%d" % (label, counter)).encode()).digest()
        counter += 1
    return out[:length]


def compact(value):
    # The signer's JSON bodies are compact with sorted keys (SessionJSON); these match.
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def keys(label):
    return {
        "device_static": derived(label + "/device static").hex(),
        "signer_static": derived(label + "/signer static").hex(),
        "device_ephemeral": derived(label + "/device ephemeral").hex(),
        "signer_ephemeral": derived(label + "/signer ephemeral").hex(),
    }


def pubkey(label):
    return "0x" + derived(label, 48).hex()


def keystore(index):
    label = "keystore %d" % index
    return compact({
        "crypto": {
            "kdf": {"function": "scrypt", "message": "",
                    "params": {"dklen": 32, "n": 262144, "p": 1, "r": 8, "salt": derived(label + "/salt").hex()}},
            "checksum": {"function": "sha256", "message": derived(label + "/checksum").hex(), "params": {}},
            "cipher": {"function": "aes-128-ctr", "message": derived(label + "/cipher").hex(),
                       "params": {"iv": derived(label + "/iv", 16).hex()}},
        },
        "description": "",
        "path": "m/12381/3600/%d/0/0" % index,
        "pubkey": pubkey(label)[2:],
        "uuid": "%s-%s-%s-%s-%s" % tuple(derived(label + "/uuid", 16).hex()[a:b]
                                         for a, b in ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32))),
        "version": 4,
    })


def key_info(index, source):
    return {"createdAt": "2026-01-05T10:%02d:00Z" % index, "path": "m/12381/3600/%d/0/0" % index,
            "pubkey": pubkey("keystore %d" % index), "source": source}


MNEMONIC = " ".join(["abandon"] * 23 + ["art"])  # BIP-39's all-zero-entropy phrase: obviously not a real wallet
IMPORTED = 100  # about 700 bytes each, compact: the import stream passes 65519 bytes and takes two messages

VECTORS = [
    {
        "description": "list: one request, one result with two keys",
        "input": dict(keys("list"), **{
            "device_to_signer": [{"kind": REQUEST, "text": compact({"command": "list"})}],
            "signer_to_device": [{"kind": RESULT, "text": compact({"keys": [key_info(0, "generated"),
                                                                             key_info(1, "imported")]})}],
        }),
    },
    {
        "description": "new-mnemonic with confirmation: a secret frame each way",
        "input": dict(keys("new-mnemonic"), **{
            "device_to_signer": [
                {"kind": REQUEST, "text": compact({"command": "new-mnemonic", "confirm": True, "words": 24})},
                {"kind": SECRET, "text": MNEMONIC},
            ],
            "signer_to_device": [
                {"kind": SECRET, "text": MNEMONIC},
                {"kind": RESULT, "text": compact({"confirmed": True})},
            ],
        }),
    },
    {
        "description": "import of %d keystores: the device's stream is over 65519 bytes, cut in two messages"
                       % IMPORTED,
        "input": dict(keys("import"), **{
            "device_to_signer":
                [{"kind": REQUEST, "text": compact({"command": "import", "fileCount": IMPORTED})}]
                + [{"kind": FILE, "file": {"name": "keystore-m_12381_3600_%d_0_0.json" % i,
                                           "contents_text": keystore(i)}} for i in range(IMPORTED)]
                + [{"kind": SECRET, "text": "correct horse battery staple"}],
            "signer_to_device":
                [{"kind": PROGRESS, "text": compact({"done": done, "phase": "decrypting keystores",
                                                     "total": IMPORTED})} for done in (0, IMPORTED // 2, IMPORTED)]
                + [{"kind": RESULT, "text": compact({"alreadyHeld": [],
                                                     "keys": [key_info(i, "imported") for i in range(IMPORTED)]})}],
        }),
    },
]


def run(request):
    done = subprocess.run([sys.executable, REFERENCE], input=json.dumps(request).encode(), capture_output=True,
                          check=True)
    out = json.loads(done.stdout)
    if "error" in out:
        raise SystemExit("the reference refused %s: %s" % (request.get("description"), out["error"]))
    return out


def main():
    vectors = []
    for vector in VECTORS:
        output = run(dict(vector["input"], op="vectors"))
        vectors.append({"description": vector["description"], "input": vector["input"], "output": output})
    largest = max(len(v["output"]["device_to_signer"]["messages"]) for v in vectors)
    assert largest >= 2, "no vector cuts a stream into two messages"
    document = {
        "description": (
            "Keys channel test vectors (docs/keys-channel.md, section 'Test vectors'), produced by "
            "Tests/NimbusSignerKeysTests/Oracles/keys_channel_reference.py, an implementation written from the "
            "document alone, and written by make_keys_channel_vectors.py beside it. Each vector's input is what the "
            "reference's 'vectors' operation takes (private keys and keys-session frames to send each way); its "
            "output is what the reference answered. Byte strings are lowercase hex."),
        "protocol": "Noise_KK_25519_ChaChaPoly_SHA256",
        "prologue": "nimbus-nm keys channel v1",
        "max_plaintext_per_message": 65519,
        "vectors": vectors,
    }
    with open(OUTPUT, "w") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote %s" % OUTPUT)


if __name__ == "__main__":
    main()
