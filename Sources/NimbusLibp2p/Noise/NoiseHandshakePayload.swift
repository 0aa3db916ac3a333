#if canImport(NimbusMultiformats)
    import NimbusMultiformats
#endif

/// The libp2p Noise handshake payload (libp2p/specs noise/README.md, "The libp2p Handshake Payload"):
///
///     message NoiseExtensions { repeated bytes webtransport_certhashes = 1; repeated string stream_muxers = 2; }
///     message NoiseHandshakePayload {
///         bytes identity_key = 1; bytes identity_sig = 2; NoiseExtensions extensions = 4;
///     }
///
/// `identity_key` is a `PublicKey` protobuf; `identity_sig` signs "noise-libp2p-static-key:" followed by the
/// sender's Noise static key. Unknown fields (the retired `data` = 3, py-libp2p's early data) are skipped.
public struct NoiseHandshakePayload: Equatable, Sendable {
    /// The prefix of the signed message.
    public static let signaturePrefix = Array("noise-libp2p-static-key:".utf8)
    /// A payload cannot exceed a Noise message; a lower bound keeps a hostile one from costing much.
    public static let maxLength = 8192

    /// The `PublicKey` protobuf of the sender's identity key.
    public var identityKey: [UInt8]
    /// The signature of the static key.
    public var identitySignature: [UInt8]
    /// The stream muxers the sender offers in its extensions (early muxer negotiation, unused here).
    public var streamMuxers: [String]
    /// WebTransport certificate hashes (unused over TCP).
    public var webTransportCertHashes: [[UInt8]]

    /// A payload from its fields.
    public init(
        identityKey: [UInt8], identitySignature: [UInt8], streamMuxers: [String] = [],
        webTransportCertHashes: [[UInt8]] = []
    ) {
        self.identityKey = identityKey
        self.identitySignature = identitySignature
        self.streamMuxers = streamMuxers
        self.webTransportCertHashes = webTransportCertHashes
    }

    /// Decodes the protobuf; identity key and signature must be present.
    public init<Bytes: Collection<UInt8>>(protobuf: Bytes) throws(ProtobufError) {
        guard protobuf.count <= Self.maxLength else {
            throw .messageTooLarge(size: protobuf.count, limit: Self.maxLength)
        }
        var reader = ProtobufReader(protobuf)
        var key: [UInt8]?
        var signature: [UInt8]?
        var muxers: [String] = []
        var hashes: [[UInt8]] = []
        while let field = try reader.next() {
            switch (field.number, field.value) {
            case (1, .lengthDelimited(let bytes)): key = Array(bytes)
            case (2, .lengthDelimited(let bytes)): signature = Array(bytes)
            case (4, .lengthDelimited(let bytes)):
                var extensions = ProtobufReader(bytes)
                while let inner = try extensions.next() {
                    switch (inner.number, inner.value) {
                    case (1, .lengthDelimited(let hash)): hashes.append(Array(hash))
                    case (2, .lengthDelimited(let name)):
                        guard let text = String(validating: name, as: UTF8.self) else {
                            throw .invalidValue(field: "stream_muxers", reason: "not UTF-8")
                        }
                        muxers.append(text)
                    case (1, _), (2, _): throw .wrongWireType(field: "extensions")
                    default: continue
                    }
                }
            case (1, _): throw .wrongWireType(field: "identity_key")
            case (2, _): throw .wrongWireType(field: "identity_sig")
            case (4, _): throw .wrongWireType(field: "extensions")
            default: continue
            }
        }
        guard let key, !key.isEmpty else { throw .missingField("identity_key") }
        guard let signature, !signature.isEmpty else { throw .missingField("identity_sig") }
        self.init(identityKey: key, identitySignature: signature, streamMuxers: muxers, webTransportCertHashes: hashes)
    }

    /// The protobuf encoding, fields in number order.
    public var protobuf: [UInt8] {
        var writer = ProtobufWriter()
        writer.writeBytes(field: 1, identityKey)
        writer.writeBytes(field: 2, identitySignature)
        if !streamMuxers.isEmpty || !webTransportCertHashes.isEmpty {
            var extensions = ProtobufWriter()
            for hash in webTransportCertHashes { extensions.writeBytes(field: 1, hash) }
            for muxer in streamMuxers { extensions.writeString(field: 2, muxer) }
            writer.writeBytes(field: 4, extensions.bytes)
        }
        return writer.bytes
    }

    /// The message the identity key signs: the prefix and the Noise static public key.
    public static func signedMessage(staticKey: [UInt8]) -> [UInt8] {
        signaturePrefix + staticKey
    }
}
