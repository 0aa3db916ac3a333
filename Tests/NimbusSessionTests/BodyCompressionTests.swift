import NimbusSession
import Testing

@Suite struct BodyCompressionTests {
    @Test func jsonShrinksAndComesBackWhole() throws {
        let json = Array((0..<2000).map { #"{"index":"\#($0)","status":"active_ongoing"},"# }.joined().utf8)
        let deflated = try #require(BodyCompression.deflate(json))
        #expect(deflated.count < json.count / 4)
        #expect(try BodyCompression.inflate(deflated, expectedSize: json.count) == json)
    }

    @Test func smallOrIncompressibleBodiesGoAsTheyAre() {
        #expect(BodyCompression.deflate(Array("{}".utf8)) == nil)
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(BodyCompression.deflate(noise) == nil)
    }

    @Test func inflationIsBoundedAndChecked() throws {
        // A bomb: 16 MiB of zeros deflates to a few KiB; announced as 1 KiB it must stop at 1 KiB.
        let zeros = [UInt8](repeating: 0, count: 16 << 20)
        let bomb = try #require(BodyCompression.deflate(zeros))
        #expect(bomb.count < 64 * 1024)
        #expect(throws: BodyCompression.Failure.tooLarge) { try BodyCompression.inflate(bomb, expectedSize: 1024) }
        #expect(throws: BodyCompression.Failure.tooLarge) {
            try BodyCompression.inflate(bomb, expectedSize: BodyCompression.maximumInflated + 1)
        }
        // A size that does not match what the data holds, and data that is not zlib at all.
        let text = Array(String(repeating: "nimbus ", count: 500).utf8)
        let deflated = try #require(BodyCompression.deflate(text))
        #expect(throws: BodyCompression.Failure.corrupt) { try BodyCompression.inflate(deflated, expectedSize: text.count + 1) }
        #expect(throws: BodyCompression.Failure.self) { try BodyCompression.inflate([1, 2, 3, 4], expectedSize: 10) }
        var flipped = deflated
        flipped[flipped.count / 2] ^= 0xFF
        #expect(throws: BodyCompression.Failure.self) { try BodyCompression.inflate(flipped, expectedSize: text.count) }
    }
}
