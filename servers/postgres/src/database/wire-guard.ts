/**
 * @module
 * A size guard on the bytes a connection receives. `pg` buffers a whole message before it hands a
 * row over, so one `SELECT repeat('x', 500000000)` row would sit in memory in full however small
 * the result budget is. The guard reads only message headers as they stream past and destroys the
 * connection the moment a data row announces itself as larger than the limit.
 */
import type { Duplex } from 'node:stream';

const DATA_ROW = 0x44; // 'D'
const HEADER_BYTES = 5;

/** What tripped the guard, for the error message. */
export interface GuardTrip {
  messageBytes: number;
  limitBytes: number;
}

/**
 * Watches `stream` from a message boundary on. Returns a function that reports the trip, if any.
 * Call it after the connection's start-up, when the next byte begins a message.
 */
export function guardRowSize(stream: Duplex, limitBytes: number): () => GuardTrip | undefined {
  const header = Buffer.alloc(HEADER_BYTES);
  let filled = 0;
  let skip = 0;
  let trip: GuardTrip | undefined;
  const onData = (chunk: Buffer): void => {
    let index = 0;
    while (index < chunk.length && trip === undefined) {
      if (skip > 0) {
        const step = Math.min(skip, chunk.length - index);
        skip -= step;
        index += step;
        continue;
      }
      const step = Math.min(HEADER_BYTES - filled, chunk.length - index);
      chunk.copy(header, filled, index, index + step);
      filled += step;
      index += step;
      if (filled < HEADER_BYTES) break;
      filled = 0;
      const length = header.readInt32BE(1);
      if (header[0] === DATA_ROW && length > limitBytes) {
        trip = { messageBytes: length, limitBytes };
        stream.off('data', onData);
        stream.destroy();
        return;
      }
      skip = length - 4;
    }
  };
  stream.on('data', onData);
  return () => trip;
}
