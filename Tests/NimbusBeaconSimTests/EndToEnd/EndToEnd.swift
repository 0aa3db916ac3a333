import Testing

/// End-to-end tests: the real `nimbus-beacon-sim` executable, started as a process on free loopback ports and
/// queried over HTTP. Serialized, because their timing (1-second slots) should not compete for two cores.
@Suite("End to end", .serialized)
struct EndToEnd {}
