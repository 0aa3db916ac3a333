import Foundation
import NimbusAPI
import Logging
import NimbusConfig
import NimbusHTTPClient
import NimbusIPC
import NimbusMonitoring
import NimbusStore

/// Polls every managed node and the host, feeds the rules and the alert engine, and records alerts and
/// notifications. The engine's state lives in this actor; the store keeps what must survive a restart.
public actor MonitorService {
    private let pollers: [NodePoller]
    private let host: HostProbe
    private let store: AlertStore
    private let logger: Logger
    private var engine = AlertEngine()
    private var rules: [String: NodeRules] = [:]
    private let hostRules = HostRules()
    private var tasks: [Task<Void, Never>] = []
    private var hostObservation: HostObservation?
    private let startedAtMillis: UInt64
    private let monitoring: MonitoringSettings
    private let releases: ReleaseSource?
    /// The newest release the source named, once it has answered.
    private var latestRelease: NimbusVersion?
    /// The last failure logged, so that a source that keeps failing the same way is not logged at every poll.
    private var lastReleaseFailure: String?
    /// Asks the installer about the nodes it runs (`[nodes.launch]`); nil when it runs none.
    private let processes: SharedAnswer<[String: NodeProcessReport]>?
    private var processReports: [String: NodeProcessReport] = [:]

    /// `nodes` empty means: look for a local Nimbus on the default ports (alerted on once it has answered).
    /// `tokens` maps node names to their keymanager token, read before the sandbox closed. `stateDir` is the node
    /// manager's own data directory, whose filesystem is watched too.
    public init(
        nodes: [ManagedNode], tokens: [String: String], client: HTTPClient, store: AlertStore, logger: Logger,
        nowMillis: UInt64, stateDir: String? = nil, monitoring: MonitoringSettings = MonitoringSettings(),
        processes: (@Sendable () async -> [String: NodeProcessReport])? = nil,
        releaseFetch: (@Sendable () async throws -> ReleaseDocument)? = nil
    ) {
        // Shared by the node pollers: their polls of a slot finish together, and one answer serves them all.
        self.processes = processes.map { SharedAnswer(freshness: .milliseconds(250), fetch: $0) }
        let implicit = nodes.isEmpty
        let managed = implicit ? [ManagedNode.localDefault] : nodes
        pollers = managed.map { NodePoller(node: $0, implicit: implicit, client: client, token: tokens[$0.name]) }
        host = HostProbe(disks: Self.diskWatches(nodes: managed, stateDir: stateDir, thresholds: AlertThresholds()))
        self.store = store
        self.logger = logger
        startedAtMillis = nowMillis
        self.monitoring = monitoring
        releases = monitoring.releaseURL.flatMap { url in releaseFetch.map { ReleaseSource(url: url, fetch: $0) } }
        var thresholds = AlertThresholds()
        thresholds.restartWindowMillis = UInt64(monitoring.restartWindowSeconds) * 1000
        for node in managed { rules[node.name] = NodeRules(node: node.name, thresholds: thresholds) }
    }

    /// Restores active alerts and starts one polling loop per node plus the host loop.
    public func start() {
        do {
            for alert in try store.active() { engine.restore(alert) }
        } catch {
            logger.error("cannot restore active alerts: \(error.description)")
        }
        for poller in pollers {
            tasks.append(Task { [weak self] in
                while !Task.isCancelled {
                    let observation = await poller.poll(nowMillis: Self.nowMillis())
                    await self?.learnProcesses()
                    await self?.ingest(observation, from: poller)
                    let delay = await poller.delayUntilNextPoll(nowMillis: Self.nowMillis())
                    try? await Task.sleep(for: .milliseconds(Int64(delay)))
                }
            })
        }
        let hostPoll = monitoring.hostPollSeconds
        tasks.append(Task { [weak self] in
            while !Task.isCancelled {
                await self?.observeHost()
                try? await Task.sleep(for: .seconds(hostPoll))
            }
        })
        startReleaseTracking()
    }

    /// Polls the release source: first soon after start (a node just set up may already be behind), then every
    /// `releasePollSeconds`.
    private func startReleaseTracking() {
        guard let releases else {
            logger.info("release tracking is off: version_behind has no release to compare with")
            return
        }
        logger.info("release tracking", metadata: [
            "url": "\(releases.url)", "every_seconds": "\(monitoring.releasePollSeconds)",
        ])
        let interval = UInt64(monitoring.releasePollSeconds) * 1000
        tasks.append(Task { [weak self] in
            // A few seconds, not at once: the role has just started, and its nodes' first polls come first.
            try? await Task.sleep(for: .milliseconds(Int64(min(interval, 5000))))
            while !Task.isCancelled {
                let result: Result<NimbusVersion, ReleaseSource.Failure>
                do throws(ReleaseSource.Failure) {
                    result = .success(try await releases.latest())
                } catch {
                    result = .failure(error)
                }
                await self?.learnRelease(result)
                try? await Task.sleep(for: .milliseconds(Int64(interval)))
            }
        })
    }

    /// A release the source named becomes every node's comparison point, even an older one than before (the
    /// source is the authority: a withdrawn release must stop the alert). A failure keeps the last one known.
    private func learnRelease(_ result: Result<NimbusVersion, ReleaseSource.Failure>) {
        switch result {
        case let .success(version):
            lastReleaseFailure = nil
            guard version != latestRelease else { return }
            logger.notice("latest Nimbus release", metadata: [
                "version": "\(version)", "previous": "\(latestRelease.map(\.description) ?? "none")",
            ])
            latestRelease = version
            for name in rules.keys { rules[name]?.latestRelease = version.description }
        case let .failure(failure):
            guard failure.description != lastReleaseFailure else { return }
            lastReleaseFailure = failure.description
            logger.warning("cannot learn the latest Nimbus release; keeping the last one known", metadata: [
                "reason": "\(failure.description)", "known": "\(latestRelease.map(\.description) ?? "none")",
            ])
        }
    }

    /// Stops polling; in-flight polls finish or are cancelled.
    public func stop() {
        tasks.forEach { $0.cancel() }
        tasks = []
    }

    /// The process of a node the installer runs, asked after each poll so that an exit seen as an unreachable node
    /// is explained by the same round. A failed answer keeps the last one known.
    private func learnProcesses() async {
        guard let processes else { return }
        for (node, report) in await processes.value() { processReports[node] = report }
    }

    private func ingest(_ observation: NodeObservation, from poller: NodePoller) async {
        var observation = observation
        if let process = processReports[observation.node] {
            observation.stoppedOnPurpose = process.state == "stopped" || process.state == "held"
            // Held means exactly this: the last process exited with 129 and the installer keeps it down.
            observation.lastExitStatus = process.state == "held" ? 129 : nil
        }
        let found = await poller.snapshot.found
        guard !(poller.implicit && !found) else { return }  // no local Nimbus (yet): nothing to alert on
        guard var nodeRules = rules[observation.node] else { return }
        let verdicts = nodeRules.evaluate(observation)
        rules[observation.node] = nodeRules
        var events: [AlertEvent] = []
        for (kind, verdict, epoch) in verdicts {
            events += engine.record(kind, subject: observation.node, verdict, epoch: epoch, nowMillis: observation.atMillis)
        }
        persist(events)
    }

    private func observeHost() {
        let observation = host.observe(nowMillis: Self.nowMillis())
        hostObservation = observation
        var events: [AlertEvent] = []
        for (kind, subject, verdict) in hostRules.evaluate(observation) {
            events += engine.record(kind, subject: subject, verdict, nowMillis: observation.atMillis)
        }
        persist(events)
    }

    private func persist(_ events: [AlertEvent]) {
        guard !events.isEmpty else { return }
        for event in events {
            switch event {
            case let .fired(alert, notify):
                logger.warning("alert fired", metadata: [
                    "kind": "\(alert.kind.rawValue)", "subject": "\(alert.subject)", "severity": "\(alert.severity.rawValue)",
                    "diagnosis": "\(alert.diagnosis)", "notify": "\(notify)",
                ])
            case let .resolved(alert, _, notify):
                logger.notice("alert resolved", metadata: [
                    "kind": "\(alert.kind.rawValue)", "subject": "\(alert.subject)", "notify": "\(notify)",
                ])
            }
        }
        do { try store.record(events) } catch { logger.error("cannot record alerts: \(error.description)") }
    }

    /// The latest snapshot of every node.
    public func nodes() async -> [NodeSnapshot] {
        var snapshots: [NodeSnapshot] = []
        for poller in pollers {
            var snapshot = await poller.snapshot
            snapshot.process = processReports[snapshot.name]
            snapshots.append(snapshot)
        }
        return snapshots
    }

    /// The node manager's own metrics, in Prometheus text.
    public func metricsText() async -> String {
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Double)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples { lines.append("\(name)\(labels) \(Self.format(value))") }
        }
        metric("nimbus_nm_start_time_seconds", "gauge", "Unix time the network role started.",
               [("", Double(startedAtMillis) / 1000)])
        var polls: [(String, Double)] = []
        var failures: [(String, Double)] = []
        var up: [(String, Double)] = []
        for poller in pollers {
            let label = "{node=\"\(Self.escape(poller.node.name))\"}"
            polls.append((label, Double(await poller.polls)))
            failures.append((label, Double(await poller.failures)))
            up.append((label, await poller.snapshot.reachable ? 1 : 0))
        }
        metric("nimbus_nm_node_polls_total", "counter", "Polls of each managed node.", polls)
        metric("nimbus_nm_node_poll_failures_total", "counter", "Polls that found the node unreachable.", failures)
        metric("nimbus_nm_node_up", "gauge", "1 when the node answered its last poll.", up)
        let active = engine.active
        metric("nimbus_nm_alerts_active", "gauge", "Active alerts by severity.",
               AlertKind.Severity.allSeverities.map { severity in
                   ("{severity=\"\(severity.rawValue)\"}", Double(active.filter { $0.severity == severity }.count))
               })
        if let host = hostObservation {
            if !host.disks.isEmpty {
                metric("nimbus_nm_host_disk_free_bytes", "gauge", "Free space on each watched filesystem.",
                       host.disks.map { ("{subject=\"\(Self.escape($0.subject))\"}", Double($0.freeBytes)) })
            }
            if let load = host.loadAverage { metric("nimbus_nm_host_load1", "gauge", "One-minute load average.", [("", load)]) }
            if let cpu = host.cpuBusyFraction { metric("nimbus_nm_host_cpu_busy_ratio", "gauge", "CPU busy share.", [("", cpu)]) }
            if let available = host.memoryAvailableBytes {
                metric("nimbus_nm_host_memory_available_bytes", "gauge", "Available memory.", [("", Double(available))])
            }
            if let uptime = host.uptimeSeconds { metric("nimbus_nm_host_uptime_seconds", "gauge", "Host uptime.", [("", uptime)]) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Nodes' data directories first (their configured bounds, else the defaults), then the state directory
    /// ("host", shares only), then "/" when nothing else is known.
    static func diskWatches(nodes: [ManagedNode], stateDir: String?, thresholds: AlertThresholds) -> [HostProbe.DiskWatch] {
        func bounds(_ limit: DiskFreeLimit?, default fallback: DiskBounds) -> DiskBounds {
            switch limit {
            case let .bytes(count)?: DiskBounds(bytes: count)
            case let .percent(value)?: DiskBounds(fraction: value / 100)
            case nil: fallback
            }
        }
        var watches = nodes.compactMap { node in
            node.dataDir.map {
                HostProbe.DiskWatch(
                    subject: node.name, path: $0, low: bounds(node.diskLow, default: thresholds.diskLow),
                    critical: bounds(node.diskCritical, default: thresholds.diskCritical))
            }
        }
        watches.append(HostProbe.DiskWatch(
            subject: "host", path: stateDir ?? "/", low: thresholds.stateDiskLow, critical: thresholds.stateDiskCritical))
        return watches
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func escape(_ label: String) -> String {
        label.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func nowMillis() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1000)
    }
}

extension AlertKind.Severity {
    static let allSeverities: [AlertKind.Severity] = [.info, .warning, .critical]
}
