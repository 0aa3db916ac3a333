import Foundation
import NimbusIPC
import NimbusKeysChannel
import NimbusSignerKeys

/// Answers the network role's keys-channel requests (docs/keys-channel.md). An exchange may wait for a running
/// command, so each is answered from a thread of its own, never the link's reader.
struct KeysChannelRequests: Sendable {
    let channels: KeysChannels

    func open(_ open: KeysChannelOpen) -> IPCMessage {
        guard let device = Int64(exactly: open.device) else { return Self.failure(.unknownDevice) }
        do {
            let opened = try channels.open(deviceID: device, handshake: open.handshake)
            return .keysChannelOpened(KeysChannelOpened(channel: opened.channel, handshake: opened.handshake))
        } catch {
            return Self.failure(error)
        }
    }

    func exchange(_ exchange: KeysChannelExchange) -> IPCMessage {
        guard let device = Int64(exactly: exchange.channel.device) else { return Self.failure(.unknownDevice) }
        do {
            let answer = try channels.exchange(deviceID: device, channel: exchange.channel.channel, messages: exchange.messages)
            let turn: KeysChannelOutput.Turn = switch answer.turn {
            case .waiting: .waiting
            case .working: .working
            case .closed: .closed
            }
            return .keysChannelOutput(KeysChannelOutput(turn: turn, messages: answer.messages))
        } catch {
            return Self.failure(error)
        }
    }

    func close(_ channel: KeysChannelRef) -> IPCMessage {
        guard let device = Int64(exactly: channel.device) else { return Self.failure(.unknownDevice) }
        do {
            try channels.close(deviceID: device, channel: channel.channel)
            return .keysChannelOutput(KeysChannelOutput(turn: .closed, messages: []))
        } catch {
            return Self.failure(error)
        }
    }

    static func failure(_ refusal: KeysChannels.Refusal) -> IPCMessage {
        let code: Failure.Code = switch refusal {
        case .unknownDevice, .notCPace: .forbidden
        case .handshake, .notAuthentic, .protocolError: .invalid
        case .tooMany: .tooMany
        case .noSuchChannel: .notFound
        case .busy: .busy
        case .tooLarge: .tooLarge
        }
        return .failure(Failure(code: code, message: refusal.description))
    }
}
