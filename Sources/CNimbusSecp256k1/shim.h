// CNimbusSecp256k1: Debian's libsecp256k1 (libsecp256k1-dev 0.2.0) for Swift.
// Only the upstream headers: ECDSA sign/verify and public key parsing are used for libp2p secp256k1 identities
// (signatures over SHA-256, DER-encoded) and for EIP-778 "v4" ENR signatures (64-byte r||s over Keccak-256).
#ifndef C_NIMBUS_SECP256K1_SHIM_H
#define C_NIMBUS_SECP256K1_SHIM_H

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#endif
