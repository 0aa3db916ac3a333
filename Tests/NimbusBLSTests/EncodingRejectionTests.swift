// Invalid encodings of keys, signatures and points are rejected with the right error and a clear message.

import Testing

@testable import NimbusBLS

@Suite("Rejected encodings")
struct EncodingRejectionTests {
    /// An x (48 bytes, flags clear) with no point on E, and one whose point is on E but outside G1.
    static func g1Encodings() -> (offCurve: [UInt8], outsideSubgroup: [UInt8]) {
        var offCurve: [UInt8]?, outside: [UInt8]?
        var x = Fp(1)
        while offCurve == nil || outside == nil {
            if (x.squared() * x + G1Curve.b).sqrt() == nil { offCurve = offCurve ?? x.bigEndianBytes }
            else { outside = outside ?? x.bigEndianBytes }
            x = x + .one
        }
        return (PointEncoding.compressed(xBytes: offCurve!, yIsLargest: false),
                PointEncoding.compressed(xBytes: outside!, yIsLargest: false))
    }

    static func g2Encodings() -> (offCurve: [UInt8], outsideSubgroup: [UInt8]) {
        var offCurve: [UInt8]?, outside: [UInt8]?
        var x = Fp2(Fp(1), Fp(1))
        while offCurve == nil || outside == nil {
            let bytes = x.c1.bigEndianBytes + x.c0.bigEndianBytes
            if (x.squared() * x + G2Curve.b).sqrt() == nil {
                offCurve = offCurve ?? bytes
            } else {
                outside = outside ?? bytes
            }
            x = x + .one
        }
        return (PointEncoding.compressed(xBytes: offCurve!, yIsLargest: false),
                PointEncoding.compressed(xBytes: outside!, yIsLargest: true))
    }

    /// The BLSError `body` throws, or nil when it succeeds (any other error fails the test).
    func error(_ body: () throws -> Void) -> BLSError? {
        do {
            try body()
            return nil
        } catch let error as BLSError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    @Test func publicKeys() {
        let valid = G1Point.generator.compressed
        #expect(error { _ = try PublicKey(compressed: valid) } == nil)
        let short = error { _ = try PublicKey(compressed: Array(valid.dropLast())) }
        #expect(short?.kind == .wrongLength)
        #expect(short?.description == "public key has the wrong length: 47 bytes, expected 48")
        #expect(error { _ = try PublicKey(compressed: valid + [0]) }?.kind == .wrongLength)
        #expect(error { _ = try PublicKey(compressed: [valid[0] & 0x7f] + valid.dropFirst()) }?.kind == .notCompressed)
        // Infinity: accepted as a G1 point, refused as a key; with the sign flag or any x bit set it is malformed.
        let infinity = G1Point.identity.compressed
        #expect(error { _ = try G1Point(compressed: infinity) } == nil)
        let identityKey = error { _ = try PublicKey(compressed: infinity) }
        #expect(identityKey?.kind == .identityPublicKey)
        #expect(identityKey?.description == "public key is the point at infinity")
        let signedInfinity = [UInt8(0xe0)] + infinity.dropFirst()
        #expect(error { _ = try PublicKey(compressed: signedInfinity) }?.kind == .invalidInfinityEncoding)
        var garbage = infinity
        garbage[47] = 1
        #expect(error { _ = try PublicKey(compressed: garbage) }?.kind == .invalidInfinityEncoding)
        // x = p and x = 2^381 - 1 are not field elements.
        let p = wordsToBigEndian(Fp.modulusNatural.words)
        #expect(error { _ = try PublicKey(compressed: PointEncoding.compressed(xBytes: p, yIsLargest: false)) }?
            .kind == .coordinateNotInField)
        let allOnes = [UInt8(0x1f)] + [UInt8](repeating: 0xff, count: 47)
        #expect(error { _ = try PublicKey(compressed: PointEncoding.compressed(xBytes: allOnes, yIsLargest: true)) }?
            .kind == .coordinateNotInField)
        let (offCurve, outside) = Self.g1Encodings()
        #expect(error { _ = try PublicKey(compressed: offCurve) }?.kind == .notOnCurve)
        let notInGroup = error { _ = try PublicKey(compressed: outside) }
        #expect(notInGroup?.kind == .notInSubgroup)
        #expect(notInGroup?.description == "public key is not in the G1 subgroup")
    }

    @Test func signatures() {
        let valid = G2Point.generator.compressed
        #expect(error { _ = try Signature(compressed: valid) } == nil)
        let short = error { _ = try Signature(compressed: Array(valid.dropLast())) }
        #expect(short?.kind == .wrongLength)
        #expect(short?.description == "signature has the wrong length: 95 bytes, expected 96")
        #expect(error { _ = try Signature(compressed: [valid[0] & 0x7f] + valid.dropFirst()) }?.kind == .notCompressed)
        let infinity = G2Point.identity.compressed
        #expect(error { _ = try Signature(compressed: infinity) } == nil)
        let signedInfinity = [UInt8(0xe0)] + infinity.dropFirst()
        #expect(error { _ = try Signature(compressed: signedInfinity) }?.kind == .invalidInfinityEncoding)
        var garbage = infinity
        garbage[60] = 0x10
        #expect(error { _ = try Signature(compressed: garbage) }?.kind == .invalidInfinityEncoding)
        let p = wordsToBigEndian(Fp.modulusNatural.words)
        let zero = [UInt8](repeating: 0, count: 48)
        for xBytes in [p + zero, zero + p] {
            let encoded = PointEncoding.compressed(xBytes: xBytes, yIsLargest: false)
            #expect(error { _ = try Signature(compressed: encoded) }?.kind == .coordinateNotInField)
        }
        let (offCurve, outside) = Self.g2Encodings()
        #expect(error { _ = try Signature(compressed: offCurve) }?.kind == .notOnCurve)
        let notInGroup = error { _ = try Signature(compressed: outside) }
        #expect(notInGroup?.kind == .notInSubgroup)
        #expect(notInGroup?.description == "signature is not in the G2 subgroup")
        #expect(error { _ = try G2Point(compressed: outside) }?.description == "G2 point is not in the G2 subgroup")
    }

    @Test func secretKeysAndAggregates() throws {
        #expect(error { _ = try SecretKey(bytes: [UInt8](repeating: 0, count: 32)) }?.kind == .secretKeyOutOfRange)
        #expect(error { _ = try SecretKey(bytes: Scalar.order.bigEndianBytes) }?.kind == .secretKeyOutOfRange)
        #expect(error { _ = try SecretKey(bytes: [UInt8](repeating: 0xff, count: 32)) }?.kind == .secretKeyOutOfRange)
        var rMinusOne = Scalar.order
        rMinusOne.w0 -= 1
        #expect(error { _ = try SecretKey(bytes: rMinusOne.bigEndianBytes) } == nil)
        #expect(error { _ = try SecretKey(bytes: [1]) }?.description
            == "secret key has the wrong length: 1 bytes, expected 32")
        #expect(error { _ = try SecretKey.keyGen(ikm: [UInt8](repeating: 1, count: 31)) }?.kind == .keyMaterialTooShort)
        #expect(error { _ = try BLS.aggregate([]) }?.kind == .emptyAggregate)
        #expect(error { _ = try BLS.aggregatePublicKeys([]) }?.kind == .emptyAggregate)
        let key = try SecretKey.keyGen(ikm: [UInt8](repeating: 9, count: 32)).publicKey()
        let negated = PublicKey(point: -key.point)
        #expect(error { _ = try BLS.aggregatePublicKeys([key, negated]) }?.kind == .identityPublicKey)
    }
}
