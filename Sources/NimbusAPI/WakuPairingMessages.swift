/// `POST /v1/pairing/waku`: start a 43/WAKU2-DEVICE-PAIRING handshake with the device showing `qr`.
public struct WakuPairingStart: Sendable, Equatable, Codable {
    /// The QR code's text, as `@waku/noise` shows it.
    public var qr: String
    /// The 16-byte message nametag shown beside it, hex.
    public var qrMessageNametag: String
    /// The name the device is listed under (default: the QR's application name).
    public var name: String?

    enum CodingKeys: String, CodingKey {
        case qr, name
        case qrMessageNametag = "qr_message_nametag"
    }

    public init(qr: String, qrMessageNametag: String, name: String? = nil) {
        self.qr = qr
        self.qrMessageNametag = qrMessageNametag
        self.name = name
    }
}

/// The answer: the code the person must compare with the device's.
public struct WakuPairingStarted: Sendable, Equatable, Codable {
    public var pairing: String
    public var authCode: String
    public var contentTopic: String

    enum CodingKeys: String, CodingKey {
        case pairing
        case authCode = "auth_code"
        case contentTopic = "content_topic"
    }

    public init(pairing: String, authCode: String, contentTopic: String) {
        self.pairing = pairing
        self.authCode = authCode
        self.contentTopic = contentTopic
    }
}

/// `POST /v1/pairing/waku/{pairing}/confirm`: whether the device shows the same code.
public struct WakuPairingConfirm: Sendable, Equatable, Codable {
    public var same: Bool

    public init(same: Bool) {
        self.same = same
    }
}

/// The answer once the device's key is pinned: the device as the signer lists it.
public struct WakuPairingDone: Sendable, Equatable, Codable {
    public var name: String
    /// The device's X25519 static key, hex.
    public var staticKey: String

    enum CodingKeys: String, CodingKey {
        case name
        case staticKey = "static_key"
    }

    public init(name: String, staticKey: String) {
        self.name = name
        self.staticKey = staticKey
    }
}
