/// Something a `nimbus keys` conversation runs over: a stream socket (the CLI, or a descriptor the network role
/// handed over), or an end-to-end encrypted channel to a paired device (docs/keys-channel.md). The signer's
/// commands and the CLI's commands are written against this, so that every way in speaks the same frames.
public protocol KeysTransport: AnyObject, Sendable {
    /// Sends a frame whole. May be called from several threads (progress from worker threads).
    func send(_ frame: SessionFrame) throws(SessionError)
    /// The next frame, or nil when the other side ended the conversation cleanly.
    func receive() throws(SessionError) -> SessionFrame?
}

extension KeysTransport {
    /// The next frame, which must be of `kind`.
    public func receive(_ kind: SessionFrame.Kind, what: String) throws(SessionError) -> SessionFrame {
        guard let frame = try receive() else { throw .closed }
        guard frame.kind == kind else { throw .unexpectedFrame(expected: what, got: frame.kind) }
        return frame
    }
}
