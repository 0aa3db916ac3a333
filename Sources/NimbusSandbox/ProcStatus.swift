/// The security-relevant fields of /proc/<pid>/status: identity, capabilities, no_new_privs and seccomp.
///
/// The parser is pure (`init(parsing:)`); `read(pid:)` and `readCurrentThread()` are the only parts that touch the
/// filesystem. Capabilities, no_new_privs and seccomp are per thread: /proc/<pid>/status shows the thread-group
/// leader, /proc/thread-self/status the calling thread.
public struct ProcStatus: Sendable, Equatable {
    /// The command name (`Name:`), as the kernel escapes it.
    public var name: String
    /// Process id (`Pid:`; the thread id when read through a task directory).
    public var pid: Int32
    /// Parent process id (`PPid:`).
    public var parentPID: Int32
    /// The tracing process, 0 when not traced (`TracerPid:`).
    public var tracerPID: Int32
    /// Real, effective, saved and filesystem user ids (`Uid:`).
    public var realUID: UInt32
    /// The effective user id.
    public var effectiveUID: UInt32
    /// The saved set-user-id.
    public var savedUID: UInt32
    /// The filesystem user id.
    public var filesystemUID: UInt32
    /// Real, effective, saved and filesystem group ids (`Gid:`).
    public var realGID: UInt32
    /// The effective group id.
    public var effectiveGID: UInt32
    /// The saved set-group-id.
    public var savedGID: UInt32
    /// The filesystem group id.
    public var filesystemGID: UInt32
    /// Supplementary groups (`Groups:`).
    public var groups: [UInt32]
    /// Threads in the process (`Threads:`).
    public var threads: Int
    /// Inheritable capabilities (`CapInh:`), bit n = capability n.
    public var capInh: UInt64
    /// Permitted capabilities (`CapPrm:`).
    public var capPrm: UInt64
    /// Effective capabilities (`CapEff:`).
    public var capEff: UInt64
    /// The capability bounding set (`CapBnd:`).
    public var capBnd: UInt64
    /// Ambient capabilities (`CapAmb:`).
    public var capAmb: UInt64
    /// Whether no_new_privs is set (`NoNewPrivs:`).
    public var noNewPrivs: Bool
    /// 0 = no seccomp, 1 = strict, 2 = filter (`Seccomp:`).
    public var seccompMode: Int
    /// How many filters are attached (`Seccomp_filters:`, Linux 5.9+), nil on older kernels.
    public var seccompFilters: Int?

    /// Parses the text of a status file. `source` names it in errors.
    public init(parsing text: String, source: String = "proc status") throws(SandboxError) {
        var fields: [Substring: (value: Substring, line: Int)] = [:]
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.isEmpty { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw SandboxError(.procfs, "\(source) line \(lineNumber): expected 'Key: value', got '\(line)'")
            }
            let key = line[..<colon]
            if fields[key] == nil {
                fields[key] = (line[line.index(after: colon)...].drop { $0 == "\t" || $0 == " " }, lineNumber)
            }
        }
        let reader = FieldReader(source: source, fields: fields)
        name = String(try reader.field("Name").value)
        pid = try reader.integer("Pid")
        parentPID = try reader.integer("PPid")
        tracerPID = try reader.integer("TracerPid")
        let uids: [UInt32] = try reader.integers("Uid", count: 4)
        (realUID, effectiveUID, savedUID, filesystemUID) = (uids[0], uids[1], uids[2], uids[3])
        let gids: [UInt32] = try reader.integers("Gid", count: 4)
        (realGID, effectiveGID, savedGID, filesystemGID) = (gids[0], gids[1], gids[2], gids[3])
        groups = try reader.integers("Groups", count: nil)
        threads = try reader.integer("Threads")
        capInh = try reader.mask("CapInh")
        capPrm = try reader.mask("CapPrm")
        capEff = try reader.mask("CapEff")
        capBnd = try reader.mask("CapBnd")
        capAmb = try reader.mask("CapAmb")
        let noNewPrivsFlag: Int = try reader.integer("NoNewPrivs")
        noNewPrivs = noNewPrivsFlag != 0
        seccompMode = try reader.integer("Seccomp")
        seccompFilters = fields["Seccomp_filters"] == nil ? nil : try reader.integer("Seccomp_filters")
    }

    /// Reads /proc/<pid>/status (the thread-group leader's view for per-thread fields).
    public static func read(pid: Int32) throws(SandboxError) -> ProcStatus {
        try read(path: "/proc/\(pid)/status")
    }

    /// Reads /proc/thread-self/status: the calling thread's own capabilities and seccomp state.
    public static func readCurrentThread() throws(SandboxError) -> ProcStatus {
        try read(path: "/proc/thread-self/status")
    }

    private static func read(path: String) throws(SandboxError) -> ProcStatus {
        try ProcStatus(parsing: try ProcFS.readText(path), source: path)
    }
}

/// Typed access to the `Key: value` fields of one status file, with errors that name the line.
private struct FieldReader {
    let source: String
    let fields: [Substring: (value: Substring, line: Int)]

    func field(_ key: Substring) throws(SandboxError) -> (value: Substring, line: Int) {
        guard let field = fields[key] else {
            throw SandboxError(.procfs, "\(source): missing '\(key)' line (is this a /proc/<pid>/status file?)")
        }
        return field
    }

    func integer<Number: FixedWidthInteger>(_ key: Substring) throws(SandboxError) -> Number {
        let (value, line) = try field(key)
        guard let number = Number(value.trimmingTrailingBlanks()) else {
            throw SandboxError(.procfs, "\(source) line \(line): '\(key)' is not a number: '\(value)'")
        }
        return number
    }

    func integers<Number: FixedWidthInteger>(_ key: Substring, count: Int?) throws(SandboxError) -> [Number] {
        let (value, line) = try field(key)
        let parts = value.split(whereSeparator: { $0 == "\t" || $0 == " " })
        let numbers = parts.compactMap { Number($0) }
        guard numbers.count == parts.count, count == nil || numbers.count == count else {
            let expected = count.map { "\($0) numbers" } ?? "numbers"
            throw SandboxError(.procfs, "\(source) line \(line): '\(key)' needs \(expected), got '\(value)'")
        }
        return numbers
    }

    func mask(_ key: Substring) throws(SandboxError) -> UInt64 {
        let (value, line) = try field(key)
        guard let mask = UInt64(value.trimmingTrailingBlanks(), radix: 16) else {
            throw SandboxError(.procfs, "\(source) line \(line): '\(key)' is not a hex mask: '\(value)'")
        }
        return mask
    }
}

extension Substring {
    fileprivate func trimmingTrailingBlanks() -> Substring {
        var result = self
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result = result.dropLast() }
        return result
    }
}
