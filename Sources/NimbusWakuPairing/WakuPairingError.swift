/// Why a pairing input, message or step was refused. Every message names the field or step at fault and what to do;
/// none carries key material, nametags, commitments or payload bytes, so any of them may be logged or shown.
public enum WakuPairingError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: The QR string and the nametag given beside it

    /// The QR string did not split into the five ':'-separated fields.
    case qrFieldCount(Int)
    /// A QR field was not base64url (RFC 4648 section 5) with canonical padding.
    case qrBase64(field: String)
    /// A QR text field (application name, version or shard) was not UTF-8, or held a character that would change the
    /// content topic's shape.
    case qrText(field: String)
    /// A QR key field did not decode to 32 bytes.
    case qrKeyLength(field: String, bytes: Int)
    /// The QR message nametag was not 32 hexadecimal digits (16 bytes).
    case nametagFormat

    // MARK: PayloadV2 (35/WAKU2-NOISE)

    /// The payload ended before the field named.
    case payloadTruncated(field: String)
    /// Bytes followed the transport message.
    case payloadTrailingBytes(Int)
    /// The protocol id byte is not one this module speaks.
    case unknownProtocolID(UInt8)
    /// A public key in the handshake message had an encryption flag other than 0 or 1.
    case publicKeyFlag(UInt8)
    /// The handshake message's length byte disagrees with the keys it holds.
    case handshakeMessageLength
    /// A handshake message would not fit in the one-byte length field.
    case handshakeMessageTooLong
    /// The handshake message holds other keys than the pattern's step expects.
    case unexpectedHandshakeKeys(step: Int)
    /// The payload was a transport message where a handshake message was expected, or the reverse.
    case wrongProtocolForStep(UInt8)

    // MARK: The handshake

    /// The message's nametag is not the one expected next: the message is for someone else (the topic is shared), a
    /// replay, or from before a lost message. Not fatal: keep listening.
    case unexpectedNametag
    /// The nametag is one the peer will use later: `missed` messages before it were lost, so this session cannot
    /// decrypt it (the nonces are out of step). The session must be paired again.
    case messagesLost(missed: Int)
    /// A received public key is not a usable X25519 key (a low-order point gives no shared secret).
    case invalidPublicKey
    /// Authentication failed: the message was altered, or comes from a party that does not hold the keys.
    case decryptionFailed
    /// A decrypted payload's PKCS#7 padding was malformed.
    case badPadding
    /// A decrypted payload had the wrong length for its step (the static key commitment is 32 bytes).
    case payloadLength(step: Int, bytes: Int)
    /// The peer's static key does not open the commitment it made earlier: a different device answered.
    case committedStaticKeyMismatch
    /// The person said the two authorization codes differ.
    case authCodeRejected
    /// The call does not fit the handshake's state (the name says which state it was in).
    case notExpected(state: String)
    /// The handshake failed earlier; start a new pairing.
    case failed
    /// The transport nonce reached its limit; pair again.
    case nonceExhausted
    /// A message to send is larger than this module frames.
    case messageTooLong(Int)

    public var description: String {
        switch self {
        case .qrFieldCount(let count):
            "pairing QR has \(count) ':'-separated fields, expected 5 (name:version:shard:key:commitment); "
                + "copy the whole QR string"
        case .qrBase64(let field):
            "pairing QR field \(field) is not base64url; copy the QR string again"
        case .qrText(let field):
            "pairing QR field \(field) is not valid text for a content topic (UTF-8 without '/' or control characters)"
        case .qrKeyLength(let field, let bytes):
            "pairing QR field \(field) holds \(bytes) bytes, expected 32; copy the QR string again"
        case .nametagFormat:
            "the QR message nametag must be 32 hexadecimal digits (16 bytes); copy it again from the GUI"
        case .payloadTruncated(let field):
            "Noise payload ends inside its \(field)"
        case .payloadTrailingBytes(let count):
            "Noise payload has \(count) bytes after its transport message"
        case .unknownProtocolID(let id):
            "Noise payload has protocol id \(id); this host speaks 0 (transport) and 14 (WakuPairing)"
        case .publicKeyFlag(let flag):
            "Noise payload carries a public key with flag \(flag), expected 0 (clear) or 1 (encrypted)"
        case .handshakeMessageLength:
            "Noise payload's handshake message length does not match the keys it carries"
        case .handshakeMessageTooLong:
            "Noise handshake message longer than 255 bytes"
        case .unexpectedHandshakeKeys(let step):
            "pairing message \(step) carries other public keys than the WakuPairing pattern expects"
        case .wrongProtocolForStep(let id):
            "Noise payload with protocol id \(id) where the other kind of message was expected"
        case .unexpectedNametag:
            "message nametag is not the expected one (another pairing on the same topic, or a replay); ignored"
        case .messagesLost(let missed):
            "\(missed) message(s) from the paired device were lost; this session cannot continue: pair again"
        case .invalidPublicKey:
            "the peer sent an unusable X25519 public key; pairing aborted"
        case .decryptionFailed:
            "a pairing message failed authentication (altered, or not from the device that showed the QR); "
                + "pairing aborted: start again with a new QR code"
        case .badPadding:
            "a decrypted pairing message has malformed padding; pairing aborted"
        case .payloadLength(let step, let bytes):
            "pairing message \(step) carries a \(bytes)-byte payload where a 32-byte commitment was expected"
        case .committedStaticKeyMismatch:
            "the device's static key does not match the commitment in its QR code: a different device answered; "
                + "pairing aborted"
        case .authCodeRejected:
            "the authorization codes did not match; pairing aborted: start again with a new QR code"
        case .notExpected(let state):
            "pairing step not expected while \(state)"
        case .failed:
            "this pairing already failed; start again with a new QR code"
        case .nonceExhausted:
            "this paired session has sent or received its last message; pair again"
        case .messageTooLong(let count):
            "a \(count)-byte message is too long for a Noise transport message"
        }
    }
}
