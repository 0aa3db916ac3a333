@testable import NimbusLibp2p

/// Two muxer sessions wired back to back: whatever one sends, the other receives, split as `feeding` says.
/// Everything else they report is kept, per side, for the test to check.
struct MuxerPair<Session: StreamMuxerSession> {
    var client: Session
    var server: Session
    var feeding: Feeding
    var clientEvents: [MuxerAction] = []
    var serverEvents: [MuxerAction] = []

    init(client: Session, server: Session, feeding: Feeding) {
        self.client = client
        self.server = server
        self.feeding = feeding
    }

    /// Carries out actions produced by the client (`fromClient`) or the server, delivering sends to the other side
    /// until nothing is in flight.
    mutating func deliver(_ actions: [MuxerAction], fromClient: Bool) {
        var pending: [(bytes: [UInt8], toServer: Bool)] = []
        func collect(_ actions: [MuxerAction], client: Bool, into pair: inout MuxerPair) {
            for action in actions {
                if case .send(let bytes) = action {
                    pending.append((bytes, client))
                } else if client {
                    pair.clientEvents.append(action)
                } else {
                    pair.serverEvents.append(action)
                }
            }
        }
        collect(actions, client: fromClient, into: &self)
        while !pending.isEmpty {
            let (bytes, toServer) = pending.removeFirst()
            for chunk in feeding.split(bytes) {
                if toServer {
                    collect(server.receive(chunk), client: false, into: &self)
                } else {
                    collect(client.receive(chunk), client: true, into: &self)
                }
            }
        }
    }

    /// The data a side received on a stream, in order.
    static func data(_ events: [MuxerAction], _ stream: MuxedStreamID) -> [UInt8] {
        events.reduce(into: []) { bytes, event in
            if case .data(let id, let chunk) = event, id == stream { bytes += chunk }
        }
    }
}
