/// Exit statuses of the role executables, so that the supervisor can say why a role ended.
public enum RoleExitCode {
    /// Clean exit after `shutdown` or SIGTERM.
    public static let clean: Int32 = 0
    /// Bad command line or configuration from the supervisor (sysexits EX_USAGE).
    public static let usage: Int32 = 64
    /// The peer broke the IPC protocol (sysexits EX_PROTOCOL).
    public static let protocolViolation: Int32 = 76
    /// The sandbox could not be applied (sysexits EX_OSERR): a role never runs unsandboxed by accident.
    public static let sandbox: Int32 = 71
    /// State could not be opened or migrated (sysexits EX_CANTCREAT).
    public static let storage: Int32 = 73
    /// The supervisor link closed: the supervisor is gone, so the role has no reason to live.
    public static let orphaned: Int32 = 75

    /// Words for an exit status, used in the supervisor's log and in `nimbus status`.
    public static func meaning(_ status: Int32) -> String {
        switch status {
        case clean: "clean exit"
        case usage: "bad arguments from the supervisor"
        case protocolViolation: "IPC protocol violation by a peer"
        case sandbox: "sandbox could not be applied"
        case storage: "state database could not be opened"
        case orphaned: "supervisor link closed"
        default: "unexpected exit"
        }
    }
}
