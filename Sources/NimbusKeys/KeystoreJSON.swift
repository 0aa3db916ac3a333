/// The EIP-2335 keystore file: strict decoding with a precise error for each way a file can be wrong, and encoding
/// byte-compatible with ethstaker-deposit-cli 1.3.x (Python `json.dumps`, its field order, lowercase hex).
///
/// Decoding never traps. Inside `crypto` every object must have exactly the EIP-2335 members; at the top level,
/// members other than the EIP's are ignored (some tools add e.g. "name").
public enum KeystoreJSON {
    /// Decodes a keystore file.
    public static func decode(_ bytes: [UInt8]) throws(KeystoreError) -> Keystore {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw .notJSON(offset: error.offset, reason: error.reason)
        }
        let top = try Members(root, path: nil, strict: false)
        let version = try top.required("version")
        guard version.unsignedInteger == 4 else {
            if case .number(let text) = version { throw .unsupportedVersion(text) }
            throw .wrongType(field: "version", expected: "the number 4")
        }
        let crypto = try Members(try top.required("crypto"), path: "crypto", allowed: ["kdf", "checksum", "cipher"])
        let kdf = try decodeKDF(try crypto.object("kdf"))
        let checksum = try crypto.object("checksum", allowed: ["function", "params", "message"])
        let checksumFunction = try checksum.string("function")
        guard checksumFunction == "sha256" else { throw .unsupportedChecksum(checksumFunction) }
        _ = try checksum.object("params", allowed: [])
        let cipher = try crypto.object("cipher", allowed: ["function", "params", "message"])
        let cipherFunction = try cipher.string("function")
        guard cipherFunction == "aes-128-ctr" else { throw .unsupportedCipher(cipherFunction) }
        let cipherParams = try cipher.object("params", allowed: ["iv"])

        let pubkey = try top.optionalString("pubkey").map { text throws(KeystoreError) in
            try hex(text, field: "pubkey", length: 48)
        }
        let pathText = try top.string("path")
        let path: DerivationPath?
        do {
            path = pathText.isEmpty ? nil : try DerivationPath(parsing: pathText)
        } catch {
            throw .invalidPath(error)
        }
        let uuid = try top.string("uuid")
        guard UUIDText.isValid(uuid) else { throw .invalidUUID }
        return Keystore(
            kdf: kdf,
            checksum: try hex(try checksum.string("message"), field: "crypto.checksum.message", length: 32),
            iv: try hex(try cipherParams.string("iv"), field: "crypto.cipher.params.iv", length: 16),
            cipherMessage: try hex(try cipher.string("message"), field: "crypto.cipher.message", length: 32),
            pubkey: pubkey, path: path, uuid: uuid,
            descriptionText: try top.optionalString("description") ?? "")
    }

    /// Decodes a keystore file given as text.
    public static func decode(_ text: String) throws(KeystoreError) -> Keystore {
        try decode(Array(text.utf8))
    }

    private static func decodeKDF(_ kdf: Members) throws(KeystoreError) -> KeystoreKDF {
        try kdf.checkAllowed(["function", "params", "message"])
        let function = try kdf.string("function")
        guard try kdf.string("message").isEmpty else {
            throw .invalidValue(field: "crypto.kdf.message", expected: "the empty string")
        }
        let params: Members
        let result: KeystoreKDF.Function
        switch function {
        case "scrypt":
            params = try kdf.object("params", allowed: ["dklen", "n", "r", "p", "salt"])
            result = .scrypt(n: try params.integer("n"), r: try params.integer("r"), p: try params.integer("p"))
        case "pbkdf2":
            params = try kdf.object("params", allowed: ["dklen", "c", "prf", "salt"])
            let prf = try params.string("prf")
            guard prf == "hmac-sha256" else { throw .unsupportedPRF(prf) }
            result = .pbkdf2(c: try params.integer("c"))
        default:
            throw .unsupportedKDF(function)
        }
        guard try params.integer("dklen") == 32 else {
            throw .invalidKDFParameter(name: "dklen", reason: "must be 32")
        }
        let salt = try hex(try params.string("salt"), field: "crypto.kdf.params.salt", length: nil)
        let decoded = KeystoreKDF(function: result, salt: salt)
        try decoded.validate()
        return decoded
    }

    private static func hex(_ text: String, field: String, length: Int?) throws(KeystoreError) -> [UInt8] {
        guard let bytes = Hex.decode(text) else { throw .invalidHex(field: field) }
        if let length, bytes.count != length { throw .wrongLength(field: field, expected: length, found: bytes.count) }
        return bytes
    }

    /// The keystore as ethstaker-deposit-cli 1.3.x writes it (no trailing newline).
    public static func encode(_ keystore: Keystore) -> String {
        var writer = PythonJSONWriter()
        writer.object { root in
            root.object("crypto") { crypto in
                crypto.object("kdf") { kdf in
                    kdf.string("function", keystore.kdf.function.name)
                    kdf.object("params") { params in
                        switch keystore.kdf.function {
                        case .scrypt(let n, let r, let p):
                            params.integer("dklen", 32)
                            params.integer("n", UInt64(n))
                            params.integer("r", UInt64(r))
                            params.integer("p", UInt64(p))
                        case .pbkdf2(let c):
                            params.integer("c", UInt64(c))
                            params.integer("dklen", 32)
                            params.string("prf", "hmac-sha256")
                        }
                        params.string("salt", Hex.encode(keystore.kdf.salt))
                    }
                    kdf.string("message", "")
                }
                crypto.object("checksum") { checksum in
                    checksum.string("function", "sha256")
                    checksum.object("params") { _ in }
                    checksum.string("message", Hex.encode(keystore.checksum))
                }
                crypto.object("cipher") { cipher in
                    cipher.string("function", "aes-128-ctr")
                    cipher.object("params") { $0.string("iv", Hex.encode(keystore.iv)) }
                    cipher.string("message", Hex.encode(keystore.cipherMessage))
                }
            }
            root.string("description", keystore.descriptionText)
            if let pubkey = keystore.pubkey { root.string("pubkey", Hex.encode(pubkey)) }
            root.string("path", keystore.path?.description ?? "")
            root.string("uuid", keystore.uuid)
            root.integer("version", 4)
        }
        return writer.output
    }
}

/// The members of one JSON object with typed accessors whose errors carry the member's dotted path.
private struct Members {
    let members: [(key: String, value: JSONValue)]
    let path: String?

    init(_ value: JSONValue, path: String?, strict: Bool = true, allowed: [String] = []) throws(KeystoreError) {
        guard case .object(let members) = value else {
            throw path.map { .wrongType(field: $0, expected: "an object") }
                ?? .wrongType(field: "(document)", expected: "an object")
        }
        self.members = members
        self.path = path
        if strict { try checkAllowed(allowed) }
    }

    func checkAllowed(_ allowed: [String]) throws(KeystoreError) {
        if let extra = members.first(where: { !allowed.contains($0.key) }) {
            throw .unexpectedField(qualified(extra.key))
        }
    }

    func qualified(_ key: String) -> String {
        path.map { "\($0).\(key)" } ?? key
    }

    func optional(_ key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    func required(_ key: String) throws(KeystoreError) -> JSONValue {
        guard let value = optional(key) else { throw .missingField(qualified(key)) }
        return value
    }

    func string(_ key: String) throws(KeystoreError) -> String {
        guard case .string(let text) = try required(key) else {
            throw .wrongType(field: qualified(key), expected: "a string")
        }
        return text
    }

    func optionalString(_ key: String) throws(KeystoreError) -> String? {
        guard let value = optional(key) else { return nil }
        guard case .string(let text) = value else { throw .wrongType(field: qualified(key), expected: "a string") }
        return text
    }

    func integer(_ key: String) throws(KeystoreError) -> Int {
        guard let value = try required(key).unsignedInteger, value <= UInt64(Int32.max) else {
            throw .wrongType(field: qualified(key), expected: "a non-negative integer below 2^31")
        }
        return Int(value)
    }

    func object(_ key: String, allowed: [String]? = nil) throws(KeystoreError) -> Members {
        try Members(try required(key), path: qualified(key), strict: allowed != nil, allowed: allowed ?? [])
    }
}
