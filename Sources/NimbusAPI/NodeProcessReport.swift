import NimbusIPC

/// The process of a node the node manager runs itself (`[nodes.launch]`), as `GET /v1/nodes` shows it under
/// `process`, and as `POST /v1/nodes/{name}/{start|stop|restart}` answers.
public struct NodeProcessReport: Sendable, Equatable, Codable {
    /// `stopped`, `starting`, `running`, `stopping`, `waiting` (to be started again) or `held` (stopped after a
    /// doppelganger exit until someone starts it).
    public var state: String
    public var pid: Int?
    /// Starts after the first since the node manager started.
    public var restarts: Int
    /// RFC 3339 times.
    public var startedAt: String?
    public var restartAt: String?
    /// How the last process ended: `exit_code` or `signal`, and when.
    public var lastExitCode: Int?
    public var lastExitSignal: Int?
    public var lastExitAt: String?
    /// Why the last start failed.
    public var lastError: String?

    enum CodingKeys: String, CodingKey {
        case state, pid, restarts
        case startedAt = "started_at"
        case restartAt = "restart_at"
        case lastExitCode = "last_exit_code"
        case lastExitSignal = "last_exit_signal"
        case lastExitAt = "last_exit_at"
        case lastError = "last_error"
    }

    public init(_ state: NodeProcessState) {
        self.state = state.phase.description
        pid = state.pid == 0 ? nil : Int(state.pid)
        restarts = Int(state.restarts)
        startedAt = state.sinceMillis == 0 ? nil : RFC3339.format(millis: state.sinceMillis)
        restartAt = state.restartAtMillis == 0 ? nil : RFC3339.format(millis: state.restartAtMillis)
        let ended = state.lastExitAtMillis != 0
        lastExitCode = ended && state.lastExitCode >= 0 ? Int(state.lastExitCode) : nil
        lastExitSignal = ended && state.lastExitSignal > 0 ? Int(state.lastExitSignal) : nil
        lastExitAt = ended ? RFC3339.format(millis: state.lastExitAtMillis) : nil
        lastError = state.lastError.isEmpty ? nil : state.lastError
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(state, forKey: .state)
        try c.encode(pid, forKey: .pid)
        try c.encode(restarts, forKey: .restarts)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(restartAt, forKey: .restartAt)
        try c.encode(lastExitCode, forKey: .lastExitCode)
        try c.encode(lastExitSignal, forKey: .lastExitSignal)
        try c.encode(lastExitAt, forKey: .lastExitAt)
        try c.encode(lastError, forKey: .lastError)
    }
}
