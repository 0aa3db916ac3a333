import ArgumentParser
import Foundation
import NimbusKeysSession

/// `nimbus keys ...`: validator keys, held by the signer. Every command is a session with the signer (through the
/// daemon, or `--offline` with a sandboxed signer of this CLI's own); docs/cli.md and docs/keys-session.md.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Generate, import, export, list and delete validator keys; check deposit data.",
        subcommands: [
            NewMnemonic<SignerOptions>.self, Generate<SignerOptions>.self, List<SignerOptions>.self,
            Import<SignerOptions>.self, Export<SignerOptions>.self, Delete<SignerOptions>.self,
            VerifyDepositData<SignerOptions>.self, DepositData<SignerOptions>.self,
        ])
}

/// Where the session goes: the daemon's signer, or an offline one.
struct SignerOptions: KeysSignerSource {
    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: ArgumentHelp(
        "Run the signer here, as a sandboxed child without network, instead of asking the node manager.",
        discussion: "For an air-gapped machine. Keys are kept in --offline-dir."))
    var offline = false

    @Option(name: .long, help: "Key store of --offline (default: $XDG_DATA_HOME/nimbus-node-manager/offline-signer, else ~/.local/share/...).")
    var offlineDir: String?

    @Option(name: .long, help: "Seccomp policy directory for --offline (default: found next to this program).")
    var policyDir: String?

    @Option(name: .customLong("offline-withdrawal-address"), help: "With --offline: refuse deposits that withdraw anywhere else.")
    var offlineWithdrawalAddress: String?

    func open() throws -> KeysSessionClient {
        guard offline else { return try KeysSessionClient.connect(controlSocket: connection.resolvedSocket) }
        return try KeysSessionClient.offline(
            stateDir: offlineDir ?? Self.defaultOfflineDir(), policyDir: policyDir,
            withdrawalAddress: offlineWithdrawalAddress)
    }

    static func defaultOfflineDir() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/nimbus-node-manager/offline-signer" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/nimbus-node-manager/offline-signer"
    }
}

extension KeysCommand {
    struct NewMnemonic<Source: KeysSignerSource>: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
            commandName: "new-mnemonic",
            abstract: "Create a new BIP-39 mnemonic in the signer and show it once, for a written backup.") }

        @OptionGroup var signer: Source

        @Option(name: .long, help: "12, 15, 18, 21 or 24.")
        var words = 24

        @Flag(name: .long, help: "Print the mnemonic alone on stdout, with no confirmation step (for scripts).")
        var nonInteractive = false

        func run() async { await reportingErrors { try await KeysConversation.offPool(body) } }

        private func body() throws {
            let client = try signer.open()
            var request = KeysRequest(.newMnemonic)
            request.words = words
            request.confirm = !nonInteractive
            try client.send(request)
            let result = try client.awaitResult(onSecret: { phrase in
                if nonInteractive {
                    FileHandle.standardOutput.write(Data(phrase + [0x0A]))
                    return
                }
                let words = String(decoding: phrase, as: UTF8.self).split(separator: " ")
                var shown = "\nThis is your mnemonic. Write it down, in order, on paper; keep it offline and private.\n"
                    + "Anyone who has it controls these validators' keys; without it they cannot be recovered.\n\n"
                for (index, word) in words.enumerated() {
                    shown += String(repeating: " ", count: index + 1 < 10 ? 1 : 0) + "\(index + 1). \(word)\n"
                }
                FileHandle.standardError.write(Data((shown + "\nPress Enter when you have written it down.").utf8))
                var pause = try SecretInput.prompt("", echo: true)
                SecretInput.wipe(&pause)
                // Clear the screen and the scrollback so that the words do not stay on display.
                FileHandle.standardError.write(Data("\u{1B}[H\u{1B}[2J\u{1B}[3J".utf8))
                var typed = try SecretInput.prompt("Type the mnemonic from your written copy, words separated by spaces: ", echo: true)
                try client.sendSecret(&typed)
            })
            if !nonInteractive {
                guard result.confirmed == true else { throw CLIError(description: "the mnemonic was not confirmed") }
                print("Mnemonic confirmed. Generate keys from it with `nimbus keys generate` (it asks for the mnemonic).")
            }
        }
    }

    struct Generate<Source: KeysSignerSource>: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
            commandName: "generate",
            abstract: "Derive validator keys from a mnemonic; the signer keeps the keystores, and the keystores and deposit data are written to --out.") }

        @OptionGroup var signer: Source

        @Option(name: .long, help: "How many validators.")
        var count: Int

        @OptionGroup var terms: DepositTerms

        @Option(name: .long, help: "EIP-55 checksummed execution address for withdrawals (0x01, or 0x02 with --compounding).")
        var withdrawalAddress: String?

        @Flag(name: .long, help: "0x00 BLS withdrawal credentials instead of an address (not recommended).")
        var blsWithdrawal = false

        @Option(name: .long, help: "The first validator index (EIP-2334), to add keys to an existing mnemonic.")
        var startIndex: UInt32 = 0

        @Option(name: .long, help: "Read the mnemonic from this file instead of asking.")
        var mnemonicFile: String?

        @Option(name: .long, help: "Read the BIP-39 passphrase from this file (most mnemonics have none).")
        var mnemonicPassphraseFile: String?

        @Option(name: .long, help: "Read the keystore password from this file instead of asking.")
        var keystorePasswordFile: String?

        @Option(name: .long, help: "scrypt (default) or pbkdf2.")
        var kdf = "scrypt"

        @Option(name: .long, help: "Directory for the keystore and deposit data files (created; default ./validator_keys).")
        var out = "validator_keys"

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func run() async { await reportingErrors { try await KeysConversation.offPool(body) } }

        private func body() throws {
            // Check the output directory before asking for secrets.
            let directory = try OutputDirectory(out)
            var mnemonic = try mnemonicFile.map { try SecretInput.fromFile($0, what: "mnemonic") }
                ?? SecretInput.prompt("Mnemonic (words separated by spaces): ", echo: true)
            defer { SecretInput.wipe(&mnemonic) }
            var password = try keystorePasswordFile.map { try SecretInput.fromFile($0, what: "keystore password") }
                ?? SecretInput.newPassword()
            defer { SecretInput.wipe(&password) }
            var passphrase = try mnemonicPassphraseFile.map { try SecretInput.fromFile($0, what: "passphrase") }
            defer { if passphrase != nil { SecretInput.wipe(&passphrase!) } }

            let client = try signer.open()
            var request = KeysRequest(.generate)
            request.generate = GenerateParameters(
                count: count, network: terms.network, forkVersion: terms.forkVersion, withdrawalAddress: withdrawalAddress,
                blsWithdrawal: blsWithdrawal, compounding: terms.compounding, amountGwei: terms.amount, startIndex: startIndex,
                kdf: kdf, hasPassphrase: passphrase != nil)
            try client.send(request)
            try client.sendSecret(&mnemonic)
            try client.sendSecret(&password)
            if passphrase != nil { try client.sendSecret(&passphrase!) }
            let progress = ProgressLine()
            let result = try client.awaitResult(onProgress: progress.show, onFile: directory.write)
            progress.finish()
            if json {
                print(JSONOutput.pretty(result))
                return
            }
            print("Generated \(result.keys?.count ?? 0) validator key(s) on \(terms.network); the signer keeps the keystores.")
            for key in result.keys ?? [] { print("  \(key.pubkey)  \(key.path)") }
            print("Files in \(directory.path):")
            for file in result.files ?? [] { print("  \(file)") }
        }
    }

    struct List<Source: KeysSignerSource>: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "list", abstract: "List the keys the signer holds.") }

        @OptionGroup var signer: Source

        @Flag(name: .long, help: "Print the stable JSON form.")
        var json = false

        func run() async { await reportingErrors { try await KeysConversation.offPool(body) } }

        private func body() throws {
            let client = try signer.open()
            try client.send(KeysRequest(.list))
            let result = try client.awaitResult()
            let keys = result.keys ?? []
            if json {
                print(JSONOutput.pretty(keys))
                return
            }
            if keys.isEmpty {
                print("the signer holds no keys")
                return
            }
            for key in keys {
                print("\(key.pubkey)  \(key.path.isEmpty ? "-" : key.path)  \(key.source)  \(key.createdAt)")
            }
        }
    }

    struct Import<Source: KeysSignerSource>: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
            commandName: "import", abstract: "Import EIP-2335 keystores into the signer (all or nothing).") }

        @OptionGroup var signer: Source

        @Argument(help: "Keystore files.")
        var files: [String]

        @Option(name: .long, help: "File holding the keystores' password.")
        var passwordFile: String

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func run() async { await reportingErrors { try await KeysConversation.offPool(body) } }

        private func body() throws {
            guard !files.isEmpty else { throw CLIError(description: "name at least one keystore file") }
            var contents: [SessionFile] = []
            for path in files {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw CLIError(description: "cannot read keystore file \(path)")
                }
                contents.append(try SessionFile(name: (path as NSString).lastPathComponent, contents: [UInt8](data)))
            }
            var password = try SecretInput.fromFile(passwordFile, what: "password")
            defer { SecretInput.wipe(&password) }
            let client = try signer.open()
            var request = KeysRequest(.importKeystores)
            request.fileCount = contents.count
            try client.send(request)
            for file in contents { try client.transport.send(SessionFrame.file(file)) }
            try client.sendSecret(&password)
            let progress = ProgressLine()
            let result = try client.awaitResult(onProgress: progress.show)
            progress.finish()
            if json {
                print(JSONOutput.pretty(result))
                return
            }
            for key in result.keys ?? [] { print("imported \(key.pubkey)") }
            for pubkey in result.alreadyHeld ?? [] { print("already held \(pubkey)") }
        }
    }

    struct Export<Source: KeysSignerSource>: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
            commandName: "export", abstract: "Write a key's keystore (encrypted, as stored) to a directory.") }

        @OptionGroup var signer: Source

        @Argument(help: "The validator's public key (0x + 96 hex digits).")
        var pubkey: String

        @Option(name: .long, help: "Directory to write the keystore into (created).")
        var out: String

        func run() async { await reportingErrors { try await KeysConversation.offPool(body) } }

        private func body() throws {
            let directory = try OutputDirectory(out)
            let client = try signer.open()
            var request = KeysRequest(.export)
            request.pubkey = pubkey
            try client.send(request)
            let result = try client.awaitResult(onFile: directory.write)
            for file in result.files ?? [] { print("\(directory.path)/\(file)") }
        }
    }

    struct Delete<Source: KeysSignerSource>: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
            commandName: "delete", abstract: "Delete a key from the signer (export it first if you need it).") }

        @OptionGroup var signer: Source

        @Argument(help: "The validator's public key (0x + 96 hex digits).")
        var pubkey: String

        @Flag(name: .long, help: "Do not ask for confirmation.")
        var yes = false

        func run() async { await reportingErrors { try await KeysConversation.offPool(body) } }

        private func body() throws {
            if !yes {
                guard isatty(STDIN_FILENO) == 1 else {
                    throw CLIError(description: "deleting a key needs confirmation: run at a terminal, or pass --yes")
                }
                let answer = try SecretInput.prompt(
                    "Delete \(pubkey) from the signer? The keystore is gone unless you exported it. Type yes: ", echo: true)
                guard answer == Array("yes".utf8) else { throw CLIError(description: "not deleted") }
            }
            let client = try signer.open()
            var request = KeysRequest(.delete)
            request.pubkey = pubkey
            try client.send(request)
            _ = try client.awaitResult()
            print("deleted \(pubkey)")
        }
    }

    struct VerifyDepositData<Source: KeysSignerSource>: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
            commandName: "verify-deposit-data",
            abstract: "Check a deposit data file (roots, signatures, network, amounts, credentials) before depositing.") }

        @OptionGroup var signer: Source

        @Argument(help: "The deposit_data-*.json file.")
        var file: String

        @Option(name: .long, help: "The network the deposits are for.")
        var network: String

        @Option(name: .long, help: "A custom network's genesis fork version (0x + 8 hex digits).")
        var forkVersion: String?

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func run() async { await reportingErrors { try await KeysConversation.offPool(body) } }

        private func body() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CLIError(description: "cannot read deposit data file \(file)")
            }
            let client = try signer.open()
            var request = KeysRequest(.verifyDepositData)
            request.network = network
            request.forkVersion = forkVersion
            try client.send(request)
            try client.transport.send(SessionFrame.file(try SessionFile(
                name: (file as NSString).lastPathComponent, contents: [UInt8](data))))
            let result = try client.awaitResult()
            if json {
                print(JSONOutput.pretty(result))
                return
            }
            let deposits = result.deposits ?? []
            print("\(file): \(deposits.count) valid deposit(s) for \(network)")
            for deposit in deposits {
                print("  \(deposit.pubkey)  \(deposit.amountGwei / 1_000_000_000) ETH  credentials \(deposit.withdrawalCredentials)")
            }
        }
    }
}

extension KeysCommand {
    struct DepositData<Source: KeysSignerSource>: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: "deposit-data",
                abstract: "Sign deposit data for keys the signer already holds (imported keys, a lost file, a top-up).")
        }

        @OptionGroup var signer: Source

        @Argument(help: "The validators' public keys (0x + 96 hex digits each).")
        var pubkeys: [String]

        @OptionGroup var terms: DepositTerms

        @Option(name: .long, help: "EIP-55 checksummed execution address for withdrawals (0x01, or 0x02 with --compounding).")
        var withdrawalAddress: String

        @Option(name: .long, help: "Read the keystores' password from this file instead of asking (the keys must share it).")
        var keystorePasswordFile: String?

        @Option(name: .long, help: "Directory for the deposit data file (created; default ./validator_keys).")
        var out = "validator_keys"

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func run() async { await reportingErrors { try await KeysConversation.offPool(body) } }

        private func body() throws {
            guard !pubkeys.isEmpty else { throw CLIError(description: "name at least one public key") }
            let directory = try OutputDirectory(out)
            var password = try keystorePasswordFile.map { try SecretInput.fromFile($0, what: "keystore password") }
                ?? SecretInput.prompt("Keystore password: ", echo: false)
            defer { SecretInput.wipe(&password) }
            let client = try signer.open()
            var request = KeysRequest(.depositData)
            request.deposit = DepositParameters(
                pubkeys: pubkeys, network: terms.network, forkVersion: terms.forkVersion, withdrawalAddress: withdrawalAddress,
                compounding: terms.compounding, amountGwei: terms.amount)
            try client.send(request)
            try client.sendSecret(&password)
            let progress = ProgressLine()
            let result = try client.awaitResult(onProgress: progress.show, onFile: directory.write)
            progress.finish()
            if json {
                print(JSONOutput.pretty(result))
                return
            }
            for deposit in result.deposits ?? [] {
                print("  \(deposit.pubkey)  \(deposit.amountGwei / 1_000_000_000) ETH  credentials \(deposit.withdrawalCredentials)")
            }
            for file in result.files ?? [] { print("\(directory.path)/\(file)") }
        }
    }
}

/// What every deposit names, for `generate` and `deposit-data`.
struct DepositTerms: ParsableArguments {
    @Option(name: .long, help: "mainnet, hoodi, sepolia or holesky; any name with --fork-version for a custom network.")
    var network: String

    @Option(name: .long, help: "A custom network's genesis fork version (0x + 8 hex digits).")
    var forkVersion: String?

    @Flag(name: .long, help: "0x02 compounding credentials (deposits up to 2048 ETH).")
    var compounding = false

    @Option(name: .long, help: "Deposit amount in gwei (default 32 ETH).")
    var amount: UInt64?
}

/// A directory for files the signer sends: created 0700 if missing; files are created new (never overwritten).
struct OutputDirectory {
    let path: String

    init(_ path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CLIError(description: "\(path) exists and is not a directory") }
        } else {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
    }

    func write(_ file: SessionFile) throws {
        let target = path + "/" + file.name
        let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CLIError(description: "cannot create \(target): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var offset = 0
        while offset < file.contents.count {
            let written = file.contents[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw CLIError(description: "cannot write \(target): \(String(cString: strerror(errno)))") }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw CLIError(description: "cannot sync \(target)") }
    }
}

/// A one-line progress display on stderr (only at a terminal: scripts get no carriage returns).
final class ProgressLine {
    private let terminal = isatty(STDERR_FILENO) == 1
    private var shown = false

    func show(_ progress: KeysProgress) {
        guard terminal else { return }
        FileHandle.standardError.write(Data("\r\(progress.phase): \(progress.done)/\(progress.total)   ".utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
