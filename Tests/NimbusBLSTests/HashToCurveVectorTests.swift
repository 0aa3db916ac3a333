// RFC 9380 vectors (shared/vectors/hash_to_curve): expand_message_xmd with SHA-256 (short and oversized DST) and
// BLS12381G2_XMD:SHA-256_SSWU_RO_, checked at every stage: u (hash_to_field), Q0 and Q1 (map_to_curve), P.

import Foundation
import Testing

@testable import NimbusBLS

@Suite("RFC 9380 vectors")
struct HashToCurveVectorTests {
    @Test(arguments: ["expand_message_xmd_SHA256_38.json", "expand_message_xmd_SHA256_256.json"])
    func expandMessageXMD(file: String) throws {
        let json = try loadJSON(TestPaths.vectors.appendingPathComponent("hash_to_curve/\(file)"))
        let dst = Array(try need(json["DST"] as? String, "DST").utf8)
        let tests = try need(json["tests"] as? [[String: String]], "tests")
        #expect(tests.count == 10)
        for test in tests {
            let message = Array(try need(test["msg"], "msg").utf8)
            let length = try need(Int(try need(test["len_in_bytes"], "len").dropFirst(2), radix: 16), "length")
            let expected = try hexField(test, "uniform_bytes")
            #expect(BLS.expandMessageXMD(message, dst: dst, length: length) == expected, "\(file) msg \(message.count)")
            // DST_prime is the (possibly hashed) DST followed by its length.
            let reduced = BLS.reducedDST(dst)
            #expect(reduced + [UInt8(reduced.count)] == (try hexField(test, "DST_prime")))
        }
    }

    /// "c0,c1" to F_p2.
    func fp2Value(_ text: String) throws -> Fp2 {
        let parts = text.split(separator: ",").map(String.init)
        guard parts.count == 2 else { throw TestFailure("not an F_p2 value: \(text)") }
        let c0 = try need(Fp(canonicalBigEndian: try need(bytes(hex: parts[0]), "hex")[...]), "c0 < p")
        let c1 = try need(Fp(canonicalBigEndian: try need(bytes(hex: parts[1]), "hex")[...]), "c1 < p")
        return Fp2(c0, c1)
    }

    func g2Value(_ point: Any?) throws -> G2Projective {
        let coordinates = try need(point as? [String: String], "point")
        let x = try fp2Value(try need(coordinates["x"], "x"))
        let y = try fp2Value(try need(coordinates["y"], "y"))
        return G2Projective(affineX: x, affineY: y)
    }

    @Test func hashToG2() throws {
        let file = "hash_to_curve/BLS12381G2_XMD-SHA-256_SSWU_RO_.json"
        let json = try loadJSON(TestPaths.vectors.appendingPathComponent(file))
        let dst = Array(try need(json["dst"] as? String, "dst").utf8)
        let field = try need(json["field"] as? [String: String], "field")
        // The modulus in the vectors is the one the field code uses.
        #expect(Natural(hex: try need(field["p"], "p")) == Fp.modulusNatural)
        let vectors = try need(json["vectors"] as? [[String: Any]], "vectors")
        #expect(vectors.count == 5)
        for vector in vectors {
            let message = Array(try need(vector["msg"] as? String, "msg").utf8)
            let u = try need(vector["u"] as? [String], "u").map(fp2Value)
            #expect(BLS.hashToFieldFp2(message, dst: dst, count: 2) == u, "u for msg of \(message.count) bytes")
            #expect(HashToG2.mapToCurve(u[0]) == (try g2Value(vector["Q0"])), "Q0")
            #expect(HashToG2.mapToCurve(u[1]) == (try g2Value(vector["Q1"])), "Q1")
            let expected = try g2Value(vector["P"])
            #expect(BLS.hashToG2(message, dst: dst).projective == expected, "P")
            #expect(expected.isOnCurve)
        }
    }
}
