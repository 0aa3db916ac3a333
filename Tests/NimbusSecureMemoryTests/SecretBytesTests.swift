import Testing
@testable import NimbusSecureMemory

@Suite struct SecretBytesTests {
    @Test func consumingWipesTheSourceAndKeepsTheBytes() throws {
        var source: [UInt8] = [1, 2, 3, 4, 5]
        let secret = try SecretBytes(consuming: &source)
        #expect(source.isEmpty)
        #expect(secret.withUnsafeBytes { Array($0) } == [1, 2, 3, 4, 5])
    }

    @Test func descriptionNeverShowsTheBytes() throws {
        var source = Array("abandon abandon about".utf8)
        let secret = try SecretBytes(consuming: &source)
        #expect("\(secret)" == "<secret: 21 bytes>")
        #expect(String(reflecting: secret) == "<secret: 21 bytes>")
    }

    @Test func constantTimeComparison() throws {
        var a: [UInt8] = [9, 9, 9]
        var b: [UInt8] = [9, 9, 9]
        var c: [UInt8] = [9, 9, 8]
        let (x, y, z) = (try SecretBytes(consuming: &a), try SecretBytes(consuming: &b), try SecretBytes(consuming: &c))
        #expect(x.constantTimeEquals(y))
        #expect(!x.constantTimeEquals(z))
        #expect(!x.constantTimeEquals(try SecretBytes(count: 2)))
    }

    @Test func writesInPlace() throws {
        let secret = try SecretBytes(count: 4)
        #expect(secret.withUnsafeBytes { Array($0) } == [0, 0, 0, 0])
        secret.withUnsafeMutableBytes { $0[2] = 7 }
        #expect(secret.withUnsafeBytes { Array($0) } == [0, 0, 7, 0])
    }
}
