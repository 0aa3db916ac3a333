import Foundation
import NimbusKeysSession

/// A device's end of a keys channel, as a `KeysTransport`: the same command code that talks to the signer over a
/// local socket talks through this one. Frames sent are held until the device next needs an answer; then they go
/// in one exchange (or several, 512 KiB at a time), and the signer's frames come back in the answers. An answer
/// says whose turn it is; while the signer is still `working` the client asks again with nothing to send.
public final class KeysChannelClient: KeysTransport, @unchecked Sendable {
    // @unchecked: one thread drives a conversation; `lock` guards the rare send from another.
    public struct Answer: Sendable {
        public var messages: [[UInt8]]
        public var turn: KeysChannelTurn

        public init(messages: [[UInt8]], turn: KeysChannelTurn) {
            self.messages = messages
            self.turn = turn
        }
    }

    /// Carries one exchange to the signer and brings back its answer; errors are the carrier's (network, HTTP).
    public typealias Exchange = @Sendable ([[UInt8]]) throws -> Answer

    private let lock = NSLock()
    private var cipher: KeysChannelCipher
    private var outbound: [UInt8] = []
    private var decoder = SessionFrameDecoder()
    private var queued: [SessionFrame] = []
    private var over = false
    private let exchange: Exchange
    private let budget: Int

    /// Opens a channel: `handshake` carries the first message to the signer and returns its answer.
    /// `exchangeLimit` is the signer's limit on sealed bytes per exchange (smaller in tests, to split often).
    public init(
        deviceKey: [UInt8], signerKey: [UInt8], handshake: ([UInt8]) throws -> [UInt8],
        exchangeLimit: Int = KeysChannelCipher.maximumExchangeBytes, exchange: @escaping Exchange
    ) throws {
        budget = KeysChannelCipher.plaintextBudget(exchangeLimit)
        let (initiator, first) = try KeysChannelHandshake.Initiator.start(deviceKey: deviceKey, signerKey: signerKey)
        cipher = try initiator.finish(try handshake(first))
        self.exchange = exchange
    }

    deinit {
        for index in outbound.indices { outbound[index] = 0 }
        decoder.wipe()
    }

    public func send(_ frame: SessionFrame) throws(SessionError) {
        var bytes = frame.encoded()
        defer { for index in bytes.indices { bytes[index] = 0 } }
        lock.lock()
        defer { lock.unlock() }
        guard !over else { throw .closed }
        outbound += bytes
    }

    public func receive() throws(SessionError) -> SessionFrame? {
        lock.lock()
        defer { lock.unlock() }
        while queued.isEmpty {
            if over { return nil }
            let count = min(outbound.count, budget)
            var chunk = Array(outbound[0..<count])
            defer { for index in chunk.indices { chunk[index] = 0 } }
            let rest = Array(outbound[count...])
            for index in outbound.indices { outbound[index] = 0 }
            outbound = rest
            let sealed: [[UInt8]]
            do { sealed = try cipher.seal(chunk) } catch { throw .transport(error.description) }
            let answer: Answer
            do { answer = try exchange(sealed) } catch let error as SessionError { throw error } catch {
                over = true
                throw .transport("\(error)")
            }
            for message in answer.messages {
                var plaintext: [UInt8]
                do { plaintext = try cipher.open(message) } catch {
                    over = true
                    throw .transport(error.description)
                }
                defer { for index in plaintext.indices { plaintext[index] = 0 } }
                queued += try decoder.append(plaintext)
            }
            switch answer.turn {
            case .closed: over = true
            case .waiting:
                // The signer waits for us: fine while we still hold frames for it, out of step otherwise.
                if queued.isEmpty && outbound.isEmpty { throw .outOfStep }
            case .working: break
            }
        }
        return queued.removeFirst()
    }
}
