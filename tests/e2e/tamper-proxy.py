#!/usr/bin/env python3
"""A tampering RPC proxy for the end-to-end tests: it relays WebSocket connections between
`owh` and a real node, and in every message the node sends it replaces one hex string with
another of the same length, as a lying node or an attacker on an unencrypted path would (for
example a manifest's message, inside the SCALE bytes of a runtime API answer). It logs each
rewritten message to stderr as `tampered <n>`.

Usage: tamper-proxy.py <listen port> <node port> <from hex> <to hex>
"""
import asyncio
import sys

LISTEN, NODE = int(sys.argv[1]), int(sys.argv[2])
OLD, NEW = sys.argv[3].encode(), sys.argv[4].encode()
assert len(OLD) == len(NEW) and OLD != NEW, "the replacement must keep the length"
tampered = 0


async def client_to_node(reader, writer):
    """Relays the client's bytes; drops any WebSocket extension offer from the upgrade request,
    so that the node's messages stay uncompressed and readable."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = [l for l in head.split(b"\r\n") if not l.lower().startswith(b"sec-websocket-extensions:")]
    writer.write(b"\r\n".join(lines))
    await writer.drain()
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()


async def node_to_client(reader, writer):
    """Relays the upgrade response as is, then frame by frame, rewriting each payload."""
    global tampered
    writer.write(await reader.readuntil(b"\r\n\r\n"))
    await writer.drain()
    while True:
        header = await reader.readexactly(2)
        length = header[1] & 0x7F
        extended = b""
        if length == 126:
            extended = await reader.readexactly(2)
            length = int.from_bytes(extended, "big")
        elif length == 127:
            extended = await reader.readexactly(8)
            length = int.from_bytes(extended, "big")
        mask = await reader.readexactly(4) if header[1] & 0x80 else b""
        payload = await reader.readexactly(length)
        if not mask and OLD in payload:
            payload = payload.replace(OLD, NEW)
            tampered += 1
            print(f"tampered {tampered}", file=sys.stderr, flush=True)
        writer.write(header + extended + mask + payload)
        await writer.drain()


async def relay(client_reader, client_writer):
    node_reader, node_writer = await asyncio.open_connection("127.0.0.1", NODE)
    pumps = [
        asyncio.create_task(client_to_node(client_reader, node_writer)),
        asyncio.create_task(node_to_client(node_reader, client_writer)),
    ]
    try:
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in pumps:
            task.cancel()
        for w in (client_writer, node_writer):
            w.close()


async def main():
    server = await asyncio.start_server(relay, "127.0.0.1", LISTEN)
    async with server:
        await server.serve_forever()


asyncio.run(main())
