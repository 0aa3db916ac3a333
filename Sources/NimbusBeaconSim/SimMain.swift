import Foundation

/// The executable's whole behaviour, so that `main.swift` stays a line.
public enum SimMain {
    /// Runs the command line `arguments` (without the program name); returns the exit status.
    public static func run(_ arguments: [String]) async -> Int32 {
        let command: SimCommand
        switch SimCommand.parse(arguments) {
        case .success(let parsed): command = parsed
        case .failure(let failure):
            printError(failure.message)
            return failure.status
        }
        switch command {
        case .version(let version):
            print(version.banner)
            return 0
        case .help:
            print(SimCommand.usage)
            return 0
        case .trustedNodeSync(let options):
            return TrustedNodeSync.run(options, now: Date().timeIntervalSince1970)
        case .ledger(let options):
            switch LedgerReport.render(options, now: Date().timeIntervalSince1970) {
            case .success(let text):
                print(text)
                return 0
            case .failure(let failure):
                printError(failure.message)
                return failure.status
            }
        case .node(let options):
            switch NodeRuntime.prepare(options: options, unlocker: defaultUnlocker) {
            case .success(let runtime):
                return await runtime.run()
            case .failure(let failure):
                // Nimbus prints the keymanager message with `echo` (standard output) and quits 1.
                if !failure.message.isEmpty { print(failure.message) }
                return failure.status
            }
        }
    }

    /// The keystore decryption this build has.
    public static var defaultUnlocker: any KeystoreUnlocking {
        #if canImport(NimbusKeys)
            NimbusKeysUnlocker()
        #else
            UnavailableUnlocker()
        #endif
    }

    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// Refuses every keystore: a build without NimbusKeys cannot decrypt (and must not pretend to).
public struct UnavailableUnlocker: KeystoreUnlocking {
    public init() {}
    public func unlock(keystoreJSON: String, password: String) throws(KeystoreUnlockError) -> UnlockedKeystore {
        throw .unavailable
    }
}
