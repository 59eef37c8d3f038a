/**
 * @module
 * The few PostgreSQL wire-protocol messages the embedded stream writes itself (the start-up
 * exchange, and the error a cancelled or timed-out statement ends with), and the framing it needs
 * to split what the client sends into messages.
 */

export const ProtocolCode = {
  startup: 196608,
  sslRequest: 80877103,
  gssRequest: 80877104,
  cancelRequest: 80877102,
} as const;

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

export function authenticationOk(): Buffer {
  return message('R', Buffer.from([0, 0, 0, 0]));
}

export function parameterStatus(name: string, value: string): Buffer {
  return message('S', Buffer.concat([cstring(name), cstring(value)]));
}

export function backendKeyData(processId: number, secretKey: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeInt32BE(processId, 0);
  body.writeInt32BE(secretKey, 4);
  return message('K', body);
}

export function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return message('Z', Buffer.from(status, 'latin1'));
}

export function errorResponse(code: string, text: string, severity = 'ERROR'): Buffer {
  return message(
    'E',
    Buffer.concat([
      Buffer.from('S'),
      cstring(severity),
      Buffer.from('V'),
      cstring(severity),
      Buffer.from('C'),
      cstring(code),
      Buffer.from('M'),
      cstring(text),
      Buffer.from([0]),
    ]),
  );
}

/** A Sync message: ends an extended-protocol exchange, including one an error left half done. */
export function sync(): Buffer {
  return message('S', Buffer.alloc(0));
}

/** A simple-protocol query message, for the session resets the stream runs itself. */
export function simpleQuery(sql: string): Buffer {
  return message('Q', cstring(sql));
}

/** The key/value pairs of a start-up message body (after its length and protocol code). */
export function startupParameters(packet: Buffer): Map<string, string> {
  const parameters = new Map<string, string>();
  const parts = packet.subarray(8).toString('utf8').split('\0');
  for (let index = 0; index + 1 < parts.length; index += 2) {
    const key = parts[index]!;
    if (key === '') break;
    parameters.set(key, parts[index + 1]!);
  }
  return parameters;
}

/** One frontend message: its type byte (0 for the untyped start-up packets) and its bytes. */
export interface FrontendMessage {
  type: string;
  bytes: Buffer;
}

/**
 * Splits complete messages off the front of `buffer`. Before start-up completes, packets have no
 * type byte. Returns the messages and the bytes left over.
 */
export function splitMessages(
  buffer: Buffer,
  started: () => boolean,
): { messages: FrontendMessage[]; rest: Buffer } {
  const messages: FrontendMessage[] = [];
  let offset = 0;
  for (;;) {
    const typed = started();
    const headerBytes = typed ? 5 : 4;
    if (buffer.length - offset < headerBytes) break;
    const length = buffer.readInt32BE(offset + (typed ? 1 : 0));
    const total = length + (typed ? 1 : 0);
    if (length < 4 || buffer.length - offset < total) break;
    const bytes = buffer.subarray(offset, offset + total);
    messages.push({ type: typed ? String.fromCharCode(bytes[0]!) : '', bytes });
    offset += total;
    // Only the first packet is untyped; the caller flips `started` as it handles it.
    if (!typed) break;
  }
  return { messages, rest: buffer.subarray(offset) };
}
