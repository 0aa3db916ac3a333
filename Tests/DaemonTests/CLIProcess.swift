import Foundation

/// A `nimbus` CLI running beside a test (`nimbus remote invite` waiting for a host, say): its stdout read line by
/// line as it prints, then the rest and its exit status. Killed if still running when released.
final class CLIProcess: @unchecked Sendable {
    // @unchecked: the test drives it from one task at a time; `finish` hands the pipes to one thread.
    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    private var buffered = Data()

    init(_ arguments: [String]) throws {
        process.executableURL = try Daemon.executable("nimbus")
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// The next line on stdout, which must start with `prefix`; the rest of it. Blocks until the line is printed.
    func line(_ prefix: String) throws -> String {
        while !buffered.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffered.append(chunk)
        }
        guard let end = buffered.firstIndex(of: 0x0A) else {
            let stderr = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
            throw DaemonError("\(process.arguments?.prefix(2).joined(separator: " ") ?? "nimbus") ended before "
                + "printing \(prefix): \(stderr)")
        }
        let line = String(decoding: buffered[buffered.startIndex..<end], as: UTF8.self)
        buffered = Data(buffered[(end + 1)...])
        guard line.hasPrefix(prefix) else { throw DaemonError("expected \(prefix), got \(line)") }
        return String(line.dropFirst(prefix.count))
    }

    /// Waits for the process to end: its exit status, the rest of stdout (after the lines read) and stderr.
    func finish() async -> (status: Int32, stdout: String, stderr: String) {
        await withCheckedContinuation { continuation in
            Thread {
                let out = self.output.fileHandleForReading.readDataToEndOfFile()
                let err = self.errors.fileHandleForReading.readDataToEndOfFile()
                self.process.waitUntilExit()
                continuation.resume(returning: (
                    self.process.terminationStatus, String(decoding: self.buffered + out, as: UTF8.self),
                    String(decoding: err, as: UTF8.self)))
            }.start()
        }
    }
}
