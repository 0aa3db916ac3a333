import Testing

@testable import NimbusBeaconSim

@Suite("Duty schedule and validator registry")
struct DutyScheduleTests {
    let clock = SlotClock(genesisTime: 0, secondsPerSlot: 12, slotsPerEpoch: 32)

    @Test func everyValidatorAttestsExactlyOncePerEpochInsideIt() {
        let schedule = DutySchedule(clock: clock, validatorCount: 1000, hash: SimHash(seed: "s"))
        for epoch: UInt64 in [0, 1, 77] {
            for validator: UInt64 in 0..<100 {
                let slot = schedule.attestationSlot(validator: validator, epoch: epoch)
                #expect(clock.epoch(of: slot) == epoch)
                #expect(schedule.attesterDuty(validator: validator, epoch: epoch).slot == slot)
            }
        }
    }

    @Test func dutiesAreDeterministicPerSeedAndDifferAcrossSeeds() {
        let a = DutySchedule(clock: clock, validatorCount: 1000, hash: SimHash(seed: "a"))
        let again = DutySchedule(clock: clock, validatorCount: 1000, hash: SimHash(seed: "a"))
        let b = DutySchedule(clock: clock, validatorCount: 1000, hash: SimHash(seed: "b"))
        let slotsA = (0..<200).map { a.proposer(of: UInt64($0)) }
        #expect(slotsA == (0..<200).map { again.proposer(of: UInt64($0)) })
        #expect(slotsA != (0..<200).map { b.proposer(of: UInt64($0)) })
    }

    @Test func proposersCoverTheValidatorSet() {
        let schedule = DutySchedule(clock: clock, validatorCount: 8, hash: SimHash(seed: "p"))
        let proposers = Set((0..<400).map { schedule.proposer(of: UInt64($0)) })
        #expect(proposers == Set(0..<8))
    }

    @Test func committeeFieldsAreConsistent() {
        let schedule = DutySchedule(clock: clock, validatorCount: 1_000_000, hash: SimHash(seed: "c"))
        let duty = schedule.attesterDuty(validator: 12345, epoch: 9)
        #expect(duty.committeesAtSlot == 64)
        #expect(duty.committeeIndex < duty.committeesAtSlot)
        #expect(duty.validatorCommitteeIndex < duty.committeeLength)
    }

    @Test func syncCommitteeHoldsAbout512() {
        let schedule = DutySchedule(clock: clock, validatorCount: 2048, hash: SimHash(seed: "y"))
        let members = (0..<2048).filter { schedule.isInSyncCommittee(validator: UInt64($0), epoch: 5) }.count
        #expect((350...700).contains(members))
        // Membership holds for the whole period.
        let member = (0..<2048).first { schedule.isInSyncCommittee(validator: UInt64($0), epoch: 0) }!
        #expect(schedule.isInSyncCommittee(validator: UInt64(member), epoch: 255))
    }

    @Test func registryKeepsIndicesAndAvoidsCollisions() {
        var registry = ValidatorRegistry(size: 4, hash: SimHash(seed: "r"))
        let keys = (1...4).map { "0x" + String(repeating: String($0), count: 96) }
        let indices = keys.map { registry.index(for: $0) }
        #expect(Set(indices).count == 4)
        #expect(registry.index(for: keys[2]) == indices[2])
        let restored = ValidatorRegistry(size: 4, hash: SimHash(seed: "r"), assigned: registry.indexByPubkey)
        #expect(restored.resolve(id: keys[1]) == indices[1])
        #expect(restored.pubkey(of: indices[3]) == keys[3])
        #expect(restored.resolve(id: "4") == nil)
        #expect(restored.resolve(id: "3") == 3)
    }

    @Test func syntheticPubkeysLookLikeKeys() {
        let registry = ValidatorRegistry(size: 100, hash: SimHash(seed: "k"))
        let key = registry.pubkey(of: 42)!
        #expect(Hex.canonicalPubkey(key) == key)
        #expect(registry.pubkey(of: 100) == nil)
    }
}
