/// RFC 4122 UUIDs as text, for keystore `uuid` fields (no Foundation dependency in the parsing path).
enum UUIDText {
    /// A random (version 4, variant 1) UUID in lowercase 8-4-4-4-12 form.
    static func random(using generator: inout some RandomNumberGenerator) -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = Hex.encode(bytes)
        let cuts = [8, 12, 16, 20]
        var out = ""
        for (index, character) in hex.enumerated() {
            if cuts.contains(index) { out += "-" }
            out.append(character)
        }
        return out
    }

    /// True for the 8-4-4-4-12 hex form (either case), which is what EIP-2335's "format": "uuid" means.
    static func isValid(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36 else { return false }
        for (index, byte) in utf8.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard Hex.value(of: byte) != nil else { return false }
            }
        }
        return true
    }
}
