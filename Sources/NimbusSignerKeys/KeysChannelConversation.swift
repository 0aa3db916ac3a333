import Foundation
import NimbusKeys
import NimbusKeysChannel
import NimbusKeysSession

/// One keys channel's conversation as the signer's command code sees it: a `KeysTransport` whose frames arrive in
/// exchanges (docs/keys-channel.md). The command runs on a thread of its own and blocks in `receive` as it would
/// on a socket; an exchange hands over the device's frames, then waits until the command wants more input (or
/// ends, or a deadline passes) and takes what the command sent meanwhile.
final class KeysChannelConversation: KeysTransport, @unchecked Sendable {
    // @unchecked: every field is read and written under `condition`.
    private let condition = NSCondition()
    private var inbound: [SessionFrame] = []
    /// Bytes of the session stream sent by the command and not yet taken by an exchange (may hold a new mnemonic:
    /// zeroed as it is taken).
    private var outbound: [UInt8] = []
    /// The command is blocked in `receive` with nothing to read: it is the device's turn.
    private var commandWaiting = false
    /// The command loop returned: nothing more will be sent.
    private var ended = false
    /// The device closed the channel (or the signer dropped it): `receive` answers the end of the stream.
    private var closed = false
    private let idleTimeout: Duration

    init(idleTimeout: Duration) {
        self.idleTimeout = idleTimeout
    }

    deinit {
        SecretBytes.wipe(&outbound)
    }

    // MARK: the command's side

    func send(_ frame: SessionFrame) throws(SessionError) {
        var bytes = frame.encoded()
        defer { SecretBytes.wipe(&bytes) }
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { throw .closed }
        outbound += bytes
        condition.broadcast()
    }

    func receive() throws(SessionError) -> SessionFrame? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(Self.seconds(idleTimeout))
        while inbound.isEmpty {
            if closed { return nil }
            commandWaiting = true
            condition.broadcast()
            guard condition.wait(until: deadline) else {
                commandWaiting = false
                throw .timedOut
            }
        }
        commandWaiting = false
        return inbound.removeFirst()
    }

    // MARK: the exchange's side

    /// Hands `frames` to the command, waits until it is the device's turn, the conversation ends, `limit` bytes
    /// are ready or `deadline` passes, and takes up to `limit` bytes of output.
    func exchange(_ frames: [SessionFrame], limit: Int, deadline: Date) -> (output: [UInt8], turn: KeysChannelTurn) {
        condition.lock()
        defer { condition.unlock() }
        inbound += frames
        if !frames.isEmpty { condition.broadcast() }
        while !(commandWaiting && inbound.isEmpty) && !ended && outbound.count < limit {
            guard condition.wait(until: deadline) else { break }
        }
        let count = min(limit, outbound.count)
        let output = Array(outbound[0..<count])
        let rest = Array(outbound[count...])
        SecretBytes.wipe(&outbound)
        outbound = rest
        let turn: KeysChannelTurn = if !outbound.isEmpty {
            .working
        } else if ended {
            .closed
        } else if commandWaiting && inbound.isEmpty {
            .waiting
        } else {
            .working
        }
        return (output, turn)
    }

    /// The device is gone: the command reads the end of the stream, its further sends fail.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Called when the command loop has returned.
    func finish() {
        condition.lock()
        ended = true
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    var isOver: Bool {
        condition.lock()
        defer { condition.unlock() }
        return ended
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
