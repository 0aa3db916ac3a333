/// The node manager's own version, reported by `nimbus status` and every role.
public enum NodeManagerVersion {
    public static let current = "0.1.0"
}
