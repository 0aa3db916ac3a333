import Crypto
import _CryptoExtras

/// The password-hashing step of an EIP-2335 keystore: which function, its cost, and the salt. The output is always
/// 32 bytes (dklen 32): the first 16 are the AES key, the last 16 go into the checksum.
public struct KeystoreKDF: Equatable, Sendable {
    /// The function and its cost parameters.
    public enum Function: Equatable, Sendable {
        /// scrypt with cost `n` (a power of two), block size `r` and parallelism `p`.
        case scrypt(n: Int, r: Int, p: Int)
        /// PBKDF2 with HMAC-SHA256 and `c` rounds.
        case pbkdf2(c: Int)

        /// ethstaker-deposit-cli's default: scrypt n=2^18, r=8, p=1 (256 MiB, about a second).
        public static let scryptDefault = Function.scrypt(n: 1 << 18, r: 8, p: 1)
        /// ethstaker-deposit-cli's `--pbkdf2` choice: 2^18 rounds of HMAC-SHA256.
        public static let pbkdf2Default = Function.pbkdf2(c: 1 << 18)

        /// The name in the keystore's `crypto.kdf.function`.
        public var name: String {
            switch self {
            case .scrypt: "scrypt"
            case .pbkdf2: "pbkdf2"
            }
        }
    }

    /// Upper bounds on what a keystore may ask of us, so that a hostile file cannot exhaust memory or time
    /// (scrypt needs 128·n·r bytes; both grow linearly in time). Ten times and more above the defaults.
    public enum Limits {
        public static let maximumScryptN = 1 << 20
        public static let maximumScryptR = 16
        public static let maximumScryptP = 16
        public static let maximumScryptMemory = 1 << 30
        public static let maximumPBKDF2Rounds = 1 << 24
        public static let saltLengths = 1...1024
    }

    public var function: Function
    /// The salt; a fresh random 32 bytes for each new keystore (or batch sharing one derived key).
    public var salt: [UInt8]

    /// A KDF description; `validate()` tells whether this module will run it.
    public init(function: Function, salt: [UInt8]) {
        self.function = function
        self.salt = salt
    }

    /// `function` with a fresh 32-byte salt from the system's random source.
    public static func random(_ function: Function = .scryptDefault) -> KeystoreKDF {
        var generator = SystemRandomNumberGenerator()
        return KeystoreKDF(function: function, salt: (0..<32).map { _ in generator.next() })
    }

    /// Throws when the parameters are invalid or beyond `Limits`.
    public func validate() throws(KeystoreError) {
        guard Limits.saltLengths.contains(salt.count) else {
            throw .invalidKDFParameter(name: "salt", reason: "must be 1 to 1024 bytes, not \(salt.count)")
        }
        switch function {
        case .scrypt(let n, let r, let p):
            guard n >= 2, n.nonzeroBitCount == 1 else {
                throw .invalidKDFParameter(name: "n", reason: "must be a power of two, at least 2")
            }
            guard n <= Limits.maximumScryptN else {
                throw .invalidKDFParameter(name: "n", reason: "exceeds this tool's limit of 2^20")
            }
            guard (1...Limits.maximumScryptR).contains(r) else {
                throw .invalidKDFParameter(name: "r", reason: "must be between 1 and \(Limits.maximumScryptR)")
            }
            guard (1...Limits.maximumScryptP).contains(p) else {
                throw .invalidKDFParameter(name: "p", reason: "must be between 1 and \(Limits.maximumScryptP)")
            }
            guard 128 * n * r <= Limits.maximumScryptMemory else {
                throw .invalidKDFParameter(name: "n", reason: "with this r needs more than 1 GiB of memory")
            }
        case .pbkdf2(let c):
            guard (1...Limits.maximumPBKDF2Rounds).contains(c) else {
                throw .invalidKDFParameter(name: "c", reason: "must be between 1 and 2^24")
            }
        }
    }

    /// The 32-byte decryption key for a processed password (`KeystorePassword.process`).
    public func deriveKey(processedPassword: SecretBytes) throws(KeystoreError) -> SecretBytes {
        try validate()
        let key: SymmetricKey
        do {
            key = try processedPassword.withUnsafeBytes { password in
                switch function {
                case .scrypt(let n, let r, let p):
                    // 128·n·r·p plus slack: BoringSSL refuses anything above the limit it is given.
                    try KDF.Scrypt.deriveKey(
                        from: password, salt: salt, outputByteCount: 32, rounds: n, blockSize: r, parallelism: p,
                        maxMemory: 128 * n * r * (p + 1) + (1 << 20))
                case .pbkdf2(let c):
                    // Low round counts are allowed on decryption (EIP-2335 sets no minimum); encryption uses ours.
                    try KDF.Insecure.PBKDF2.deriveKey(
                        from: password, salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: c)
                }
            }
        } catch {
            throw .kdfFailed(function: function.name)
        }
        return SecretBytes(count: 32) { out in key.withUnsafeBytes { out.copyMemory(from: $0) } }
    }
}
