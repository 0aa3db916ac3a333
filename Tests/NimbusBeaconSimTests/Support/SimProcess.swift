import Foundation
import NimbusBeaconSim

/// A `nimbus-beacon-sim` process started by a test, its output in a file, stopped at the end.
final class SimProcess: @unchecked Sendable {
    // @unchecked: used from one test at a time.
    let process = Process()
    let logURL: URL
    let arguments: [String]

    /// Starts the simulator with `arguments`.
    init(_ arguments: [String], label: String = "sim") throws {
        self.arguments = arguments
        logURL = Paths.temporaryDirectory("log").appendingPathComponent("\(label).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.executableURL = URL(fileURLWithPath: Paths.simulator)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    /// Runs the simulator to completion; returns (status, output).
    static func runToEnd(_ arguments: [String], timeout: Double = 30) throws -> (status: Int32, output: String) {
        let sim = try SimProcess(arguments)
        guard let status = sim.waitForExit(timeout: timeout) else {
            sim.stop()
            throw TinyHTTPClient.Failure(description: "simulator did not exit within \(timeout) s: \(sim.output)")
        }
        return (status, sim.output)
    }

    var output: String {
        (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    }

    var isRunning: Bool { process.isRunning }

    /// The exit status, or nil if still running after `timeout` seconds.
    func waitForExit(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// SIGTERM, then SIGKILL after 5 s.
    @discardableResult
    func stop() -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        if let status = waitForExit(timeout: 5) { return status }
        kill(process.processIdentifier, SIGKILL)
        return waitForExit(timeout: 5)
    }

    /// SIGKILL: a crash the process cannot see coming.
    func killHard() {
        kill(process.processIdentifier, SIGKILL)
        _ = waitForExit(timeout: 5)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: logURL.deletingLastPathComponent())
    }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
@discardableResult
func eventually(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(50_000)
    }
    return condition()
}

/// Test keys: the EIP-2335 vector keystore (password from the vector) and generated ones with cheap KDFs.
enum TestKeys {
    /// "𝔱𝔢𝔰𝔱𝔭𝔞𝔰𝔰𝔴𝔬𝔯𝔡🔑", spelled out so that no editor normalises it.
    static let vectorPassword =
        "\u{1D531}\u{1D522}\u{1D530}\u{1D531}\u{1D52D}\u{1D51E}\u{1D530}\u{1D530}"
        + "\u{1D534}\u{1D52C}\u{1D52F}\u{1D521}\u{1F511}"
    static let vectorPubkey =
        "0x9612d7a727c9d0a22e185a1c768478dfe919cada9266988cb32359c11f2b7b27f4ae4040902382ae2910c15e2b420d07"

    static var vectorKeystore: String {
        (try? String(contentsOf: Paths.vectors.appendingPathComponent("eip2335/test0.json"), encoding: .utf8)) ?? ""
    }

    /// A keystore for secret `n` (a small valid BLS scalar) under `password`.
    static func generated(_ n: UInt8, password: String) throws -> (json: String, pubkey: String) {
        try NimbusKeysUnlocker.makeTestKeystore(
            secretHex: String(repeating: "00", count: 31) + String(format: "%02x", n), password: password)
    }

    /// Lays out `validators/<pubkey>/keystore.json` and `secrets/<pubkey>` as Nimbus does.
    static func install(json: String, pubkey: String, password: String, in dataDir: URL) throws {
        let folder = dataDir.appendingPathComponent("validators/\(pubkey)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try json.write(to: folder.appendingPathComponent("keystore.json"), atomically: true, encoding: .utf8)
        let secrets = dataDir.appendingPathComponent("secrets")
        try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
        try password.write(to: secrets.appendingPathComponent(pubkey), atomically: true, encoding: .utf8)
    }
}
