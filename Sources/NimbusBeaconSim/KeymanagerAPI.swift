/// Gives API handlers access to the one simulation, serialised, at the current time.
public protocol SimulationAccess: Sendable {
    /// Runs `body` with exclusive access to the simulation, advanced to now, and now.
    func withSimulation<R>(_ body: (inout BeaconSimulation, Double) -> R) -> R
}

/// The keymanager API (keystores, remote keys, fee recipient, gas limit, graffiti) behind a bearer token, with
/// Nimbus's status codes: 401 without an `Authorization` header or without the Bearer scheme, 403 for a wrong
/// token.
///
/// Keystore decryption (slow: a KDF) runs outside the simulation lock; only attaching the keys takes it.
public struct KeymanagerAPI: Sendable {
    /// The token from `--keymanager-token-file`.
    public var token: String
    /// Key persistence.
    public var storage: any KeyStorage
    /// Keystore decryption.
    public var unlocker: any KeystoreUnlocking
    /// Node-wide defaults.
    public var defaults: KeymanagerDefaults

    /// An API.
    public init(token: String, storage: any KeyStorage, unlocker: any KeystoreUnlocking, defaults: KeymanagerDefaults) {
        self.token = token
        self.storage = storage
        self.unlocker = unlocker
        self.defaults = defaults
    }

    /// Whether `path` belongs to this API.
    public static func owns(path: String) -> Bool {
        if path == "/eth/v1/keystores" || path == "/eth/v1/remotekeys" { return true }
        let parts = path.split(separator: "/").map(String.init)
        return parts.count == 5 && parts[0] == "eth" && parts[1] == "v1" && parts[2] == "validator"
            && ["feerecipient", "gas_limit", "graffiti"].contains(parts[4])
    }

    /// Answers `request` (nil if the path is not the keymanager's).
    public func handle(_ request: APIRequest, access: any SimulationAccess) -> APIResponse? {
        guard Self.owns(path: request.path) else { return nil }
        if let refusal = authorize(request) { return refusal }
        do {
            switch request.path {
            case "/eth/v1/keystores":
                switch request.method {
                case "GET": return try listKeystores()
                case "POST": return try importKeystores(request, access: access)
                case "DELETE": return try deleteKeystores(request, access: access)
                default: return .keymanagerError(405, "Method not allowed")
                }
            case "/eth/v1/remotekeys":
                switch request.method {
                case "GET": return try listRemoteKeys()
                case "POST": return try importRemoteKeys(request, access: access)
                case "DELETE": return try deleteRemoteKeys(request, access: access)
                default: return .keymanagerError(405, "Method not allowed")
                }
            default:
                return try perKeySetting(request)
            }
        } catch {
            return .keymanagerError(500, "Internal server error; \(error)")
        }
    }

    private func authorize(_ request: APIRequest) -> APIResponse? {
        let values = request.headers.filter { $0.name.lowercased() == "authorization" }.map(\.value)
        guard !values.isEmpty else { return .keymanagerError(401, "Missing Authorization Header") }
        for value in values {
            let parts = value.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0] == "Bearer" {
                return String(parts[1]) == token ? nil : .keymanagerError(403, "Invalid Authorization Header")
            }
        }
        return .keymanagerError(401, "Bearer Authentication is not included in request")
    }

    // MARK: keystores

    private struct ImportBody: Decodable {
        var keystores: [String]
        var passwords: [String]
        var slashingProtection: String?

        enum CodingKeys: String, CodingKey {
            case keystores, passwords
            case slashingProtection = "slashing_protection"
        }
    }

    private struct PubkeysBody: Decodable {
        var pubkeys: [String]
    }

    private func listKeystores() throws -> APIResponse {
        let keys = try storage.storedKeys().filter { $0.remoteURL == nil }.sorted { $0.pubkey < $1.pubkey }
        return .json(
            200,
            .object([
                (
                    "data",
                    .array(
                        keys.map { key in
                            var members: [(String, JSONValue)] = [("validating_pubkey", .string(key.pubkey))]
                            if let path = key.derivationPath { members.append(("derivation_path", .string(path))) }
                            members.append(("readonly", .bool(false)))
                            return .object(members)
                        })
                )
            ]))
    }

    private func importKeystores(_ request: APIRequest, access: any SimulationAccess) throws -> APIResponse {
        guard !request.body.isEmpty else { return .keymanagerError(400, "Empty request's body") }
        guard let body = try? JSONCoding.decode(ImportBody.self, from: request.body),
            body.keystores.count == body.passwords.count
        else {
            return .keymanagerError(400, "Invalid keystore objects found")
        }
        var interchange: SlashingInterchange?
        if let text = body.slashingProtection {
            guard let document = try? JSONCoding.decode(SlashingInterchange.self, from: Array(text.utf8)) else {
                return .keymanagerError(400, "Invalid slashing protection data")
            }
            interchange = document
        }
        // The slow part, outside the simulation lock.
        let unlocked: [Result<UnlockedKeystore, KeystoreUnlockError>] = zip(body.keystores, body.passwords).map {
            keystore, password in
            Result { () throws(KeystoreUnlockError) in try unlocker.unlock(keystoreJSON: keystore, password: password) }
        }
        let stored = Set(try storage.storedKeys().map(\.pubkey))
        return access.withSimulation { simulation, now -> APIResponse in
            if let interchange {
                do {
                    try simulation.importSlashingProtection(interchange)
                } catch {
                    return .keymanagerError(400, "\(error)")
                }
            }
            var statuses: [JSONValue] = []
            var seen = Set<String>()
            for (offset, result) in unlocked.enumerated() {
                switch result {
                case .failure(let error):
                    statuses.append(.object([("status", .string("error")), ("message", .string(error.description))]))
                case .success(let key):
                    if stored.contains(key.pubkey) || seen.contains(key.pubkey)
                        || simulation.validators[key.pubkey] != nil
                    {
                        statuses.append(.object([("status", .string("duplicate"))]))
                        continue
                    }
                    do {
                        try storage.saveLocal(
                            pubkey: key.pubkey, keystoreJSON: body.keystores[offset], password: body.passwords[offset])
                    } catch {
                        statuses.append(.object([("status", .string("error")), ("message", .string("\(error)"))]))
                        continue
                    }
                    seen.insert(key.pubkey)
                    simulation.attach(pubkey: key.pubkey, source: .keymanager, at: now)
                    statuses.append(.object([("status", .string("imported"))]))
                }
            }
            return .json(200, .object([("data", .array(statuses))]))
        }
    }

    private func deleteKeystores(_ request: APIRequest, access: any SimulationAccess) throws -> APIResponse {
        guard !request.body.isEmpty else { return .keymanagerError(400, "Empty request's body") }
        guard let body = try? JSONCoding.decode(PubkeysBody.self, from: request.body) else {
            return .keymanagerError(400, "Invalid validator's public key(s) found")
        }
        var canonical: [String] = []
        for key in body.pubkeys {
            guard let pubkey = Hex.canonicalPubkey(key) else {
                return .keymanagerError(400, "Invalid validator's public key(s) found")
            }
            canonical.append(pubkey)
        }
        let local = Set(try storage.storedKeys().filter { $0.remoteURL == nil }.map(\.pubkey))
        return access.withSimulation { simulation, now -> APIResponse in
            var statuses: [JSONValue] = []
            var exported: [String] = []
            for pubkey in canonical {
                if local.contains(pubkey) {
                    // Stop signing first (detach), then delete: the order the spec demands.
                    simulation.detach(pubkey: pubkey, at: now)
                    do {
                        _ = try storage.remove(pubkey: pubkey)
                    } catch {
                        statuses.append(.object([("status", .string("error")), ("message", .string("\(error)"))]))
                        continue
                    }
                    statuses.append(.object([("status", .string("deleted"))]))
                    exported.append(pubkey)
                } else if simulation.slashingProtection.knows(pubkey: pubkey) {
                    statuses.append(.object([("status", .string("not_active"))]))
                    exported.append(pubkey)
                } else {
                    statuses.append(.object([("status", .string("not_found"))]))
                }
            }
            let document = simulation.slashingProtection.exportInterchange(pubkeys: exported)
            let text = (try? JSONCoding.compactText(document)) ?? "{}"
            return .json(200, .object([("data", .array(statuses)), ("slashing_protection", .string(text))]))
        }
    }

    // MARK: remote keys

    private struct RemoteImportBody: Decodable {
        struct Key: Decodable {
            var pubkey: String
            var url: String?
        }
        var remoteKeys: [Key]

        enum CodingKeys: String, CodingKey { case remoteKeys = "remote_keys" }
    }

    private func listRemoteKeys() throws -> APIResponse {
        let keys = try storage.storedKeys().filter { $0.remoteURL != nil }.sorted { $0.pubkey < $1.pubkey }
        return .json(
            200,
            .object([
                (
                    "data",
                    .array(
                        keys.map { key in
                            .object([
                                ("pubkey", .string(key.pubkey)), ("url", .string(key.remoteURL ?? "")),
                                ("readonly", .bool(false)),
                            ])
                        })
                )
            ]))
    }

    private func importRemoteKeys(_ request: APIRequest, access: any SimulationAccess) throws -> APIResponse {
        guard let body = try? JSONCoding.decode(RemoteImportBody.self, from: request.body) else {
            return .keymanagerError(400, "Invalid remote keys")
        }
        let stored = Set(try storage.storedKeys().map(\.pubkey))
        return access.withSimulation { simulation, now -> APIResponse in
            var statuses: [JSONValue] = []
            var seen = Set<String>()
            for key in body.remoteKeys {
                guard let pubkey = Hex.canonicalPubkey(key.pubkey), let url = key.url, !url.isEmpty else {
                    statuses.append(
                        .object([("status", .string("error")), ("message", .string("Invalid key or URL"))]))
                    continue
                }
                if stored.contains(pubkey) || seen.contains(pubkey) {
                    statuses.append(.object([("status", .string("duplicate"))]))
                    continue
                }
                do {
                    try storage.saveRemote(pubkey: pubkey, url: url)
                } catch {
                    statuses.append(.object([("status", .string("error")), ("message", .string("\(error)"))]))
                    continue
                }
                seen.insert(pubkey)
                simulation.attach(pubkey: pubkey, source: .remote, at: now)
                statuses.append(.object([("status", .string("imported"))]))
            }
            return .json(200, .object([("data", .array(statuses))]))
        }
    }

    private func deleteRemoteKeys(_ request: APIRequest, access: any SimulationAccess) throws -> APIResponse {
        guard let body = try? JSONCoding.decode(PubkeysBody.self, from: request.body) else {
            return .keymanagerError(400, "Invalid validator's public key(s) found")
        }
        let remote = Set(try storage.storedKeys().filter { $0.remoteURL != nil }.map(\.pubkey))
        return access.withSimulation { simulation, now -> APIResponse in
            .json(
                200,
                .object([
                    (
                        "data",
                        .array(
                            body.pubkeys.map { key in
                                guard let pubkey = Hex.canonicalPubkey(key), remote.contains(pubkey) else {
                                    return .object([("status", .string("not_found"))])
                                }
                                simulation.detach(pubkey: pubkey, at: now)
                                guard (try? storage.remove(pubkey: pubkey)) != nil else {
                                    return .object([
                                        ("status", .string("error")), ("message", .string("could not remove")),
                                    ])
                                }
                                return .object([("status", .string("deleted"))])
                            })
                    )
                ]))
        }
    }

    // MARK: per-key settings

    private func perKeySetting(_ request: APIRequest) throws -> APIResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        guard let pubkey = Hex.canonicalPubkey(parts[3]) else {
            return .keymanagerError(400, "Invalid validator's public key")
        }
        guard try storage.storedKeys().contains(where: { $0.pubkey == pubkey }) else {
            return .keymanagerError(404, "Validator not found")
        }
        let setting: ValidatorSetting =
            switch parts[4] {
            case "feerecipient": .feeRecipient
            case "gas_limit": .gasLimit
            default: .graffiti
            }
        switch request.method {
        case "GET":
            let data: [(String, JSONValue)] =
                switch setting {
                case .feeRecipient:
                    [
                        ("pubkey", .string(pubkey)),
                        (
                            "ethaddress",
                            .string(
                                storage.setting(setting, pubkey: pubkey)
                                    ?? defaults.feeRecipient)
                        ),
                    ]
                case .gasLimit:
                    [
                        ("pubkey", .string(pubkey)),
                        (
                            "gas_limit",
                            .string(
                                storage.setting(setting, pubkey: pubkey)
                                    ?? "\(defaults.gasLimit)")
                        ),
                    ]
                case .graffiti:
                    [
                        ("pubkey", .string(pubkey)),
                        (
                            "graffiti",
                            .string(
                                storage.setting(setting, pubkey: pubkey)
                                    ?? defaults.graffiti)
                        ),
                    ]
                }
            return .json(200, .object([("data", .object(data))]))
        case "POST":
            guard let value = settingValue(setting, body: request.body) else {
                return .keymanagerError(400, "Invalid \(parts[4]) request")
            }
            try storage.setSetting(setting, pubkey: pubkey, value: value)
            return .empty(202)
        case "DELETE":
            try storage.setSetting(setting, pubkey: pubkey, value: nil)
            return .empty(204)
        default:
            return .keymanagerError(405, "Method not allowed")
        }
    }

    private struct FeeRecipientBody: Decodable { var ethaddress: String }
    private struct GasLimitBody: Decodable {
        var gasLimit: String
        enum CodingKeys: String, CodingKey { case gasLimit = "gas_limit" }
    }
    private struct GraffitiBody: Decodable { var graffiti: String }

    /// The validated value of a POST body, nil when invalid.
    private func settingValue(_ setting: ValidatorSetting, body: [UInt8]) -> String? {
        switch setting {
        case .feeRecipient:
            guard let address = (try? JSONCoding.decode(FeeRecipientBody.self, from: body))?.ethaddress,
                address.hasPrefix("0x"), let bytes = Hex.bytes(address), bytes.count == 20,
                bytes.contains(where: { $0 != 0 })
            else { return nil }  // the spec forbids the zero address
            return address.lowercased()
        case .gasLimit:
            guard let text = (try? JSONCoding.decode(GasLimitBody.self, from: body))?.gasLimit,
                let limit = UInt64(text), limit > 0
            else { return nil }
            return "\(limit)"
        case .graffiti:
            guard let text = (try? JSONCoding.decode(GraffitiBody.self, from: body))?.graffiti,
                text.utf8.count <= 32
            else { return nil }
            return text
        }
    }
}
