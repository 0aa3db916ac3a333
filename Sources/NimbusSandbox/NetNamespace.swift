/// Identifies network namespaces, so the supervisor can check that a role really left the host's namespace.
public enum NetNamespace {
    /// The namespace of process `pid` as the kernel names it, e.g. `net:[4026531840]`; two processes share a
    /// namespace exactly when these strings are equal. This is the thread-group leader's namespace.
    public static func identity(pid: Int32) throws(SandboxError) -> String {
        try ProcFS.readLink("/proc/\(pid)/ns/net")
    }

    /// The calling thread's namespace. Namespaces are per thread: after unshare(CLONE_NEWNET) in a multithreaded
    /// process only the calling thread has moved, and `identity(pid:)` still shows the leader's.
    public static func identityOfCurrentThread() throws(SandboxError) -> String {
        try ProcFS.readLink("/proc/thread-self/ns/net")
    }
}
