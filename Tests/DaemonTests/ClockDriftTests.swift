import Foundation
import NimbusAPI
import Testing

/// `clock_drift` end to end on the real kernel clock state: the test marks the clock unsynchronised (adjtimex
/// ADJ_STATUS with STA_UNSYNC, as the kernel does itself when no time service disciplines it), then synchronised
/// with a small error estimate, and restores what it found. Needs CAP_SYS_TIME: root in CI.
@Suite(.serialized, .enabled(if: Privilege.shouldRun, "needs root; NIMBUS_TESTS_UNPRIVILEGED=1 was set"))
struct ClockDriftTests {
    /// The kernel's `struct timex` (Glibc's module does not export it without _GNU_SOURCE), for ADJ_STATUS,
    /// ADJ_MAXERROR and ADJ_ESTERROR only.
    struct KernelTimex {
        var modes: UInt32 = 0
        var offset: Int = 0
        var freq: Int = 0
        var maxerror: Int = 0
        var esterror: Int = 0
        var status: Int32 = 0
        var constant: Int = 0
        var precision: Int = 0
        var tolerance: Int = 0
        var timeSeconds: Int = 0
        var timeMicroseconds: Int = 0
        var tick: Int = 0
        var ppsfreq: Int = 0
        var jitter: Int = 0
        var shift: Int32 = 0
        var stabil: Int = 0
        var jitcnt: Int = 0
        var calcnt: Int = 0
        var errcnt: Int = 0
        var stbcnt: Int = 0
        var tai: Int32 = 0
        var padding: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    }

    static let adjMaxError: UInt32 = 0x4
    static let adjEstError: UInt32 = 0x8
    static let adjStatus: UInt32 = 0x10
    static let staUnsync: Int32 = 0x40

    /// glibc's adjtimex(3), looked up at run time (Swift's Glibc module does not declare it).
    static let adjtimexFunction: @convention(c) (UnsafeMutableRawPointer) -> Int32 = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "adjtimex")
        else { fatalError("adjtimex is missing from libc") }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutableRawPointer) -> Int32).self)
    }()

    @discardableResult
    static func adjtimex(_ value: inout KernelTimex) -> Int32 {
        withUnsafeMutablePointer(to: &value) { adjtimexFunction(UnsafeMutableRawPointer($0)) }
    }

    static func setClock(synchronised: Bool, status: Int32? = nil, maxerror: Int? = nil, esterror: Int? = nil) throws {
        var change = KernelTimex()
        change.modes = adjStatus | adjMaxError | adjEstError
        change.status = status ?? (synchronised ? 0 : staUnsync)
        change.maxerror = maxerror ?? (synchronised ? 1000 : 16_000_000)
        change.esterror = esterror ?? (synchronised ? 1000 : 16_000_000)
        try #require(adjtimex(&change) >= 0, "adjtimex needs CAP_SYS_TIME (CI runs as root): errno \(errno)")
    }

    func alerts(_ daemon: Daemon) async throws -> AlertsReport {
        let result = try await Daemon.run(try Daemon.executable("nimbus"), ["--socket", daemon.socket.path, "alerts", "--json"])
        try #require(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(AlertsReport.self, from: Data(result.stdout.utf8))
    }

    @Test func anUnsynchronisedClockRaisesAnAlertThatClearsWhenItIsSynchronised() async throws {
        try Privilege.requireRoot()
        var found = KernelTimex()
        Self.adjtimex(&found)
        defer {
            try? Self.setClock(synchronised: found.status & Self.staUnsync == 0, status: found.status,
                               maxerror: found.maxerror, esterror: found.esterror)
        }
        try Self.setClock(synchronised: false)
        let daemon = try Daemon(name: "clock")
        let config = daemon.root.appendingPathComponent("config.toml")
        try "[monitoring]\nhost_poll_seconds = 1\n".write(to: config, atomically: true, encoding: .utf8)
        try await daemon.start(["--dev", "--config", config.path, "--data-dir", daemon.dataDir.path,
                                "--policy-dir", Daemon.policyDir.path, "--waku-listen", "127.0.0.1:0"])
        var alert: StoredAlert?
        try await daemon.waitUntil("clock_drift fires", timeout: 30) {
            alert = try await alerts(daemon).alerts.first { $0.kind == "clock_drift" && $0.resolvedAtMillis == nil }
            return alert != nil
        }
        let fired = try #require(alert)
        #expect(fired.subject == "host")
        #expect(fired.diagnosis.contains("not synchronised"))
        #expect(fired.action.contains("timedatectl") || fired.action.contains("chrony"))

        try Self.setClock(synchronised: true)
        try await daemon.waitUntil("clock_drift resolves", timeout: 30) {
            try await alerts(daemon).alerts.first { $0.id == fired.id }?.resolvedAtMillis != nil
        }
        // Fired once, resolved once: both notices wait for the CLI.
        let report = try await alerts(daemon)
        #expect(report.alerts.filter { $0.kind == "clock_drift" }.count == 1)
        #expect(Set(report.pending.filter { $0.alertID == fired.id }.map(\.event)) == ["fired", "resolved"])
        _ = try await daemon.stop()
    }
}
