#!/usr/bin/env python3
"""Relay throughput between two py-libp2p 0.8.1 peers under /vac/waku/relay/2.0.0, for WakuBench.

Both hosts run in this process (as the two Swift nodes do in WakuBench), over Noise and yamux on loopback.
Messages are unsigned WakuMessages (StrictNoSign), published through the router's push_msg path as the interop peer
does; the relay gossipsub subclass and message id come from the interop peer (Tests/NimbusWakuTests/Interop).
Prints one JSON line: {"results": [{"size": ..., "messages": ..., "seconds": ...}, ...]}.
"""

import argparse
import hashlib
import json
import os
import sys
import time

import multiaddr
import trio

HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Tests", "NimbusWakuTests", "Interop"))

import libp2p.pubsub.gossipsub as gossipsub_module  # noqa: E402
from libp2p import new_host  # noqa: E402
from libp2p.crypto import secp256k1, x25519  # noqa: E402
from libp2p.peer.peerinfo import info_from_p2p_addr  # noqa: E402
from libp2p.pubsub.pb import rpc_pb2  # noqa: E402
from libp2p.pubsub.pubsub import Pubsub  # noqa: E402
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE_PROTOCOL_ID  # noqa: E402
from libp2p.security.noise.transport import Transport as NoiseTransport  # noqa: E402
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_PROTOCOL_ID  # noqa: E402
from libp2p.stream_muxer.yamux.yamux import Yamux  # noqa: E402
from libp2p.tools.anyio_service import background_trio_service  # noqa: E402

import waku_proto as pb  # noqa: E402
from waku_peer import RELAY, WakuGossipSub, message_id  # noqa: E402

CONTENT_TOPIC = "/nimbus/1/bench/proto"


def pubsub_topic(content_topic: str) -> str:
    # Autosharding over 8 shards of cluster 1: sha256(application ‖ version), last 64 bits, mod 8.
    application, version = content_topic.split("/")[1:3]
    digest = hashlib.sha256((application + version).encode()).digest()
    return "/waku/2/rs/1/%d" % (int.from_bytes(digest[-8:], "big") % 8)


def make_peer():
    key_pair = secp256k1.create_new_key_pair()
    security = {NOISE_PROTOCOL_ID: NoiseTransport(key_pair, noise_privkey=x25519.create_new_key_pair().private_key)}
    host = new_host(key_pair=key_pair, sec_opt=security, muxer_opt={YAMUX_PROTOCOL_ID: Yamux})
    # Spam protection would cap each peer and topic at 10 messages/s.
    router = WakuGossipSub(protocols=[RELAY], degree=6, degree_low=4, degree_high=12, heartbeat_interval=1,
                           spam_protection_enabled=False)
    return host, router, Pubsub(host, router, strict_signing=False, msg_id_constructor=message_id)


async def run_pubsub(pubsub, router) -> None:
    async with background_trio_service(pubsub):
        async with background_trio_service(router):
            await trio.sleep_forever()


async def drain(subscription) -> None:
    while True:
        await subscription.get()


async def measure(sender, delivered, topic: str, size: int, seconds: float, window: int) -> dict:
    """Publishes for `seconds` with at most `window` messages in flight, then waits for the rest."""
    sent = received = 0
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        # Backpressure: the peer's queue holds 32 messages and drops the rest silently.
        while sent - received >= window:
            message = pb.decode_message((await delivered.get()).data)
            assert int.from_bytes(message["payload"][:4], "big") == received, "message %d lost" % received
            received += 1
        payload = sent.to_bytes(4, "big") + b"a" * (size - 4)
        data = pb.encode_message(payload, CONTENT_TOPIC, time.time_ns())
        await sender.push_msg(sender.host.get_id(), rpc_pb2.Message(data=data, topicIDs=[topic]))
        sent += 1
    while received < sent:
        await delivered.get()
        received += 1
    return {"size": size, "messages": received, "seconds": time.monotonic() - start}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--window", type=int, default=16)
    args = parser.parse_args()

    # The router accepts only meshsub ids it knows: Waku's relay id must be its v1.1 id before routers exist.
    gossipsub_module.PROTOCOL_ID_V11 = RELAY
    topic = pubsub_topic(CONTENT_TOPIC)
    first_host, first_router, first = make_peer()
    second_host, second_router, second = make_peer()
    listen = [multiaddr.Multiaddr("/ip4/127.0.0.1/tcp/0")]
    async with first_host.run(listen_addrs=listen), second_host.run(listen_addrs=listen):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(run_pubsub, first, first_router)
            nursery.start_soon(run_pubsub, second, second_router)
            await trio.sleep(0.2)
            address = str(second_host.get_addrs()[0])
            if "/p2p/" not in address:
                address += "/p2p/" + second_host.get_id().to_base58()
            await first_host.connect(info_from_p2p_addr(multiaddr.Multiaddr(address)))
            # Both subscribe so that each holds the other in its mesh; the sender's own copies are discarded.
            nursery.start_soon(drain, await first.subscribe(topic))
            delivered = await second.subscribe(topic)
            with trio.fail_after(30):
                while not (first.router.mesh.get(topic) and second.router.mesh.get(topic)):
                    await trio.sleep(0.05)
            results = []
            for size in (1024, 100 * 1024):
                results.append(await measure(first, delivered, topic, size, args.seconds, args.window))
            print(json.dumps({"results": results}), flush=True)
            nursery.cancel_scope.cancel()


if __name__ == "__main__":
    trio.run(main)
