/**
 * @module
 * Two transports wired to each other in one process, for tests: messages are delivered as
 * parsed JSON on a later microtask, as a real transport would.
 */
import type { OutgoingMessage } from '../jsonrpc/message.js';
import type { Transport } from '../jsonrpc/transport.js';
import { LocalError, LocalErrorCode } from '../jsonrpc/errors.js';

export class InMemoryTransport implements Transport {
  #peer: InMemoryTransport | undefined;
  #closed = false;
  onmessage?: (value: unknown) => void;
  onparseerror?: (detail: string) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;

  static createLinkedPair(): [InMemoryTransport, InMemoryTransport] {
    const a = new InMemoryTransport();
    const b = new InMemoryTransport();
    a.#peer = b;
    b.#peer = a;
    return [a, b];
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  send(message: OutgoingMessage): Promise<void> {
    if (this.#closed)
      return Promise.reject(new LocalError(LocalErrorCode.ConnectionClosed, 'transport is closed'));
    const peer = this.#peer;
    // A JSON round trip, so neither side can share objects with the other.
    const copy: unknown = JSON.parse(JSON.stringify(message));
    queueMicrotask(() => peer?.onmessage?.(copy));
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.onclose?.();
    void this.#peer?.close();
    return Promise.resolve();
  }
}
