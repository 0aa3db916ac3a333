/// A 34/WAKU2-PEER-EXCHANGE message: a query for up to `numPeers` peers, or a response of ENRs (EIP-778 RLP).
///
/// ENRs stay raw bytes here so that the decoder needs no cryptography; `PeerExchangeCandidate` verifies and
/// interprets them.
public struct PeerExchangeRPC: Hashable, Sendable {
    /// A query never asks for more than this many peers; nwaku caps responses similarly.
    public static let maxPeers = 100
    /// EIP-778 caps an ENR at 300 bytes.
    public static let maxENRSize = 300
    /// A full response and the envelope.
    public static let maxEncodedSize = maxPeers * (maxENRSize + 8) + 4096

    /// The status codes of a response.
    public enum Status {
        /// Peers returned.
        public static let success: UInt32 = 200
        /// The query was malformed.
        public static let badRequest: UInt32 = 400
        /// Rate limited.
        public static let tooManyRequests: UInt32 = 429
        /// The service node has no peers to give.
        public static let serviceUnavailable: UInt32 = 503
    }

    /// A query, in a client's message.
    public var numPeersRequested: UInt64?
    /// The ENRs of a response.
    public var enrs: [[UInt8]]
    /// The response status; nil when absent (older service nodes), which means success if ENRs came.
    public var statusCode: UInt32?
    /// A description of the status.
    public var statusDescription: String?
    /// Whether the message has a response part.
    public var hasResponse: Bool

    /// A message from its parts.
    public init(
        numPeersRequested: UInt64?, enrs: [[UInt8]], statusCode: UInt32?, statusDescription: String?, hasResponse: Bool
    ) {
        self.numPeersRequested = numPeersRequested
        self.enrs = enrs
        self.statusCode = statusCode
        self.statusDescription = statusDescription
        self.hasResponse = hasResponse
    }

    /// A query for `numPeers` peers.
    public static func query(numPeers: UInt64) -> PeerExchangeRPC {
        PeerExchangeRPC(
            numPeersRequested: numPeers, enrs: [], statusCode: nil, statusDescription: nil,
            hasResponse: false)
    }

    /// A response.
    public static func response(enrs: [[UInt8]], statusCode: UInt32 = Status.success, statusDescription: String? = nil)
        -> PeerExchangeRPC
    {
        PeerExchangeRPC(
            numPeersRequested: nil, enrs: enrs, statusCode: statusCode, statusDescription: statusDescription,
            hasResponse: true)
    }

    /// The encoding (`PeerExchangeRPC`: query 1 {num_peers 1}, response 2 {peer_infos 1 {enr 1}, status_code 10,
    /// status_desc 11}).
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        if let numPeersRequested {
            var query = ProtoWriter()
            query.varint(1, numPeersRequested)
            writer.bytes(1, query.bytes)
        }
        if hasResponse {
            var response = ProtoWriter()
            for enr in enrs {
                var info = ProtoWriter()
                info.bytes(1, enr)
                response.bytes(1, info.bytes)
            }
            if let statusCode { response.varint(10, UInt64(statusCode)) }
            if let statusDescription { response.string(11, statusDescription) }
            writer.bytes(2, response.bytes)
        }
        return writer.bytes
    }

    /// Decodes a query or response; at most 100 ENRs of at most 300 bytes each.
    public init<Bytes: Collection<UInt8>>(decoding bytes: Bytes) throws(WakuCodecError) {
        let slice = ArraySlice(bytes)
        guard slice.count <= Self.maxEncodedSize else {
            throw .tooLarge(what: "PeerExchangeRPC", size: slice.count, limit: Self.maxEncodedSize)
        }
        var reader = ProtoReader(slice, context: "PeerExchangeRPC")
        var seen = SeenFields()
        self = .query(numPeers: 0)
        numPeersRequested = nil
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "PeerExchangeRPC.query")
                var query = ProtoReader(try field.bytes("PeerExchangeRPC.query"), context: "PeerExchangeQuery")
                var querySeen = SeenFields()
                numPeersRequested = 0
                while let inner = try query.next() {
                    guard inner.number == 1 else { continue }
                    try querySeen.once(1, "PeerExchangeQuery.num_peers")
                    numPeersRequested = try inner.varint("PeerExchangeQuery.num_peers")
                }
            case 2:
                try seen.once(2, "PeerExchangeRPC.response")
                hasResponse = true
                try decodeResponse(field.bytes("PeerExchangeRPC.response"))
            default:
                continue
            }
        }
    }

    private mutating func decodeResponse(_ bytes: ArraySlice<UInt8>) throws(WakuCodecError) {
        var reader = ProtoReader(bytes, context: "PeerExchangeResponse")
        var seen = SeenFields()
        while let field = try reader.next() {
            switch field.number {
            case 1:
                var info = ProtoReader(try field.bytes("PeerExchangeResponse.peer_infos"), context: "PeerInfo")
                var infoSeen = SeenFields()
                var enr: [UInt8]?
                while let inner = try info.next() {
                    guard inner.number == 1 else { continue }
                    try infoSeen.once(1, "PeerInfo.enr")
                    enr = Array(try inner.bytes("PeerInfo.enr", limit: Self.maxENRSize))
                }
                guard let enr, !enr.isEmpty else { throw .missingField("PeerInfo.enr") }
                enrs.append(enr)
                guard enrs.count <= Self.maxPeers else {
                    throw .tooMany(what: "PeerExchangeResponse.peer_infos", count: enrs.count, limit: Self.maxPeers)
                }
            case 10:
                try seen.once(10, "PeerExchangeResponse.status_code")
                statusCode = try field.uint32("PeerExchangeResponse.status_code")
            case 11:
                try seen.once(11, "PeerExchangeResponse.status_desc")
                statusDescription = try field.string(
                    "PeerExchangeResponse.status_desc", limit: CodecLimits.statusDescription)
            default:
                continue
            }
        }
    }
}
