import Foundation

/// A command of a `nimbus keys` session (the body of a `request` frame). One flat shape for every command: fields a
/// command does not use must be absent. docs/keys-session.md lists, per command, its fields and the frames that
/// follow it.
public struct KeysRequest: Codable, Sendable, Equatable {
    public enum Command: String, Codable, Sendable, CaseIterable {
        case newMnemonic = "new-mnemonic"
        case generate
        case list
        case importKeystores = "import"
        case export
        case delete
        case verifyDepositData = "verify-deposit-data"
        /// Sign deposits for keys the signer already holds (the keystore password follows as a secret frame).
        case depositData = "deposit-data"
        /// Pair a device with the code it shows (the code follows as a secret frame).
        case pair
        /// The paired devices.
        case devices
        /// Revoke a paired device (`deviceID`), effective at once.
        case revokeDevice = "revoke-device"
    }

    public var command: Command
    /// new-mnemonic: 12, 15, 18, 21 or 24 words.
    public var words: Int?
    /// new-mnemonic: whether the client will send the phrase back, as typed by the person, to confirm the backup.
    public var confirm: Bool?
    /// generate: what to generate.
    public var generate: GenerateParameters?
    /// export, delete: the validator's public key (0x + 96 hex digits).
    public var pubkey: String?
    /// verify-deposit-data: the network the file must be for.
    public var network: String?
    /// verify-deposit-data, generate: a custom network's genesis fork version (0x + 8 hex digits).
    public var forkVersion: String?
    /// import: how many keystore files follow.
    public var fileCount: Int?
    /// pair: the name the device will know this host by.
    public var hostName: String?
    /// revoke-device: the device's id, as `devices` lists it.
    public var deviceID: Int64?
    /// deposit-data: which held keys, and the deposits to sign for them.
    public var deposit: DepositParameters?

    public init(_ command: Command) {
        self.command = command
    }
}

/// What `generate` makes. The mnemonic and the keystore password follow as `secret` frames, in that order, then
/// the BIP-39 passphrase when `hasPassphrase`.
extension KeysRequest.Command {
    /// What a paired device may ask through a keys channel (docs/keys-channel.md): the key commands. Pairing and
    /// revoking devices stay with the person at the host.
    public static let keyCommands: Set<KeysRequest.Command> = [
        .newMnemonic, .generate, .list, .importKeystores, .export, .delete, .verifyDepositData, .depositData,
    ]
}

/// `deposit-data`: deposits for keys the signer holds (an imported key's first deposit, a lost deposit data file, a
/// top-up). 0x00 credentials need the withdrawal key, which only the mnemonic gives: `generate` makes those.
public struct DepositParameters: Codable, Sendable, Equatable {
    /// 0x + 96 hex digits each; no repeats.
    public var pubkeys: [String]
    public var network: String
    public var forkVersion: String?
    /// EIP-55 checksummed execution address for 0x01 (or, with `compounding`, 0x02) credentials.
    public var withdrawalAddress: String
    public var compounding: Bool
    /// Default 32 ETH.
    public var amountGwei: UInt64?

    public init(
        pubkeys: [String], network: String, forkVersion: String? = nil, withdrawalAddress: String, compounding: Bool = false,
        amountGwei: UInt64? = nil
    ) {
        self.pubkeys = pubkeys
        self.network = network
        self.forkVersion = forkVersion
        self.withdrawalAddress = withdrawalAddress
        self.compounding = compounding
        self.amountGwei = amountGwei
    }
}

public struct GenerateParameters: Codable, Sendable, Equatable {
    public var count: Int
    public var network: String
    public var forkVersion: String?
    /// EIP-55 checksummed execution address for 0x01 (or, with `compounding`, 0x02) credentials.
    public var withdrawalAddress: String?
    /// 0x00 (BLS) withdrawal credentials instead of an address: an explicit choice, never a default.
    public var blsWithdrawal: Bool
    public var compounding: Bool
    public var amountGwei: UInt64?
    public var startIndex: UInt32
    /// "scrypt" (default) or "pbkdf2".
    public var kdf: String
    public var hasPassphrase: Bool

    public init(
        count: Int, network: String, forkVersion: String? = nil, withdrawalAddress: String?, blsWithdrawal: Bool = false,
        compounding: Bool = false, amountGwei: UInt64? = nil, startIndex: UInt32 = 0, kdf: String = "scrypt",
        hasPassphrase: Bool = false
    ) {
        self.count = count
        self.network = network
        self.forkVersion = forkVersion
        self.withdrawalAddress = withdrawalAddress
        self.blsWithdrawal = blsWithdrawal
        self.compounding = compounding
        self.amountGwei = amountGwei
        self.startIndex = startIndex
        self.kdf = kdf
        self.hasPassphrase = hasPassphrase
    }
}

/// How far a long command has got (the body of a `progress` frame).
public struct KeysProgress: Codable, Sendable, Equatable {
    /// What is being done, e.g. "deriving the keystore key", "validators", "decrypting keystores".
    public var phase: String
    public var done: Int
    public var total: Int

    public init(phase: String, done: Int, total: Int) {
        self.phase = phase
        self.done = done
        self.total = total
    }
}

/// A key the signer holds (public facts only).
public struct KeyInfo: Codable, Sendable, Equatable {
    public var pubkey: String
    /// The EIP-2334 path, or "" when an imported keystore names none.
    public var path: String
    /// "generated" or "imported".
    public var source: String
    public var createdAt: String

    public init(pubkey: String, path: String, source: String, createdAt: String) {
        self.pubkey = pubkey
        self.path = path
        self.source = source
        self.createdAt = createdAt
    }
}

/// A paired device (public facts only).
public struct DeviceInfo: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    /// The device's pinned X25519 static key, hex.
    public var staticKey: String
    public var pairedAt: String
    public var revokedAt: String?
    /// `cpace` (`nimbus pair CODE`, authenticated in the signer) or `waku-noise` (`nimbus pair --qr`, run by the
    /// network role); nil from older signers.
    public var method: String?

    public init(id: Int64, name: String, staticKey: String, pairedAt: String, revokedAt: String?, method: String? = nil) {
        self.id = id
        self.name = name
        self.staticKey = staticKey
        self.pairedAt = pairedAt
        self.revokedAt = revokedAt
        self.method = method
    }
}

/// One checked deposit of `verify-deposit-data` or `generate`.
public struct DepositSummary: Codable, Sendable, Equatable {
    public var pubkey: String
    public var withdrawalCredentials: String
    public var amountGwei: UInt64
    public var network: String

    public init(pubkey: String, withdrawalCredentials: String, amountGwei: UInt64, network: String) {
        self.pubkey = pubkey
        self.withdrawalCredentials = withdrawalCredentials
        self.amountGwei = amountGwei
        self.network = network
    }
}

/// The end of a command (the body of a `result` frame). Files travel before it in `file` frames; `files` names them.
public struct KeysResult: Codable, Sendable, Equatable {
    public var keys: [KeyInfo]?
    public var files: [String]?
    public var deposits: [DepositSummary]?
    /// new-mnemonic: whether the person's copy matched.
    public var confirmed: Bool?
    /// import: keys already held, left as they were.
    public var alreadyHeld: [String]?
    /// pair, devices, revoke-device.
    public var devices: [DeviceInfo]?

    public init(
        keys: [KeyInfo]? = nil, files: [String]? = nil, deposits: [DepositSummary]? = nil, confirmed: Bool? = nil,
        alreadyHeld: [String]? = nil, devices: [DeviceInfo]? = nil
    ) {
        self.keys = keys
        self.files = files
        self.deposits = deposits
        self.confirmed = confirmed
        self.alreadyHeld = alreadyHeld
        self.devices = devices
    }
}

/// Why a command failed (the body of a `failure` frame): a stable code for scripts and one line for people.
public struct KeysFailure: Codable, Sendable, Equatable, Error, CustomStringConvertible {
    public enum Code: String, Codable, Sendable {
        case badRequest = "bad_request"
        case denied
        case invalidMnemonic = "invalid_mnemonic"
        case mnemonicMismatch = "mnemonic_mismatch"
        case wrongPassword = "wrong_password"
        case malformedKeystore = "malformed_keystore"
        case unknownNetwork = "unknown_network"
        case badAddress = "bad_address"
        case amountOutOfRange = "amount_out_of_range"
        case policy
        case notFound = "not_found"
        case invalidDepositData = "invalid_deposit_data"
        case invalidCode = "invalid_code"
        case pairingFailed = "pairing_failed"
        case storage
        case `internal`
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// JSON bodies of session frames: compact, keys sorted (stable for tests and logs of shapes).
public enum SessionJSON {
    public static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every type encoded here is plain data; encoding cannot fail.
        return Array(try! encoder.encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], what: String) throws(SessionError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw .malformedJSON(what: what)
        }
    }

    public static func frame(_ kind: SessionFrame.Kind, _ value: some Encodable) -> SessionFrame {
        SessionFrame(kind, encode(value))
    }
}
