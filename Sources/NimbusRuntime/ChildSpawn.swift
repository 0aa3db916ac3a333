import CNimbusSpawn
import Glibc

/// Starting a child process through the C spawn shim (`CNimbusSpawn/spawn.c`), so that no Swift code runs between
/// fork and exec. The one Swift entry to `nm_spawn` for the supervisor, the installer and the CLI.
public struct ChildSpawn: Sendable {
    /// Absolute path of the executable; `argv[0]` is taken from `arguments.first` as given.
    public var path: String
    public var arguments: [String]
    public var environment: [String]
    /// Placed at 3, 4, ... in the child; every other descriptor above 2 is closed.
    public var descriptors: [Int32] = []
    public var newNetNamespace = false
    public var newUserNamespace = false
    /// Standard input, output and error of the child; nil keeps the parent's.
    public var standardInput: Int32?
    public var standardOutput: Int32?
    public var standardError: Int32?
    /// The identity the child takes before exec (uid, gid, supplementary groups); nil keeps the parent's.
    public var identity: (uid: UInt32, gid: UInt32, groups: [UInt32])?
    /// Sent to the child when the spawning thread dies; SIGKILL by default.
    public var deathSignal: Int32 = SIGKILL

    public init(path: String, arguments: [String], environment: [String]) {
        self.path = path
        self.arguments = arguments
        self.environment = environment
    }

    /// Why a spawn failed: the set-up step in the child (or fork in the parent) and its errno.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var step: Int32
        public var errno: Int32

        public var description: String {
            let what = switch step {
            case 1: "fork"
            case 2: "resetting signals"
            case 3: "starting a session"
            case 4: "entering a user namespace"
            case 5: "entering a network namespace"
            case 6: "placing descriptors"
            case 7: "exec"
            case 8: "taking the user and groups"
            case 9: "placing standard input and output"
            default: "step \(step)"
            }
            return "\(what) failed: \(String(cString: strerror(errno)))"
        }
    }

    /// Forks and execs; returns the child's pid once exec has succeeded.
    public func spawn() throws(Failure) -> pid_t {
        var pid: pid_t = 0
        var step: Int32 = 0
        var error: Int32 = 0
        let groups = identity?.groups.map { gid_t($0) } ?? []
        let result = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                descriptors.withUnsafeBufferPointer { fds in
                    groups.withUnsafeBufferPointer { groupList in
                        path.withCString { pathPointer in
                            var request = nm_spawn_request(
                                path: pathPointer, argv: argv, envp: envp, fds: fds.baseAddress,
                                nfds: Int32(fds.count), new_net_namespace: newNetNamespace ? 1 : 0,
                                new_user_namespace: newUserNamespace ? 1 : 0, stdin_fd: standardInput ?? -1,
                                stdout_fd: standardOutput ?? -1, stderr_fd: standardError ?? -1,
                                set_identity: identity == nil ? 0 : 1, uid: uid_t(identity?.uid ?? 0),
                                gid: gid_t(identity?.gid ?? 0), groups: groupList.baseAddress,
                                ngroups: Int32(groupList.count), death_signal: deathSignal)
                            return nm_spawn(&request, &pid, &step, &error)
                        }
                    }
                }
            }
        }
        guard result == 0 else { throw Failure(step: step, errno: error) }
        return pid
    }
}

/// Calls `body` with a NULL-terminated C array of the strings, valid only during the call.
public func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
