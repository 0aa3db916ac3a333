import Synchronization
import Foundation
import Logging
import NimbusIPC

/// What every role executable does before its own work: refuse to run outside the supervisor, parse the
/// supervisor's arguments, label its log lines, and wait for the end.
public enum RoleProcess {
    /// Exits with `RoleExitCode.usage` unless descriptors 3... are the sockets the supervisor placed there.
    /// A role started by hand has none, and gets a one-line explanation instead of undefined behaviour.
    public static func requireLinks(of role: Role, executable: String) {
        let expected = 1 + Link.peerLinks(of: role).count
        for offset in 0..<expected {
            var info = stat()
            if fstat(FixedDescriptor.supervisor + Int32(offset), &info) != 0 || info.st_mode & S_IFMT != S_IFSOCK {
                let message = "\(executable) is started by nimbus-node-manager and is not for direct use\n"
                FileHandle.standardError.write(Data(message.utf8))
                exit(RoleExitCode.usage)
            }
        }
    }

    /// Parses the role's command line or exits with `RoleExitCode.usage`.
    public static func arguments(executable: String) -> RoleArguments {
        do {
            return try RoleArguments.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("\(executable): \(error.description)\n".utf8))
            exit(RoleExitCode.usage)
        }
    }

    /// Logs `message` as critical and exits with `code`.
    public static func fail(_ logger: Logger, _ message: String, code: Int32) -> Never {
        logger.critical("\(message)", metadata: ["exit_code": "\(code)"])
        exit(code)
    }
}

/// A latch the main thread waits on until the role decides to stop; the first `finish` wins.
public final class ShutdownLatch: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let reason = Mutex<String?>(nil)

    public init() {}

    /// Records why the role stops and wakes `wait()`. Later calls are ignored.
    public func finish(_ why: String) {
        let first = reason.withLock { current -> Bool in
            guard current == nil else { return false }
            current = why
            return true
        }
        if first { semaphore.signal() }
    }

    /// Blocks until `finish`, returning the reason.
    public func wait() -> String {
        semaphore.wait()
        return reason.withLock { $0 ?? "" }
    }
}
