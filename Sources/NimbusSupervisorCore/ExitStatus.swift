/// How a role's process ended, from `waitpid`.
public enum ExitStatus: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)

    /// Words for the log and for `nimbus status`: what happened and, where known, why.
    public func describe(signalName: (Int32) -> String, exitMeaning: (Int32) -> String) -> String {
        switch self {
        case let .exited(code):
            return "exited with status \(code) (\(exitMeaning(code)))"
        case let .signaled(signal):
            let name = signalName(signal)
            // SIGSYS is what seccomp's kill action delivers: name the cause, not only the signal.
            let cause = signal == 31 ? ": seccomp blocked a forbidden system call" : ""
            return "killed by signal \(signal) (\(name)\(cause))"
        }
    }
}
