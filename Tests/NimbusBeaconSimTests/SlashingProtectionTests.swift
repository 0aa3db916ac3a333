import Foundation
import Testing

@testable import NimbusBeaconSim

/// The EIP-3076 interchange test suite (shared/vectors/slashing_protection): imports succeed or fail as the vectors
/// say, and nothing the vectors call slashable is ever signed. (The simulator's watermark rule may refuse more than
/// the minimum, which EIP-3076 allows.)
@Suite("Slashing protection (EIP-3076 vectors)")
struct SlashingProtectionTests {
    struct Vector: Decodable {
        struct Step: Decodable {
            var shouldSucceed: Bool
            var interchange: SlashingInterchange
            var blocks: [Block]
            var attestations: [Attestation]
            enum CodingKeys: String, CodingKey {
                case interchange, blocks, attestations
                case shouldSucceed = "should_succeed"
            }
        }
        struct Block: Decodable {
            var pubkey: String
            var slot: String
            var shouldSucceed: Bool
            enum CodingKeys: String, CodingKey {
                case pubkey, slot
                case shouldSucceed = "should_succeed"
            }
        }
        struct Attestation: Decodable {
            var pubkey: String
            var sourceEpoch: String
            var targetEpoch: String
            var shouldSucceed: Bool
            enum CodingKeys: String, CodingKey {
                case pubkey
                case sourceEpoch = "source_epoch"
                case targetEpoch = "target_epoch"
                case shouldSucceed = "should_succeed"
            }
        }
        var name: String
        var genesisValidatorsRoot: String
        var steps: [Step]
        enum CodingKeys: String, CodingKey {
            case name, steps
            case genesisValidatorsRoot = "genesis_validators_root"
        }
    }

    static func vectors() throws -> [Vector] {
        let folder = Paths.vectors.appendingPathComponent("slashing_protection/tests/generated")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
            .sorted()
        return try names.map {
            try JSONDecoder().decode(Vector.self, from: Data(contentsOf: folder.appendingPathComponent($0)))
        }
    }

    @Test func theVectorsAreThere() throws {
        #expect(try Self.vectors().count == 38)
    }

    @Test(arguments: try vectors())
    func neverSignsWhatAVectorCallsSlashable(_ vector: Vector) throws {
        var protection = SlashingProtection(genesisValidatorsRoot: vector.genesisValidatorsRoot)
        for step in vector.steps {
            var imported = true
            do {
                try protection.importInterchange(step.interchange)
            } catch {
                imported = false
            }
            #expect(imported == step.shouldSucceed, "\(vector.name): import")
            for block in step.blocks {
                let key = try #require(Hex.canonicalPubkey(block.pubkey))
                let slot = try #require(UInt64(block.slot))
                if !block.shouldSucceed {
                    #expect(!protection.maySignBlock(pubkey: key, slot: slot), "\(vector.name): block \(slot)")
                } else {
                    protection.recordBlock(pubkey: key, slot: slot)
                }
            }
            for attestation in step.attestations {
                let key = try #require(Hex.canonicalPubkey(attestation.pubkey))
                let source = try #require(UInt64(attestation.sourceEpoch))
                let target = try #require(UInt64(attestation.targetEpoch))
                if !attestation.shouldSucceed {
                    #expect(
                        !protection.maySignAttestation(pubkey: key, source: source, target: target),
                        "\(vector.name): attestation \(source)->\(target)")
                } else {
                    protection.recordAttestation(pubkey: key, source: source, target: target)
                }
            }
        }
    }

    @Test func exportRoundTripsAndKeepsOnlyAskedKeys() throws {
        let root = "0x" + String(repeating: "11", count: 32)
        let key = "0x" + String(repeating: "a1", count: 48)
        var protection = SlashingProtection(genesisValidatorsRoot: root)
        protection.recordBlock(pubkey: key, slot: 5)
        protection.recordAttestation(pubkey: key, source: 1, target: 2)
        let document = protection.exportInterchange(pubkeys: [key, "0x" + String(repeating: "b2", count: 48)])
        #expect(document.metadata.interchangeFormatVersion == "5")
        #expect(document.data.count == 1)
        var copy = SlashingProtection(genesisValidatorsRoot: root)
        try copy.importInterchange(document)
        #expect(copy == protection)
        #expect(!copy.maySignBlock(pubkey: key, slot: 5))
        #expect(copy.maySignBlock(pubkey: key, slot: 6))
    }
}
