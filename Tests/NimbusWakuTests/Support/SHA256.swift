import Crypto

/// SHA-256 as bytes, the way the tests compare digests (message ids, autosharding).
func sha256(_ bytes: [UInt8]) -> [UInt8] {
    Array(SHA256.hash(data: bytes))
}
