import Crypto

/// A pairing code as the person types it (docs/pairing_protocol.md, "The code"): a public nameplate that chooses
/// where the parties meet, and a secret that is the PAKE password.
public struct PairingCode: Sendable, Equatable {
    public let nameplate: String
    /// The PAKE password (ASCII). Never logged: `description` leaves it out.
    public let secret: String

    public enum Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        case wrongShape

        public var description: String {
            switch self {
            case .wrongShape:
                "a pairing code is 12 digits (NNNN-NNNN-NNNN, as the GUI shows it) or the GUI's UUID form"
            }
        }
    }

    /// Parses the 12-digit form (dashes and spaces ignored) or the UUID form. The message on failure never repeats
    /// the input, which may be most of a real code.
    public init(parsing text: String) throws(Invalid) {
        let compact = text.filter { $0 != "-" && $0 != " " }
        if compact.count == 12, compact.allSatisfy({ $0.isASCII && $0.isNumber }) {
            nameplate = String(compact.prefix(4))
            secret = String(compact.dropFirst(4))
            return
        }
        let hexDigits = text.filter { $0 != "-" }.lowercased()
        let dashes = text.enumerated().filter { $0.element == "-" }.map(\.offset)
        if hexDigits.count == 32, hexDigits.allSatisfy({ $0.isHexDigit && $0.isASCII }),
            dashes == [8, 13, 18, 23], text.count == 36
        {
            nameplate = String(hexDigits.prefix(8))
            secret = String(hexDigits.dropFirst(8))
            return
        }
        throw .wrongShape
    }

    /// A fresh 12-digit code (the device side), from uniformly random digits.
    public static func generate() -> PairingCode {
        var digits = ""
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<12 { digits.append(Character(String(Int.random(in: 0...9, using: &generator)))) }
        // Twelve digits always parse.
        return try! PairingCode(parsing: digits)
    }

    /// NNNN-NNNN-NNNN for a numeric code; the UUID form's text is not reconstructed.
    public var displayText: String {
        guard nameplate.count == 4 else { return nameplate + "-…" }
        return nameplate + "-" + secret.prefix(4) + "-" + secret.dropFirst(4)
    }

    /// The rendezvous content topic, from the nameplate only.
    public var contentTopic: String {
        let digest = SHA256.hash(data: Array("nimbus-nm pairing v1 nameplate \(nameplate)".utf8))
        let hex = digest.prefix(8).map { String($0, radix: 16).leftPadded(2) }.joined()
        return "/nimbus-nm/1/pair-\(hex)/proto"
    }

    /// CPace's channel identifier.
    public var channelIdentifier: [UInt8] {
        CPace.lvCat(Array("nimbus-nm pairing v1".utf8), Array(nameplate.utf8))
    }
}

extension PairingCode: CustomStringConvertible {
    public var description: String { "PairingCode(nameplate \(nameplate), secret redacted)" }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
