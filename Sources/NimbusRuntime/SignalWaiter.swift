import Foundation

/// Turns SIGTERM, SIGINT and SIGHUP into calls on a dedicated thread (sigwait), instead of signal handlers that
/// could run at any point of any thread. Call `block()` first in `main`, before any thread exists, so that every
/// later thread inherits the blocked mask and only the waiter receives these signals.
public enum SignalWaiter {
    /// The signals the node manager handles: all of them mean "shut down gracefully".
    public static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Blocks the handled signals (and ignores SIGPIPE: a closed socket is an error return, not a death).
    public static func block(_ extra: [Int32] = []) {
        signal(SIGPIPE, SIG_IGN)
        var set = sigset_t()
        sigemptyset(&set)
        for signal in handled + extra { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Starts the waiter thread; `handler` runs on it for every signal received.
    public static func start(_ signals: [Int32] = handled, handler: @escaping @Sendable (Int32) -> Void) {
        let thread = Thread { wait(signals, handler: handler) }
        thread.name = "signals"
        thread.start()
    }

    /// Waits for `signals` on the calling thread, forever. The supervisor's main thread does this instead of
    /// `dispatchMain()`, whose sigsuspend would briefly unblock every signal on the main thread and let SIGTERM
    /// take its default action there.
    public static func wait(_ signals: [Int32], handler: @Sendable (Int32) -> Void) -> Never {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        while true {
            var received: Int32 = 0
            if sigwait(&set, &received) == 0 { handler(received) }
        }
    }

    /// A name for a signal number, for log lines ("SIGKILL").
    public static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGHUP: "SIGHUP"
        case SIGINT: "SIGINT"
        case SIGQUIT: "SIGQUIT"
        case SIGILL: "SIGILL"
        case SIGTRAP: "SIGTRAP"
        case SIGABRT: "SIGABRT"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE"
        case SIGKILL: "SIGKILL"
        case SIGSEGV: "SIGSEGV"
        case SIGPIPE: "SIGPIPE"
        case SIGALRM: "SIGALRM"
        case SIGTERM: "SIGTERM"
        case SIGCHLD: "SIGCHLD"
        case SIGSYS: "SIGSYS"
        default: "signal \(signal)"
        }
    }
}
