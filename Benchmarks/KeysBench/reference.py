"""Reference for keys-bench: ethstaker-deposit 1.3.1 writes N validators' keystores and deposit data from one
mnemonic, with its own code and its own multiprocessing, the same work as Benchmarks/KeysBench/main.swift.

Run: <repo>/.venv/bin/python3 Benchmarks/KeysBench/reference.py [--kdf scrypt[:n:r:p] | pbkdf2[:c]]
         [--kdf-per-keystore] [N ...]

What ethstaker-deposit does (credentials.py), and so what is timed here:
- CredentialList.from_mnemonic: a ProcessPoolExecutor (os.cpu_count() workers) builds one Credential per index;
  each derives the seed and both keys (m/12381/3600/i/0 and .../0/0) from the mnemonic on its own.
- export_keystores: scrypt runs once, in the parent, for the whole batch (one salt); then a new pool writes the
  keystores (AES, py_ecc SkToPk, file). PBKDF2 is not shared: every keystore runs its own in the pool.
  With --kdf-per-keystore, scrypt is not shared either: the pool calls save_signing_keystore without a key.
- export_deposit_data_json: another pool computes each deposit (py_ecc SkToPk and Sign, SSZ roots); the parent
  writes the file.
The CLI then verifies the keystores and the deposit data; keys-bench does not, so neither does this.
Interpreter start-up and imports are outside the timing, as the Swift program's start-up is.

Output: "side,n,seconds,deposit_data_fnv1a64" rows, as keys-bench prints them.
"""

import argparse
import concurrent.futures
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field

from Crypto.Hash import SHA256
from Crypto.Protocol import KDF

import ethstaker_deposit.credentials as ethstaker_credentials
import ethstaker_deposit.key_handling.keystore as ethstaker_keystore
from ethstaker_deposit.credentials import CredentialList
from ethstaker_deposit.key_handling.keystore import KeystoreCrypto, KeystoreModule
from ethstaker_deposit.settings import get_chain_setting
from ethstaker_deposit.utils.constants import ETH2GWEI

# The same inputs as main.swift's Fixture, so that both deposit data files are byte for byte the same.
MNEMONIC = ("legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth "
            "useful legal winner thank year wave sausage worth title")
WITHDRAWAL_ADDRESS = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
PASSWORD = "keys-bench password"
AMOUNT_GWEI = 32 * ETH2GWEI

# ethstaker-deposit's own parameters: with these nothing of it is replaced.
DEFAULT_PARAMS = {"scrypt": {"n": 2**18, "r": 8, "p": 1}, "pbkdf2": {"c": 2**18}}


def parse_kdf(text):
    """"scrypt", "scrypt:n:r:p", "pbkdf2" or "pbkdf2:c" -> (function, params)."""
    function, *numbers = text.split(":")
    if function not in DEFAULT_PARAMS or len(numbers) not in (0, len(DEFAULT_PARAMS[function])):
        raise argparse.ArgumentTypeError("scrypt, scrypt:n:r:p, pbkdf2 or pbkdf2:c")
    names = DEFAULT_PARAMS[function].keys()
    return function, dict(zip(names, map(int, numbers))) if numbers else dict(DEFAULT_PARAMS[function])


def use_kdf_params(function, params):
    """Smoke runs only. ethstaker-deposit hard-codes its KDF parameters in its keystore classes and refuses weaker
    ones (scrypt n*r*p < 2^20, PBKDF2 c < 2^18), so for other parameters this swaps in subclasses with our numbers
    (same JSON field order) and calls pycryptodome, as it does, without the floor. Worker processes are forked
    (Linux default), so they see the swap too."""
    base = ethstaker_keystore.ScryptKeystore if function == "scrypt" else ethstaker_keystore.Pbkdf2Keystore
    kdf_params = base().crypto.kdf.params
    kdf_params.update(params)

    @dataclass
    class CustomKeystore(base):
        crypto: KeystoreCrypto = field(default_factory=lambda: KeystoreCrypto(
            kdf=KeystoreModule(function=function, params=dict(kdf_params)),
            checksum=KeystoreModule(function="sha256"),
            cipher=KeystoreModule(function="aes-128-ctr")))

    setattr(ethstaker_credentials, base.__name__, CustomKeystore)
    ethstaker_keystore.scrypt = lambda *, password, salt, n, r, p, dklen: KDF.scrypt(password, salt, dklen, n, r, p)
    ethstaker_keystore.PBKDF2 = lambda *, password, salt, dklen, c, prf: KDF.PBKDF2(
        password, salt, dklen, c, hmac_hash_module=SHA256)


def provide_cli_texts(folder):
    """The wheel lacks the CLI's intl/en/*.json files, and CredentialList's progress bars look their labels up
    relative to the working directory (utils/file_handling.resource_path). Write the three labels it needs into
    `folder` and work from there."""
    intl = os.path.join(folder, "ethstaker_deposit", "intl", "en")
    os.makedirs(intl)
    with open(os.path.join(intl, "credentials.json"), "w", encoding="utf-8") as f:
        f.write('{"from_mnemonic": {"msg_key_creation": "Creating your keys:"}, '
                '"export_keystores": {"msg_keystore_creation": "Creating your keystores:"}, '
                '"export_deposit_data_json": {"msg_depositdata_creation": "Creating your depositdata:"}}')
    os.chdir(folder)


def save_keystore(job):
    """--kdf-per-keystore: what export_keystores' pool does for PBKDF2, here for any KDF (no shared key)."""
    credential, folder, timestamp = job
    return credential.save_signing_keystore(password=PASSWORD, folder=folder, timestamp=timestamp)


def generate(count, function, kdf_per_keystore, folder):
    """Validators 0..count-1: keystores and one deposit data file (mainnet, 32 ETH, 0x01) in `folder`. Returns the
    deposit data file's bytes."""
    credentials = CredentialList.from_mnemonic(
        mnemonic=MNEMONIC, mnemonic_password="", num_keys=count, amounts=[AMOUNT_GWEI] * count,
        chain_setting=get_chain_setting("mainnet"), start_index=0, hex_withdrawal_address=WITHDRAWAL_ADDRESS,
        use_pbkdf2=(function == "pbkdf2"))
    timestamp = time.time()
    if kdf_per_keystore:
        jobs = [(credential, folder, timestamp) for credential in credentials.credentials]
        with concurrent.futures.ProcessPoolExecutor() as executor:
            list(executor.map(save_keystore, jobs))
    else:
        credentials.export_keystores(password=PASSWORD, folder=folder, timestamp=timestamp)
    path = credentials.export_deposit_data_json(folder=folder, timestamp=timestamp)
    with open(path, "rb") as f:
        return f.read()


def fnv1a64(data):
    """FNV-1a, 64 bits, as keys-bench computes it: only to see whether both wrote the same deposit data bytes."""
    value = 0xCBF29CE484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kdf", type=parse_kdf, default=parse_kdf("scrypt"))
    parser.add_argument("--kdf-per-keystore", action="store_true")
    parser.add_argument("counts", nargs="*", type=int, default=[1, 10, 100])
    arguments = parser.parse_args()
    function, params = arguments.kdf
    if params != DEFAULT_PARAMS[function]:
        use_kdf_params(function, params)

    print("side,n,seconds,deposit_data_fnv1a64", flush=True)
    with tempfile.TemporaryDirectory(prefix="keys-bench-texts-") as texts:
        provide_cli_texts(texts)
        for count in arguments.counts:
            with tempfile.TemporaryDirectory(prefix="keys-bench-") as folder:
                start = time.perf_counter()
                deposit_data = generate(count, function, arguments.kdf_per_keystore, folder)
                seconds = time.perf_counter() - start
            digest = fnv1a64(deposit_data)
            # The progress bars write to stdout too: flush so that this row stays the last line.
            print(f"ethstaker-deposit,{count},{seconds:.3f},{digest}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
