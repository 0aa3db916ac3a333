/// The filesystem a role may still reach once Landlock is in force. Everything else is denied.
///
/// Paths must exist when `Sandbox.restrict` runs. A directory grants access to everything beneath it.
public struct LandlockRules: Sendable, Equatable {
    /// Paths the role may read, list and execute beneath.
    public var readOnly: [String]
    /// Paths the role may read, write, create, remove and rename beneath.
    public var readWrite: [String]

    /// Creates rules from two path lists.
    public init(readOnly: [String] = [], readWrite: [String] = []) {
        self.readOnly = readOnly
        self.readWrite = readWrite
    }
}
