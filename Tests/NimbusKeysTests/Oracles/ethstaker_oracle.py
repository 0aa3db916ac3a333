"""Test oracle for NimbusKeys: answers requests with ethstaker-deposit 1.3.1 (and py_ecc, which it signs with).

Reads one JSON object {"requests": [...]} on stdin and writes {"responses": [...]} on stdout, one response per
request, in order. A request that fails answers {"error": "<exception text>"} instead of stopping the run.
Operations (field "op"):

  seed        mnemonic, passphrase                 -> seed (hex)                       [get_seed]
  mnemonic    entropy (hex), words (list)          -> mnemonic, reconstructed          [get_mnemonic,
                                                                                         reconstruct_mnemonic]
  keys        mnemonic, passphrase, index          -> signing_sk, withdrawal_sk, signing_pk, withdrawal_pk
  deposits    items: [deposit], timestamp          -> file_name, contents, data (one JSON text per item)
  keystore    mnemonic, passphrase, index, password, pbkdf2, timestamp
                                                   -> file_name, contents              [save_signing_keystore]
  encrypt     secret, password, pbkdf2, path, salt, iv, uuid -> contents               [Keystore.encrypt]
  decrypt     keystore (JSON text), password       -> secret (hex)                     [Keystore.decrypt]

A deposit is {mnemonic, passphrase, index, network: {name, fork_version}, kind: "bls" | "execution" |
"compounding", address, amount}. ethstaker-deposit 1.3.1 no longer makes 0x00 (BLS) credentials, so for "bls" the
deposit is assembled here from its own parts (Credential keys, its SSZ classes and domain, py_ecc Sign), following
the consensus specs. The wheel lacks the CLI's word lists: "mnemonic" writes the given list to a temporary folder.
"""

import json
import os
import sys
import tempfile

from py_ecc.bls import G2ProofOfPossession as bls

from ethstaker_deposit.credentials import Credential
from ethstaker_deposit.key_handling.key_derivation.mnemonic import get_mnemonic, get_seed, reconstruct_mnemonic
from ethstaker_deposit.key_handling.keystore import Keystore, Pbkdf2Keystore, ScryptKeystore
from ethstaker_deposit.settings import ALL_CHAINS, get_chain_setting, get_devnet_chain_setting
from ethstaker_deposit.utils.constants import BLS_WITHDRAWAL_PREFIX
from ethstaker_deposit.utils.crypto import SHA256
from ethstaker_deposit.utils.export_data import export_deposit_data_json
from ethstaker_deposit.utils.ssz import DepositData, DepositMessage, compute_deposit_domain, compute_signing_root
from ethstaker_deposit.settings import DEPOSIT_CLI_VERSION


def chain_setting(network):
    name, fork = network["name"], network["fork_version"]
    if name in ALL_CHAINS and ALL_CHAINS[name].GENESIS_FORK_VERSION.hex() == fork:
        return get_chain_setting(name)
    # Holesky (dropped from 1.3.x) and custom networks: the CLI's own devnet path.
    return get_devnet_chain_setting(network_name=name, genesis_fork_version=fork, exit_fork_version=fork,
                                    genesis_validator_root=None)


def credential(item, address=None, compounding=False, use_pbkdf2=False):
    return Credential(mnemonic=item["mnemonic"], mnemonic_password=item.get("passphrase", ""),
                      index=item["index"], amount=item.get("amount", 32 * 10**9),
                      chain_setting=chain_setting(item["network"]) if "network" in item else get_chain_setting(),
                      hex_withdrawal_address=address, compounding=compounding, use_pbkdf2=use_pbkdf2)


def bls_deposit_datum(cred):
    """A 0x00 deposit from ethstaker's parts: credentials = 0x00 || SHA-256(withdrawal pubkey)[1:]."""
    withdrawal_credentials = BLS_WITHDRAWAL_PREFIX + SHA256(cred.withdrawal_pk)[1:]
    message = DepositMessage(pubkey=cred.signing_pk, withdrawal_credentials=withdrawal_credentials,
                             amount=cred.amount)
    domain = compute_deposit_domain(fork_version=cred.chain_setting.GENESIS_FORK_VERSION)
    signature = bls.Sign(cred.signing_sk, compute_signing_root(message, domain))
    data = DepositData(**message.as_dict(), signature=signature)
    datum = data.as_dict()
    datum.update({"deposit_message_root": message.hash_tree_root})
    datum.update({"deposit_data_root": data.hash_tree_root})
    datum.update({"fork_version": cred.chain_setting.GENESIS_FORK_VERSION})
    datum.update({"network_name": cred.chain_setting.NETWORK_NAME})
    datum.update({"deposit_cli_version": DEPOSIT_CLI_VERSION})
    return datum


def deposit_datum(item):
    kind = item["kind"]
    if kind == "bls":
        return bls_deposit_datum(credential(item))
    cred = credential(item, address=item["address"], compounding=(kind == "compounding"))
    return cred.deposit_datum_dict


def handle(request):
    op = request["op"]
    if op == "seed":
        return {"seed": get_seed(mnemonic=request["mnemonic"], password=request["passphrase"]).hex()}
    if op == "mnemonic":
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "english.txt"), "w", encoding="utf-8") as f:
                f.write("\n".join(request["words"]) + "\n")
            phrase = get_mnemonic(language="english", words_path=folder, entropy=bytes.fromhex(request["entropy"]))
            return {"mnemonic": phrase, "reconstructed": reconstruct_mnemonic(phrase, folder, "english")}
    if op == "keys":
        cred = credential(request)
        return {"signing_sk": cred.signing_sk.to_bytes(32, "big").hex(),
                "withdrawal_sk": cred.withdrawal_sk.to_bytes(32, "big").hex(),
                "signing_pk": cred.signing_pk.hex(), "withdrawal_pk": cred.withdrawal_pk.hex()}
    if op == "deposits":
        data = [deposit_datum(item) for item in request["items"]]
        with tempfile.TemporaryDirectory() as folder:
            path = export_deposit_data_json(folder, request["timestamp"], data)
            with open(path, encoding="utf-8") as f:
                contents = f.read()
        return {"file_name": os.path.basename(path), "contents": contents,
                "data": [json.dumps(d, default=lambda x: x.hex()) for d in data]}
    if op == "keystore":
        cred = credential(request, use_pbkdf2=request["pbkdf2"])
        with tempfile.TemporaryDirectory() as folder:
            path = cred.save_signing_keystore(request["password"], folder, request["timestamp"])
            with open(path, encoding="utf-8") as f:
                contents = f.read()
        return {"file_name": os.path.basename(path), "contents": contents}
    if op == "encrypt":
        keystore_class = Pbkdf2Keystore if request["pbkdf2"] else ScryptKeystore
        keystore = keystore_class.encrypt(secret=bytes.fromhex(request["secret"]), password=request["password"],
                                          path=request["path"], kdf_salt=bytes.fromhex(request["salt"]),
                                          aes_iv=bytes.fromhex(request["iv"]))
        keystore.uuid = request["uuid"]
        return {"contents": keystore.as_json()}
    if op == "decrypt":
        keystore = Keystore.from_json(json.loads(request["keystore"]))
        return {"secret": keystore.decrypt(request["password"]).hex()}
    raise ValueError(f"unknown op {op}")


def main():
    requests = json.load(sys.stdin)["requests"]
    responses = []
    for request in requests:
        try:
            responses.append(handle(request))
        except Exception as error:  # reported to the Swift test, which fails with it
            responses.append({"error": f"{type(error).__name__}: {error}"})
    json.dump({"responses": responses}, sys.stdout)


if __name__ == "__main__":
    main()
