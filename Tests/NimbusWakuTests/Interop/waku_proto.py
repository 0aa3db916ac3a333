"""Protobuf encoding of the Waku messages, written by hand from the RFCs' .proto definitions
(14/WAKU2-MESSAGE, 19/WAKU2-LIGHTPUSH, 12/WAKU2-FILTER, 13/WAKU2-STORE, 66/WAKU2-METADATA,
34/WAKU2-PEER-EXCHANGE) and EIP-778 node records with 31/WAKU2-ENR's fields, independent of the Swift
implementation it tests."""

import hashlib

import coincurve
from Crypto.Hash import keccak


def uvarint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def key(number: int, wire_type: int) -> bytes:
    return uvarint(number << 3 | wire_type)


def f_varint(number: int, value: int) -> bytes:
    return key(number, 0) + uvarint(value)


def f_bytes(number: int, value: bytes) -> bytes:
    return key(number, 2) + uvarint(len(value)) + value


def f_string(number: int, value: str) -> bytes:
    return f_bytes(number, value.encode())


def zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 63) if value >= 0 else ((-value) << 1) - 1


def unzigzag(value: int) -> int:
    return (value >> 1) ^ -(value & 1)


def parse(buf: bytes) -> list:
    """Fields as (number, wire_type, value); raises ValueError on malformed input."""
    fields = []
    i = 0

    def read_varint():
        nonlocal i
        shift = 0
        result = 0
        while True:
            if i >= len(buf):
                raise ValueError("truncated varint")
            byte = buf[i]
            i += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7
            if shift > 63:
                raise ValueError("varint too long")

    while i < len(buf):
        k = read_varint()
        number, wire_type = k >> 3, k & 7
        if wire_type == 0:
            fields.append((number, 0, read_varint()))
        elif wire_type == 2:
            length = read_varint()
            if i + length > len(buf):
                raise ValueError("truncated field")
            fields.append((number, 2, buf[i : i + length]))
            i += length
        elif wire_type == 1:
            fields.append((number, 1, buf[i : i + 8]))
            i += 8
        elif wire_type == 5:
            fields.append((number, 5, buf[i : i + 4]))
            i += 4
        else:
            raise ValueError("unsupported wire type %d" % wire_type)
    return fields


def first(fields, number, default=None):
    for n, _, value in fields:
        if n == number:
            return value
    return default


def every(fields, number):
    return [value for n, _, value in fields if n == number]


# 14/WAKU2-MESSAGE: payload 1, content_topic 2, version 3, timestamp 10 (sint64), meta 11, ephemeral 31.
def encode_message(payload: bytes, content_topic: str, timestamp: int, meta: bytes = b"") -> bytes:
    out = f_bytes(1, payload) + f_string(2, content_topic) + f_varint(10, zigzag(timestamp))
    if meta:
        out += f_bytes(11, meta)
    return out


def decode_message(buf: bytes) -> dict:
    fields = parse(buf)
    timestamp = first(fields, 10)
    return {
        "payload": first(fields, 1, b""),
        "content_topic": first(fields, 2, b"").decode(),
        "timestamp": unzigzag(timestamp) if timestamp is not None else 0,
        "meta": first(fields, 11, b""),
    }


def message_hash(pubsub_topic: str, message: dict) -> bytes:
    """14/WAKU2-MESSAGE deterministic hash."""
    h = hashlib.sha256()
    h.update(pubsub_topic.encode())
    h.update(message["payload"])
    h.update(message["content_topic"].encode())
    h.update(message["meta"])
    h.update((message["timestamp"] & (2**64 - 1)).to_bytes(8, "big"))
    return h.digest()


# 66/WAKU2-METADATA: cluster_id 1, shards 2 (unpacked, deprecated) and 3 (packed).
def encode_metadata(cluster: int, shards: list) -> bytes:
    out = f_varint(1, cluster)
    for shard in shards:
        out += f_varint(2, shard)
    if shards:
        out += f_bytes(3, b"".join(uvarint(s) for s in shards))
    return out


# 19/WAKU2-LIGHTPUSH v3: request {request_id 1, pubsub_topic 20, message 21};
# response {request_id 1, status_code 10, status_desc 11, relay_peer_count 12}.
def encode_lightpush_request(request_id: str, pubsub_topic: str, message: bytes) -> bytes:
    return f_string(1, request_id) + f_string(20, pubsub_topic) + f_bytes(21, message)


def encode_lightpush_response(request_id: str, code: int, desc: str, relay_peer_count: int) -> bytes:
    return f_string(1, request_id) + f_varint(10, code) + f_string(11, desc) + f_varint(12, relay_peer_count)


# 19/WAKU2-LIGHTPUSH v2: PushRPC {request_id 1, request 2 {pubsub_topic 1, message 2}, response 3
# {is_success 1, info 2}}.
def encode_push_rpc_response(request_id: str, success: bool, info: str) -> bytes:
    return f_string(1, request_id) + f_bytes(3, f_varint(1, 1 if success else 0) + f_string(2, info))


# 12/WAKU2-FILTER v2: FilterSubscribeRequest {request_id 1, type 2, pubsub_topic 10, content_topics 11};
# FilterSubscribeResponse {request_id 1, status_code 10, status_desc 11}; MessagePush {waku_message 1, pubsub_topic 2}.
def encode_filter_request(request_id: str, kind: int, pubsub_topic: str = None, content_topics=()) -> bytes:
    out = f_string(1, request_id) + f_varint(2, kind)
    if pubsub_topic is not None:
        out += f_string(10, pubsub_topic)
    for topic in content_topics:
        out += f_string(11, topic)
    return out


def encode_filter_response(request_id: str, code: int, desc: str) -> bytes:
    return f_string(1, request_id) + f_varint(10, code) + f_string(11, desc)


def encode_message_push(message: bytes, pubsub_topic: str) -> bytes:
    return f_bytes(1, message) + f_string(2, pubsub_topic)


# 13/WAKU2-STORE v3: StoreQueryRequest {request_id 1, include_data 2, pubsub_topic 10, content_topics 11,
# time_start 12, time_end 13, message_hashes 20, pagination_cursor 51, pagination_forward 52, pagination_limit 53};
# StoreQueryResponse {request_id 1, status_code 10, status_desc 11, messages 20 {message_hash 1, message 2,
# pubsub_topic 3}, pagination_cursor 51}.
def encode_store_request(request_id: str, pubsub_topic: str, content_topics, cursor: bytes = None, limit: int = 2,
                         forward: bool = True) -> bytes:
    out = f_string(1, request_id) + f_varint(2, 1) + f_string(10, pubsub_topic)
    for topic in content_topics:
        out += f_string(11, topic)
    if cursor is not None:
        out += f_bytes(51, cursor)
    if forward:
        out += f_varint(52, 1)
    return out + f_varint(53, limit)


def encode_store_response(request_id: str, code: int, desc: str, entries, cursor: bytes = None) -> bytes:
    out = f_string(1, request_id) + f_varint(10, code) + f_string(11, desc)
    for digest, message, topic in entries:
        out += f_bytes(20, f_bytes(1, digest) + f_bytes(2, message) + f_string(3, topic))
    if cursor is not None:
        out += f_bytes(51, cursor)
    return out


# EIP-778 node records with the Waku fields of 31/WAKU2-ENR, and 34/WAKU2-PEER-EXCHANGE.

def rlp_length(length: int, offset: int) -> bytes:
    if length <= 55:
        return bytes([offset + length])
    size = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([offset + 55 + len(size)]) + size


def rlp(item) -> bytes:
    """RLP of bytes, non-negative ints (minimal big-endian) and lists of those."""
    if isinstance(item, int):
        item = item.to_bytes((item.bit_length() + 7) // 8, "big") if item else b""
    if isinstance(item, (bytes, bytearray)):
        if len(item) == 1 and item[0] < 0x80:
            return bytes(item)
        return rlp_length(len(item), 0x80) + bytes(item)
    body = b"".join(rlp(element) for element in item)
    return rlp_length(len(body), 0xC0) + body


WAKU2_RELAY, WAKU2_STORE, WAKU2_FILTER, WAKU2_LIGHTPUSH = 1, 2, 4, 8


def encode_enr(secret: bytes, seq: int, ip4: str, tcp: int, waku2: int, cluster: int, shards: list) -> bytes:
    """A "v4" record signed with the secp256k1 key `secret`: keys sorted, signature = r || s over
    keccak256(rlp([seq, k, v, ...]))."""
    key = coincurve.PrivateKey(secret)
    rs = cluster.to_bytes(2, "big") + bytes([len(shards)]) + b"".join(s.to_bytes(2, "big") for s in shards)
    pairs = {
        b"id": b"v4",
        b"ip": bytes(int(part) for part in ip4.split(".")),
        b"rs": rs,
        b"secp256k1": key.public_key.format(compressed=True),
        b"tcp": tcp,
        b"waku2": bytes([waku2]),
    }
    content = [seq]
    for name in sorted(pairs):
        content += [name, pairs[name]]
    digest = keccak.new(digest_bits=256, data=rlp(content)).digest()
    signature = key.sign_recoverable(digest, hasher=None)[:64]
    return rlp([signature] + content)


def encode_px_response(enrs, code: int = 200, desc: str = "OK") -> bytes:
    response = b"".join(f_bytes(1, f_bytes(1, enr)) for enr in enrs) + f_varint(10, code) + f_string(11, desc)
    return f_bytes(2, response)


def decode_px_query(buf: bytes) -> int:
    """The num_peers of a PeerExchangeRPC query (field 1 {num_peers 1})."""
    query = first(parse(buf), 1)
    if query is None:
        raise ValueError("no query")
    return first(parse(query), 1, 0)
