#!/usr/bin/env python3
"""A py-libp2p 0.8.1 Waku peer driven by the NimbusWaku interop tests, written from the Waku RFCs.

It listens on loopback and prints one line per event; the Swift test sends commands on stdin.

    LISTEN <multiaddr>/p2p/<id>                      printed at start
    DIAL <multiaddr>                                 -> CONNECTED <peer> | ERROR dial <reason>

  --relay: gossipsub under /vac/waku/relay/2.0.0 with StrictNoSign and message id sha256(data) (11/WAKU2-RELAY)
    SUBSCRIBE <pubsub topic>                         -> SUBSCRIBED <topic>; then RELAY <topic> <content> <hex>
                                                        for every message received
    PUBLISH <pubsub topic> <content topic> <hex>     -> PUBLISHED <message id hex>
    MESH <pubsub topic>                              -> MESH <topic> <peer count>

  --service v3|v2: lightpush (v3, or only the v2 legacy protocol), filter v2 and store v3 service
    (prints SERVED lightpush <content> <hex> when it accepts a message)

  --peer-exchange: 34/WAKU2-PEER-EXCHANGE service answering with the records given by PXADD
    PXADD <enr hex>                                  -> PXADDED <record count>
    (prints SERVED peer-exchange <num_peers asked> <records returned> for each query)

    ENR                                              -> ENR <hex>: this peer's own signed record (its loopback
                                                        address, cluster 1, shards 0-7, and the services it runs)

  client commands, towards a Swift service node:
    LIGHTPUSH <peer> <pubsub> <content> <hex>        -> LIGHTPUSH <status> <relay peer count>
    FSUB <peer> <pubsub> <content>                   -> FSUB <status>; then PUSH <pubsub> <content> <hex>
    FPING <peer>                                     -> FPING <status>
    STORE <peer> <pubsub> <content>                  -> STORE <status> <count> <hex,hex,...> (pages of 2)

The peer always serves 66/WAKU2-METADATA (cluster 1) so that the Swift node keeps the connection. py-libp2p
quirks handled here: the relay protocol id replaces PROTOCOL_ID_V11 before the router is made; equivocation
checks are skipped for unsigned messages; spam protection is off; own messages go through push_msg without
from/seqno.
"""

import argparse
import hashlib
import os
import sys
import time
import uuid

import multiaddr
import trio

import libp2p.pubsub.gossipsub as gossipsub_module
from libp2p.tools.anyio_service import background_trio_service
from libp2p import new_host
from libp2p.crypto import secp256k1, x25519
from libp2p.network.stream.exceptions import StreamEOF
from libp2p.peer.id import ID
from libp2p.peer.peerinfo import info_from_p2p_addr
from libp2p.pubsub.pb import rpc_pb2
from libp2p.pubsub.pubsub import Pubsub
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE_PROTOCOL_ID
from libp2p.security.noise.transport import Transport as NoiseTransport
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_PROTOCOL_ID
from libp2p.stream_muxer.yamux.yamux import Yamux

import waku_proto as pb

RELAY = "/vac/waku/relay/2.0.0"
METADATA = "/vac/waku/metadata/1.0.0"
LIGHTPUSH = "/vac/waku/lightpush/3.0.0"
LIGHTPUSH_V2 = "/vac/waku/lightpush/2.0.0-beta1"
FILTER_SUBSCRIBE = "/vac/waku/filter-subscribe/2.0.0-beta1"
FILTER_PUSH = "/vac/waku/filter-push/2.0.0-beta1"
STORE = "/vac/waku/store-query/3.0.0"
PEER_EXCHANGE = "/vac/waku/peer-exchange/2.0.0-alpha1"
MAX_LIFETIME_SECONDS = 120
MAX_FRAME = 16 * 1024 * 1024


def say(*parts: object) -> None:
    print(" ".join(str(part) for part in parts), flush=True)


async def read_frame(stream, limit: int = MAX_FRAME) -> bytes:
    """One unsigned-varint length-prefixed message."""
    length = 0
    shift = 0
    while True:
        byte = await stream.read(1)
        if not byte:
            raise EOFError("stream ended in a length prefix")
        length |= (byte[0] & 0x7F) << shift
        if not byte[0] & 0x80:
            break
        shift += 7
    if length > limit:
        raise ValueError("frame of %d bytes" % length)
    data = b""
    while len(data) < length:
        chunk = await stream.read(length - len(data))
        if not chunk:
            raise EOFError("stream ended in a frame")
        data += chunk
    return data


async def write_frame(stream, body: bytes) -> None:
    await stream.write(pb.uvarint(len(body)) + body)


async def exchange(host, peer: ID, protocol: str, body: bytes) -> bytes:
    stream = await host.new_stream(peer, [protocol])
    await write_frame(stream, body)
    reply = await read_frame(stream)
    await stream.close()
    return reply


class WakuGossipSub(gossipsub_module.GossipSub):
    """Unsigned StrictNoSign messages have empty from/seqno, so the equivocation key would collide."""

    def _check_equivocation(self, msg) -> bool:
        if not msg.from_id and not msg.seqno:
            return True
        return super()._check_equivocation(msg)


def message_id(msg) -> bytes:
    # 11/WAKU2-RELAY as deployed: sha256 of the message's data (the WakuMessage bytes).
    return hashlib.sha256(msg.data).digest()


class Peer:
    def __init__(self, host, pubsub, service: str | None, secret: bytes):
        self.host = host
        self.pubsub = pubsub
        self.service = service
        self.secret = secret
        self.address = ""
        self.exchange_records = []  # ENRs handed out by the peer-exchange service
        self.stored = []  # (hash, message bytes, pubsub topic, timestamp)
        self.filter_subscriptions = {}  # peer -> set of (pubsub, content)

    # 66/WAKU2-METADATA, both roles.
    async def serve_metadata(self, stream) -> None:
        try:
            pb.parse(await read_frame(stream, 1024))
            await write_frame(stream, pb.encode_metadata(1, [0, 1, 2, 3, 4, 5, 6, 7]))
            await stream.close()
        except Exception as error:
            say("ERROR metadata", type(error).__name__, error)

    # 19/WAKU2-LIGHTPUSH v3 service.
    async def serve_lightpush(self, stream) -> None:
        try:
            fields = pb.parse(await read_frame(stream))
            request_id = pb.first(fields, 1, b"").decode()
            topic = pb.first(fields, 20, b"").decode()
            raw = pb.first(fields, 21)
            if not request_id or raw is None or not topic:
                await write_frame(stream, pb.encode_lightpush_response(request_id or "N/A", 400, "bad request", 0))
            else:
                await self.accept(topic, raw)
                await write_frame(stream, pb.encode_lightpush_response(request_id, 200, "OK", 1))
            await stream.close()
        except Exception as error:
            say("ERROR lightpush", type(error).__name__, error)

    # 19/WAKU2-LIGHTPUSH v2 service.
    async def serve_lightpush_v2(self, stream) -> None:
        try:
            fields = pb.parse(await read_frame(stream))
            request_id = pb.first(fields, 1, b"").decode()
            request = pb.parse(pb.first(fields, 2, b""))
            topic = pb.first(request, 1, b"").decode()
            raw = pb.first(request, 2)
            ok = bool(topic) and raw is not None
            if ok:
                await self.accept(topic, raw)
            await write_frame(stream, pb.encode_push_rpc_response(request_id, ok, "OK" if ok else "bad request"))
            await stream.close()
        except Exception as error:
            say("ERROR lightpush-v2", type(error).__name__, error)

    async def accept(self, topic: str, raw: bytes) -> None:
        message = pb.decode_message(raw)
        digest = pb.message_hash(topic, message)
        if all(entry[0] != digest for entry in self.stored):
            self.stored.append((digest, raw, topic, message["timestamp"]))
        say("SERVED lightpush", message["content_topic"], message["payload"].hex() or "-")
        for peer, criteria in list(self.filter_subscriptions.items()):
            if (topic, message["content_topic"]) in criteria:
                try:
                    stream = await self.host.new_stream(peer, [FILTER_PUSH])
                    await write_frame(stream, pb.encode_message_push(raw, topic))
                    await stream.close()
                except Exception as error:
                    say("ERROR filter-push", type(error).__name__, error)

    # 12/WAKU2-FILTER v2 service.
    async def serve_filter(self, stream) -> None:
        try:
            peer = stream.muxed_conn.peer_id
            fields = pb.parse(await read_frame(stream))
            request_id = pb.first(fields, 1, b"").decode()
            kind = pb.first(fields, 2, 0)
            topic = pb.first(fields, 10)
            contents = [value.decode() for value in pb.every(fields, 11)]
            current = self.filter_subscriptions.get(peer, set())
            code = 200
            if kind == 0:
                code = 200 if current else 404
            elif kind == 1:
                if topic is None or not contents:
                    code = 400
                else:
                    self.filter_subscriptions[peer] = current | {(topic.decode(), c) for c in contents}
            elif kind == 2:
                if topic is None or not contents:
                    code = 400
                else:
                    self.filter_subscriptions[peer] = current - {(topic.decode(), c) for c in contents}
            elif kind == 3:
                code = 200 if self.filter_subscriptions.pop(peer, None) else 404
            else:
                code = 400
            await write_frame(stream, pb.encode_filter_response(request_id, code, "OK" if code == 200 else "error"))
            await stream.close()
        except Exception as error:
            say("ERROR filter", type(error).__name__, error)

    # 13/WAKU2-STORE v3 service: content filter and time range, forward or backward pages by cursor.
    async def serve_store(self, stream) -> None:
        try:
            fields = pb.parse(await read_frame(stream))
            request_id = pb.first(fields, 1, b"").decode()
            topic = pb.first(fields, 10, b"").decode()
            contents = {value.decode() for value in pb.every(fields, 11)}
            start = pb.first(fields, 12)
            end = pb.first(fields, 13)
            cursor = pb.first(fields, 51)
            forward = pb.first(fields, 52, 0) == 1
            limit = min(pb.first(fields, 53, 20), 100)
            rows = sorted(
                (entry for entry in self.stored
                 if (not topic or entry[2] == topic)
                 and (not contents or pb.decode_message(entry[1])["content_topic"] in contents)
                 and (start is None or entry[3] >= pb.unzigzag(start))
                 and (end is None or entry[3] <= pb.unzigzag(end))),
                key=lambda entry: (entry[3], entry[0]), reverse=not forward)
            if cursor is not None:
                index = next((i for i, entry in enumerate(rows) if entry[0] == cursor), None)
                if index is None:
                    await write_frame(stream, pb.encode_store_response(request_id, 400, "cursor not found", []))
                    await stream.close()
                    return
                rows = rows[index + 1 :]
            page = rows[:limit]
            next_cursor = page[-1][0] if len(rows) > limit else None
            entries = [(entry[0], entry[1], entry[2]) for entry in page]
            await write_frame(stream, pb.encode_store_response(request_id, 200, "OK", entries, next_cursor))
            await stream.close()
        except Exception as error:
            say("ERROR store", type(error).__name__, error)

    # 34/WAKU2-PEER-EXCHANGE service: the records given with PXADD, at most as many as asked for.
    async def serve_peer_exchange(self, stream) -> None:
        try:
            wanted = pb.decode_px_query(await read_frame(stream, 1024))
            records = self.exchange_records[:wanted]
            await write_frame(stream, pb.encode_px_response(records))
            await stream.close()
            say("SERVED peer-exchange", wanted, len(records))
        except Exception as error:
            say("ERROR peer-exchange", type(error).__name__, error)

    def own_enr(self) -> bytes:
        parts = self.address.split("/")  # /ip4/<ip>/tcp/<port>/p2p/<id>
        services = 0
        if self.pubsub is not None:
            services |= pb.WAKU2_RELAY
        if self.service:
            services |= pb.WAKU2_STORE | pb.WAKU2_FILTER | pb.WAKU2_LIGHTPUSH
        return pb.encode_enr(self.secret, 1, parts[2], int(parts[4]), services, 1, list(range(8)))

    # Client side: filter pushes from a Swift service node.
    async def receive_push(self, stream) -> None:
        try:
            fields = pb.parse(await read_frame(stream))
            message = pb.decode_message(pb.first(fields, 1))
            say("PUSH", pb.first(fields, 2, b"").decode(), message["content_topic"], message["payload"].hex() or "-")
            await stream.close()
        except Exception as error:
            say("ERROR push", type(error).__name__, error)

    async def relay_reader(self, topic: str, subscription) -> None:
        while True:
            msg = await subscription.get()
            try:
                message = pb.decode_message(msg.data)
                say("RELAY", topic, message["content_topic"], message["payload"].hex() or "-",
                    "signed" if (msg.from_id or msg.seqno or msg.signature or msg.key) else "unsigned")
            except Exception as error:
                say("ERROR relay-decode", type(error).__name__, error)

    async def command(self, words, nursery) -> None:
        name = words[0]
        if name == "DIAL":
            info = info_from_p2p_addr(multiaddr.Multiaddr(words[1]))
            with trio.fail_after(20):
                await self.host.connect(info)
            say("CONNECTED", info.peer_id.to_base58())
        elif name == "ENR":
            say("ENR", self.own_enr().hex())
        elif name == "PXADD":
            self.exchange_records.append(bytes.fromhex(words[1]))
            say("PXADDED", len(self.exchange_records))
        elif name == "SUBSCRIBE":
            subscription = await self.pubsub.subscribe(words[1])
            nursery.start_soon(self.relay_reader, words[1], subscription)
            say("SUBSCRIBED", words[1])
        elif name == "PUBLISH":
            data = pb.encode_message(bytes.fromhex(words[3]), words[2], time.time_ns())
            msg = rpc_pb2.Message(data=data, topicIDs=[words[1]])
            await self.pubsub.push_msg(self.host.get_id(), msg)
            say("PUBLISHED", message_id(msg).hex())
        elif name == "MESH":
            say("MESH", words[1], len(self.pubsub.router.mesh.get(words[1], set())))
        elif name == "LIGHTPUSH":
            peer = ID.from_base58(words[1])
            request_id = uuid.uuid4().hex
            raw = pb.encode_message(bytes.fromhex(words[4]), words[3], time.time_ns())
            request = pb.encode_lightpush_request(request_id, words[2], raw)
            fields = pb.parse(await exchange(self.host, peer, LIGHTPUSH, request))
            assert pb.first(fields, 1, b"").decode() == request_id, "request id not echoed"
            say("LIGHTPUSH", pb.first(fields, 10), pb.first(fields, 12, 0))
        elif name == "FSUB":
            peer = ID.from_base58(words[1])
            request_id = uuid.uuid4().hex
            fields = pb.parse(await exchange(self.host, peer, FILTER_SUBSCRIBE,
                                             pb.encode_filter_request(request_id, 1, words[2], [words[3]])))
            say("FSUB", pb.first(fields, 10))
        elif name == "FPING":
            peer = ID.from_base58(words[1])
            fields = pb.parse(await exchange(self.host, peer, FILTER_SUBSCRIBE,
                                             pb.encode_filter_request(uuid.uuid4().hex, 0)))
            say("FPING", pb.first(fields, 10))
        elif name == "STORE":
            peer = ID.from_base58(words[1])
            cursor = None
            payloads = []
            status = None
            for _ in range(50):
                request_id = uuid.uuid4().hex
                reply = await exchange(self.host, peer, STORE,
                                       pb.encode_store_request(request_id, words[2], [words[3]], cursor, limit=2))
                fields = pb.parse(reply)
                status = pb.first(fields, 10)
                if status != 200:
                    break
                for entry in pb.every(fields, 20):
                    entry_fields = pb.parse(entry)
                    message = pb.decode_message(pb.first(entry_fields, 2))
                    topic = pb.first(entry_fields, 3).decode()
                    assert pb.message_hash(topic, message) == pb.first(entry_fields, 1), "hash mismatch"
                    payloads.append(message["payload"].hex() or "-")
                cursor = pb.first(fields, 51)
                if cursor is None:
                    break
            say("STORE", status, len(payloads), ",".join(payloads) or "-")
        else:
            say("ERROR unknown-command", name)


async def command_loop(peer, nursery) -> None:
    stdin = trio.lowlevel.FdStream(os.dup(sys.stdin.fileno()))
    buffer = b""
    while True:
        chunk = await stdin.receive_some(4096)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            words = line.decode().split()
            if not words:
                continue
            if words[0] == "QUIT":
                return
            try:
                await peer.command(words, nursery)
            except Exception as error:
                say("ERROR", words[0], type(error).__name__, str(error).replace("\n", " ")[:200])


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--relay", action="store_true")
    parser.add_argument("--service", choices=["v3", "v2"])
    parser.add_argument("--peer-exchange", action="store_true")
    args = parser.parse_args()

    key_pair = secp256k1.create_new_key_pair()
    security = {NOISE_PROTOCOL_ID: NoiseTransport(key_pair, noise_privkey=x25519.create_new_key_pair().private_key)}
    host = new_host(key_pair=key_pair, sec_opt=security, muxer_opt={YAMUX_PROTOCOL_ID: Yamux})
    pubsub = None
    router = None
    if args.relay:
        # The router accepts only protocol ids it knows: make Waku's relay id its v1.1 id before it exists.
        gossipsub_module.PROTOCOL_ID_V11 = RELAY
        router = WakuGossipSub(protocols=[RELAY], degree=6, degree_low=4, degree_high=12, heartbeat_interval=1,
                               spam_protection_enabled=False)
        pubsub = Pubsub(host, router, strict_signing=False, msg_id_constructor=message_id)
    peer = Peer(host, pubsub, args.service, key_pair.private_key.to_bytes())
    host.set_stream_handler(METADATA, peer.serve_metadata)
    host.set_stream_handler(FILTER_PUSH, peer.receive_push)
    if args.service == "v3":
        host.set_stream_handler(LIGHTPUSH, peer.serve_lightpush)
    if args.service == "v2":
        host.set_stream_handler(LIGHTPUSH_V2, peer.serve_lightpush_v2)
    if args.service:
        host.set_stream_handler(FILTER_SUBSCRIBE, peer.serve_filter)
        host.set_stream_handler(STORE, peer.serve_store)
    if args.peer_exchange:
        host.set_stream_handler(PEER_EXCHANGE, peer.serve_peer_exchange)

    async with host.run(listen_addrs=[multiaddr.Multiaddr("/ip4/127.0.0.1/tcp/0")]):
        async with trio.open_nursery() as nursery:
            if pubsub is not None:
                nursery.start_soon(run_service, pubsub, router)
                await trio.sleep(0.2)
            addresses = [str(address) for address in host.get_addrs()]
            address = next(address for address in addresses if address.startswith("/ip4/127.0.0.1/tcp/"))
            if "/p2p/" not in address:
                address += "/p2p/" + host.get_id().to_base58()
            peer.address = address
            say("LISTEN", address)
            with trio.move_on_after(MAX_LIFETIME_SECONDS):
                await command_loop(peer, nursery)
            nursery.cancel_scope.cancel()
    say("BYE")


async def run_service(pubsub, router) -> None:
    async with background_trio_service(pubsub):
        async with background_trio_service(router):
            await trio.sleep_forever()


if __name__ == "__main__":
    trio.run(main)
