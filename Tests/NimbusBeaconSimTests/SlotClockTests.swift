import Testing

@testable import NimbusBeaconSim

@Suite("Slot clock")
struct SlotClockTests {
    let clock = SlotClock(genesisTime: 1000, secondsPerSlot: 12, slotsPerEpoch: 32)

    @Test func slotsCountFromGenesis() {
        #expect(clock.slot(at: 999.9) == nil)
        #expect(clock.wallSlot(at: 999.9) == 0)
        #expect(clock.slot(at: 1000) == 0)
        #expect(clock.slot(at: 1011.999) == 0)
        #expect(clock.slot(at: 1012) == 1)
        #expect(clock.startTime(of: 5) == 1060)
        #expect(clock.attestationTime(of: 5) == 1064)
    }

    @Test func epochsGroupSlots() {
        #expect(clock.epoch(of: 31) == 0)
        #expect(clock.epoch(of: 32) == 1)
        #expect(clock.firstSlot(of: 3) == 96)
        #expect(clock.firstFullEpoch(from: 32) == 1)
        #expect(clock.firstFullEpoch(from: 33) == 2)
    }

    @Test func subSecondSlotsForTests() {
        let fast = SlotClock(genesisTime: 0, secondsPerSlot: 0.5, slotsPerEpoch: 4)
        #expect(fast.slot(at: 1.49) == 2)
        #expect(fast.epoch(of: fast.wallSlot(at: 2.0)) == 1)
    }
}
