// Wall-clock time to write N validators' keystores and deposit data from one mnemonic (what
// `ethstaker-deposit existing-mnemonic` writes), optionally against ethstaker-deposit 1.3.1 doing the same work
// (reference.py next to this file). See docs/benchmarks.md, "Keystores and deposit data".
//
// keys-bench [--kdf scrypt[:n:r:p] | pbkdf2[:c]] [--kdf-per-keystore] [--reference PYTHON] [N ...]
//
// Default: scrypt n=2^18, r=8, p=1 and N = 1 10 100. With --reference, each N runs here and then in reference.py
// (interleaved, so both see about the same machine load) and a table with the ratio reference/ours follows.

import Dispatch
import Foundation
import NimbusKeys
import Synchronization

/// The same inputs as reference.py, so that both deposit data files come out byte for byte the same.
enum Fixture {
    /// BIP-39 test vector (24 words); any valid phrase would do.
    static let mnemonic = "legal winner thank year wave sausage worth useful legal winner thank year wave sausage "
        + "worth useful legal winner thank year wave sausage worth title"
    /// The EIP-55 example address, for 0x01 withdrawal credentials.
    static let withdrawalAddress = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    static let password = "keys-bench password"
    static let amountGwei = 32 * DepositAmount.gweiPerETH
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
}

/// The benchmark's options (see the usage line at the top).
struct Options {
    var kdf = KeystoreKDF.Function.scryptDefault
    var kdfPerKeystore = false
    var referencePython: String?
    var counts = [1, 10, 100]

    init(arguments: [String]) throws {
        var rest = arguments[...]
        var counts: [Int] = []
        while let argument = rest.popFirst() {
            switch argument {
            case "--kdf":
                guard let text = rest.popFirst(), let kdf = Options.parseKDF(text) else {
                    throw BenchError(description: "--kdf takes scrypt, scrypt:n:r:p, pbkdf2 or pbkdf2:c")
                }
                self.kdf = kdf
            case "--kdf-per-keystore":
                kdfPerKeystore = true
            case "--reference":
                guard let python = rest.popFirst() else { throw BenchError(description: "--reference takes a path") }
                referencePython = python
            default:
                guard let count = Int(argument), count > 0 else {
                    throw BenchError(description: "unknown argument \(argument)")
                }
                counts.append(count)
            }
        }
        if !counts.isEmpty { self.counts = counts }
    }

    static func parseKDF(_ text: String) -> KeystoreKDF.Function? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let numbers = parts.dropFirst().compactMap { Int($0) }
        guard numbers.count == parts.count - 1 else { return nil }
        switch (parts[0], numbers.count) {
        case ("scrypt", 0): return .scryptDefault
        case ("scrypt", 3): return .scrypt(n: numbers[0], r: numbers[1], p: numbers[2])
        case ("pbkdf2", 0): return .pbkdf2Default
        case ("pbkdf2", 1): return .pbkdf2(c: numbers[0])
        default: return nil
        }
    }

    /// The --kdf argument that names `kdf` in full, as passed on to reference.py.
    var kdfText: String {
        switch kdf {
        case .scrypt(let n, let r, let p): "scrypt:\(n):\(r):\(p)"
        case .pbkdf2(let c): "pbkdf2:\(c)"
        }
    }

    /// ethstaker-deposit's `export_keystores` runs scrypt once for the whole batch (one salt, a fresh IV each) but
    /// PBKDF2 once per keystore; without --kdf-per-keystore we do exactly the same, so the work is the same.
    var kdfRunsPerKeystore: Bool {
        if case .pbkdf2 = kdf { return true }
        return kdfPerKeystore
    }
}

/// Creates `path` as ethstaker-deposit does (O_EXCL, mode 0400) and writes `text` into it.
func writeNewFile(_ path: String, _ text: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o400)
    guard descriptor >= 0 else { throw BenchError(description: "cannot create \(path): errno \(errno)") }
    defer { close(descriptor) }
    let bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
        let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard result > 0 else { throw BenchError(description: "cannot write \(path): errno \(errno)") }
        written += result
    }
}

/// Derives validators 0..<count, writes their keystores and one deposit data file (mainnet, 32 ETH, 0x01 to the
/// fixture's address) into `directory`, and returns the deposit data file's contents.
func generate(count: Int, options: Options, into directory: String) throws -> String {
    let tree = try ValidatorKeyTree(seed: Mnemonic(phrase: Fixture.mnemonic).seed())
    let target = ValidatorCredential.WithdrawalTarget.executionAddress(
        try ExecutionAddress(parsing: Fixture.withdrawalAddress))
    let timestamp = Int(Date().timeIntervalSince1970)
    // Weak parameters are allowed only so that smoke runs can use a low count; the defaults pass the floor anyway.
    let deriveKey: @Sendable () throws -> KeystoreDecryptionKey = {
        try KeystoreDecryptionKey.derive(
            password: Fixture.password, kdf: .random(options.kdf), allowWeakParameters: true)
    }
    // One scrypt run with p=1 is single-threaded: the shared key is derived first, then validators fan out.
    let sharedKey = options.kdfRunsPerKeystore ? nil : try deriveKey()

    // Validators are independent: concurrentPerform spreads them over all cores (two here), including their own
    // scrypt runs with --kdf-per-keystore. The lock is taken once per validator, around an array store.
    let results = Mutex([Result<DepositDataEntry, any Error>?](repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { index in
        let result = Result { () throws -> DepositDataEntry in
            let validator = tree.credential(validatorIndex: UInt32(index))
            let deposit = try validator.depositData(
                network: .mainnet, withdrawal: target, amountGwei: Fixture.amountGwei, bls: NimbusBLSBackend())
            let keystore = try validator.signingKeystore(key: try sharedKey ?? deriveKey(), bls: NimbusBLSBackend())
            let name = KeystoreFile.fileName(path: validator.signingPath, timestamp: timestamp)
            try writeNewFile(directory + "/" + name, KeystoreFile.contents(keystore))
            return deposit
        }
        results.withLock { $0[index] = result }
    }
    let deposits = try results.withLock { slots in try slots.map { try $0!.get() } }
    let depositData = DepositDataFile.encode(deposits)
    try writeNewFile(directory + "/" + DepositDataFile.fileName(timestamp: timestamp), depositData)
    return depositData
}

/// One timed run: seconds, and a hash of the deposit data file to tell whether both programs wrote the same bytes.
struct Measurement {
    var seconds: Double
    var depositDataDigest: String
}

/// 64-bit FNV-1a in hex, as reference.py computes it. Not a cryptographic hash: it only has to show that two files
/// differ, and it keeps the benchmark free of hash modules.
func fnv1a64(_ text: String) -> String {
    let hash = text.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    return String(format: "%016llx", hash)
}

func measure(count: Int, options: Options) throws -> Measurement {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-bench-\(UUID())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let clock = ContinuousClock()
    let start = clock.now
    let depositData = try generate(count: count, options: options, into: directory)
    let elapsed = clock.now - start
    let (seconds, attoseconds) = elapsed.components
    return Measurement(seconds: Double(seconds) + Double(attoseconds) * 1e-18, depositDataDigest: fnv1a64(depositData))
}

/// Runs reference.py for one N and reads its last output line, "ethstaker-deposit,<n>,<seconds>,<digest>".
func measureReference(python: String, count: Int, options: Options) throws -> Measurement {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("reference.py")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script.path, "--kdf", options.kdfText]
        + (options.kdfPerKeystore ? ["--kdf-per-keystore"] : []) + ["\(count)"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let fields = text.split(separator: "\n").last?.split(separator: ",") ?? []
    guard process.terminationStatus == 0, fields.count == 4, let seconds = Double(fields[2]) else {
        throw BenchError(description: "reference.py failed (status \(process.terminationStatus)):\n\(text)")
    }
    return Measurement(seconds: seconds, depositDataDigest: String(fields[3]))
}

func loadAverage() -> String {
    var loads = [Double](repeating: 0, count: 3)
    guard getloadavg(&loads, 3) == 3 else { return "unknown" }
    return loads.map { String(format: "%.2f", $0) }.joined(separator: " ")
}

func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

do {
    let options = try Options(arguments: Array(CommandLine.arguments.dropFirst()))
    let mode = options.kdfRunsPerKeystore ? "one KDF run per keystore" : "one KDF run per batch"
    print("# kdf \(options.kdfText), \(mode); load average before: \(loadAverage())")
    print("side,n,seconds,deposit_data_fnv1a64")
    var rows: [(count: Int, ours: Measurement, reference: Measurement?)] = []
    for count in options.counts {
        let ours = try measure(count: count, options: options)
        print("nimbus,\(count),\(format(ours.seconds)),\(ours.depositDataDigest)")
        let reference = try options.referencePython.map { python in
            try measureReference(python: python, count: count, options: options)
        }
        if let reference {
            print("ethstaker-deposit,\(count),\(format(reference.seconds)),\(reference.depositDataDigest)")
        }
        rows.append((count, ours, reference))
    }
    print("# load average after: \(loadAverage())")
    if options.referencePython != nil {
        print("\n| N | nimbus (s) | ethstaker-deposit (s) | reference/ours | same deposit data |")
        print("| ---: | ---: | ---: | ---: | --- |")
        for row in rows {
            guard let reference = row.reference else { continue }
            let ratio = String(format: "%.2f", reference.seconds / row.ours.seconds)
            let same = reference.depositDataDigest == row.ours.depositDataDigest ? "yes" : "NO"
            print("| \(row.count) | \(format(row.ours.seconds)) | \(format(reference.seconds)) | \(ratio) | \(same) |")
        }
    }
} catch {
    FileHandle.standardError.write(Data("keys-bench: \(error)\n".utf8))
    exit(1)
}
