#if canImport(NimbusKeys)
    import NimbusKeys

    /// `KeystoreUnlocking` with the project's own EIP-2335 (NimbusKeys) and BLS (NimbusBLS) code: decrypts, then
    /// derives the public key from the secret and compares it with the keystore's, as Nimbus does before it attaches a
    /// key. The secret is wiped when the call returns.
    public struct NimbusKeysUnlocker: KeystoreUnlocking {
        /// An unlocker.
        public init() {}

        public func unlock(keystoreJSON: String, password: String) throws(KeystoreUnlockError) -> UnlockedKeystore {
            let keystore: Keystore
            do {
                keystore = try KeystoreJSON.decode(keystoreJSON)
            } catch {
                throw .malformed("\(error)")
            }
            let secret: SecretBytes
            do {
                secret = try keystore.decrypt(password: password)
            } catch .wrongPassword {
                throw .wrongPassword
            } catch {
                throw .malformed("\(error)")
            }
            defer { secret.wipe() }
            let derived: [UInt8]
            do {
                derived = try NimbusBLSBackend().publicKey(secretKey: secret)
            } catch {
                throw .malformed("secret is not a BLS key: \(error)")
            }
            if let stated = keystore.pubkey, stated != derived { throw .pubkeyMismatch }
            return UnlockedKeystore(pubkey: Hex.prefixed(derived), derivationPath: keystore.path.map { "\($0)" })
        }

        /// A keystore for `secretHex` under `password`, with cheap PBKDF2 parameters: for tests and demo data
        /// directories, never for real keys.
        public static func makeTestKeystore(
            secretHex: String, password: String
        ) throws -> (json: String, pubkey: String) {
            let secret = SecretBytes(copying: Hex.bytes(secretHex) ?? [])
            let pubkey = try NimbusBLSBackend().publicKey(secretKey: secret)
            let kdf = KeystoreKDF(function: .pbkdf2(c: 2), salt: Array(repeating: 7, count: 32))
            let keystore = try Keystore.encrypt(
                secret: secret, password: password, pubkey: pubkey, path: nil, kdf: kdf, allowWeakParameters: true)
            return (KeystoreJSON.encode(keystore), Hex.prefixed(pubkey))
        }
    }
#endif
