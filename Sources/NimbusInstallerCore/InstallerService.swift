import NimbusIPC

/// The installer's request handler. Pure: storage is injected.
public struct InstallerService: Sendable {
    /// One installed release as stored.
    public struct Installed: Sendable, Equatable {
        public var version: String
        public var active: Bool

        public init(version: String, active: Bool) {
            self.version = version
            self.active = active
        }
    }

    private let installed: @Sendable () throws -> [Installed]
    private let schemaVersion: Int

    public init(schemaVersion: Int, installed: @escaping @Sendable () throws -> [Installed]) {
        self.schemaVersion = schemaVersion
        self.installed = installed
    }

    /// The reply to a request from the network role.
    public func handle(_ request: IPCMessage) -> IPCMessage {
        switch request {
        case let .ping(nonce):
            return .pong(nonce: nonce)
        case .installStateRequest:
            do {
                let rows = try installed()
                return .installState(
                    InstallState(
                        phase: .idle, activeVersion: rows.first(where: \.active)?.version ?? "",
                        installedVersions: rows.map(\.version), schemaVersion: UInt32(schemaVersion)))
            } catch {
                return .failure(Failure(code: .storage, message: "the installer cannot read its state: \(error)"))
            }
        default:
            preconditionFailure("installer received \(request.type), which its permission table excludes")
        }
    }
}
