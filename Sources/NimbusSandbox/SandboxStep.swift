/// One protection the sandbox tried to put in place, and whether it now holds.
public struct SandboxStep: Sendable, Equatable {
    /// A short stable name, e.g. `bounding-set`, `identity`, `seccomp`.
    public var name: String
    /// Whether the protection holds for the whole process.
    public var inForce: Bool
    /// What was done or why it could not be, in a few words (shown in logs).
    public var detail: String

    /// Creates a step record.
    public init(name: String, inForce: Bool, detail: String) {
        self.name = name
        self.inForce = inForce
        self.detail = detail
    }
}
