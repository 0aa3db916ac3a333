#!/usr/bin/env python3
"""A py-libp2p 0.8.1 peer driven by the NimbusLibp2p interop tests.

It listens on loopback and prints one line per event on stdout; the Swift test drives it with commands on stdin:

    LISTEN <multiaddr>/p2p/<id>        printed at start
    DIAL <multiaddr>                   -> CONNECTED <peer id> <muxer> | ERROR dial <reason>
    CHECK <peer id>                    -> RESULT <name> ok|fail <detail> ... then CHECKED
    QUIT (or end of input)             -> exits

CHECK runs, towards a connected peer: identify (/ipfs/id/1.0.0), ping (/ipfs/ping/1.0.0) and an echo stream
(/nimbus/test/echo/1.0.0, 200 000 random bytes, compared by SHA-256). The peer also serves the echo protocol, so
the Swift side can run the same checks the other way over the same connection.

Only Noise is offered for security, and only the muxer named by --muxer, so each run pins one combination.
"""

import argparse
import hashlib
import os
import sys

import multiaddr
import trio

from libp2p import new_host
from libp2p.crypto import ed25519, secp256k1, x25519
from libp2p.crypto.serialization import deserialize_public_key
from libp2p.host.ping import PingService
from libp2p.identity.identify.identify import ID as IDENTIFY_ID
from libp2p.identity.identify.identify import parse_identify_response
from libp2p.network.stream.exceptions import StreamEOF
from libp2p.peer.id import ID
from libp2p.peer.peerinfo import info_from_p2p_addr
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE_PROTOCOL_ID
from libp2p.security.noise.transport import Transport as NoiseTransport
from libp2p.stream_muxer.mplex.mplex import MPLEX_PROTOCOL_ID, Mplex
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_PROTOCOL_ID
from libp2p.stream_muxer.yamux.yamux import Yamux

ECHO_PROTOCOL = "/nimbus/test/echo/1.0.0"
ECHO_SIZE = 200_000
MAX_LIFETIME_SECONDS = 120


def say(*parts: object) -> None:
    print(" ".join(str(part) for part in parts), flush=True)


def make_host(key: str, muxer: str):
    key_pair = secp256k1.create_new_key_pair() if key == "secp256k1" else ed25519.create_new_key_pair()
    security = {NOISE_PROTOCOL_ID: NoiseTransport(key_pair, noise_privkey=x25519.create_new_key_pair().private_key)}
    muxers = {YAMUX_PROTOCOL_ID: Yamux} if muxer == "yamux" else {MPLEX_PROTOCOL_ID: Mplex}
    return new_host(key_pair=key_pair, sec_opt=security, muxer_opt=muxers)


async def read_to_end(stream, limit: int) -> bytes:
    chunks = []
    total = 0
    while True:
        try:
            chunk = await stream.read(65536)
        except StreamEOF:
            break
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise ValueError("more than %d bytes" % limit)
    return b"".join(chunks)


async def echo_handler(stream) -> None:
    try:
        while True:
            try:
                chunk = await stream.read(65536)
            except StreamEOF:
                break
            if not chunk:
                break
            await stream.write(chunk)
        await stream.close_write()
    except Exception as error:  # a failed echo shows up on the other side
        say("ERROR echo-handler", type(error).__name__)
        await stream.reset()


def muxer_name(host, peer_id) -> str:
    connections = host.get_network().get_connections(peer_id)
    if not connections:
        return "none"
    muxed = connections[0].muxed_conn
    return type(muxed).__name__.lower()


async def check_identify(host, peer_id) -> None:
    stream = await host.new_stream(peer_id, [IDENTIFY_ID])
    data = await read_to_end(stream, 1 << 16)
    await stream.close()
    message = parse_identify_response(data)
    key = deserialize_public_key(message.public_key)
    if ID.from_pubkey(key) != peer_id:
        say("RESULT identify fail public-key-mismatch")
        return
    protocols = list(message.protocols)
    if ECHO_PROTOCOL not in protocols:
        say("RESULT identify fail echo-protocol-missing", ",".join(protocols))
        return
    say("RESULT identify ok", "agent=" + message.agent_version, "protocols=" + ",".join(sorted(protocols)))


async def check_ping(host, peer_id) -> None:
    rtts = await PingService(host).ping(peer_id, ping_amt=3)
    if len(rtts) != 3:
        say("RESULT ping fail", "rtts=%d" % len(rtts))
        return
    say("RESULT ping ok", "rtts=%d" % len(rtts))


async def check_echo(host, peer_id) -> None:
    payload = os.urandom(ECHO_SIZE)
    stream = await host.new_stream(peer_id, [ECHO_PROTOCOL])
    received = b""

    async def reader() -> None:
        nonlocal received
        received = await read_to_end(stream, ECHO_SIZE + 1)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(reader)
        for offset in range(0, len(payload), 16384):
            await stream.write(payload[offset : offset + 16384])
        await stream.close_write()
    await stream.close()
    if hashlib.sha256(received).digest() != hashlib.sha256(payload).digest():
        say("RESULT echo fail", "received=%d" % len(received))
        return
    say("RESULT echo ok", "bytes=%d" % len(received))


async def run_check(host, peer_text: str) -> None:
    peer_id = ID.from_base58(peer_text)
    for name, check in (("identify", check_identify), ("ping", check_ping), ("echo", check_echo)):
        try:
            with trio.fail_after(20):
                await check(host, peer_id)
        except Exception as error:
            say("RESULT", name, "fail", type(error).__name__, str(error).replace("\n", " ")[:200])
    say("MUXER", muxer_name(host, peer_id))
    say("CHECKED")


async def command_loop(host) -> None:
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
            if words[0] == "DIAL":
                try:
                    info = info_from_p2p_addr(multiaddr.Multiaddr(words[1]))
                    with trio.fail_after(20):
                        await host.connect(info)
                    say("CONNECTED", info.peer_id.to_base58(), muxer_name(host, info.peer_id))
                except Exception as error:
                    say("ERROR dial", type(error).__name__, str(error).replace("\n", " ")[:200])
            elif words[0] == "CHECK":
                await run_check(host, words[1])
            else:
                say("ERROR unknown-command", words[0])


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--key", choices=["ed25519", "secp256k1"], required=True)
    parser.add_argument("--muxer", choices=["yamux", "mplex"], required=True)
    args = parser.parse_args()

    host = make_host(args.key, args.muxer)
    host.set_stream_handler(ECHO_PROTOCOL, echo_handler)
    async with host.run(listen_addrs=[multiaddr.Multiaddr("/ip4/127.0.0.1/tcp/0")]):
        addresses = [str(address) for address in host.get_addrs()]
        address = next(address for address in addresses if address.startswith("/ip4/127.0.0.1/tcp/"))
        if "/p2p/" not in address:
            address += "/p2p/" + host.get_id().to_base58()
        say("LISTEN", address)
        with trio.move_on_after(MAX_LIFETIME_SECONDS):
            await command_loop(host)
    say("BYE")


if __name__ == "__main__":
    trio.run(main)
