import CNimbusSandbox

/// Syscall names and numbers for the running architecture, from libseccomp's built-in table (no syscalls made).
public enum SyscallTable {
    /// The number of `name`; negative for a syscall that exists only on other architectures; nil when unknown.
    public static func number(of name: String) -> Int32? {
        let number = nm_seccomp_syscall_number(name)
        return number == NM_SECCOMP_UNKNOWN_SYSCALL ? nil : number
    }

    /// The name of syscall `number`, or nil when libseccomp does not know it.
    public static func name(of number: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        guard nm_seccomp_syscall_name(number, &buffer, buffer.count) == 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
