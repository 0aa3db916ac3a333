import NimbusIPC

/// The signer's request handler. Pure: storage is injected, so tests drive it without a database.
/// It answers only what the permission table lets the network role ask, and never returns key material.
public struct SignerService: Sendable {
    private let keystoreCount: @Sendable () throws -> Int
    private let keys: @Sendable () throws -> [KeyListEntry]
    private let schemaVersion: Int

    public init(
        schemaVersion: Int, keystoreCount: @escaping @Sendable () throws -> Int,
        keys: @escaping @Sendable () throws -> [KeyListEntry] = { [] }
    ) {
        self.schemaVersion = schemaVersion
        self.keystoreCount = keystoreCount
        self.keys = keys
    }

    /// The reply to a request from the network role.
    public func handle(_ request: IPCMessage) -> IPCMessage {
        switch request {
        case let .ping(nonce):
            return .pong(nonce: nonce)
        case .keyStoreStatusRequest:
            do {
                let count = try keystoreCount()
                return .keyStoreStatus(KeyStoreStatus(keystoreCount: UInt32(count), schemaVersion: UInt32(schemaVersion)))
            } catch {
                return .failure(Failure(code: .storage, message: "the signer cannot read its key store: \(error)"))
            }
        case .keyListRequest:
            do {
                return .keyList(try keys())
            } catch {
                return .failure(Failure(code: .storage, message: "the signer cannot read its key store: \(error)"))
            }
        default:
            // The link endpoint admits nothing else from the network role; reaching here is a bug in this process.
            preconditionFailure("signer received \(request.type), which its permission table excludes")
        }
    }
}
