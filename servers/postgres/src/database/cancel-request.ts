/**
 * @module
 * The protocol's cancel request: a 16-byte packet on a new socket naming the backend key the
 * connection received at start-up. Unlike `pg_cancel_backend` on a second session it needs no
 * login and reaches the right statement through a pooler, which keeps its own keys and forwards
 * the request to the server session the client is linked to at that moment.
 */
import { connect, type Socket } from 'node:net';
import type { Client } from 'pg';
import { ProtocolCode } from './embedded/wire.js';

const CANCEL_TIMEOUT_MS = 5000;

/** The cancel packet: its length, the cancel code, the backend's process id and secret key. */
export function cancelPacket(processId: number, secretKey: number): Buffer {
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(ProtocolCode.cancelRequest, 4);
  packet.writeInt32BE(processId, 8);
  packet.writeInt32BE(secretKey, 12);
  return packet;
}

/** Sends a cancel request to the host and port `client` is connected to; resolves once it was handled. */
export function sendCancelRequest(
  client: Client,
  processId: number,
  secretKey: number,
): Promise<void> {
  const { host, port } = client;
  return new Promise((resolve, reject) => {
    const socket: Socket = host.startsWith('/')
      ? connect(`${host}/.s.PGSQL.${port}`)
      : connect(port, host);
    socket.setTimeout(CANCEL_TIMEOUT_MS, () =>
      socket.destroy(new Error('the cancel request timed out')),
    );
    socket.once('error', reject);
    // No answer comes; the other side closes the socket when it is done. Closing it first would
    // make a pooler drop the request (PgBouncer forwards it only while the requester waits).
    socket.once('connect', () => socket.write(cancelPacket(processId, secretKey)));
    socket.once('close', () => resolve());
  });
}
