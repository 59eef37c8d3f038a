/**
 * @module
 * `requestState` for 2026-07-28 input-required results. The client echoes it back verbatim, so
 * it is attacker-controlled input: it is sealed with HMAC-SHA-256 (Web Crypto), bound to the
 * method and a digest of the request's own parameters, and expires. What it carries is the
 * answers gathered in earlier rounds, so a tool re-run from the start sees all of them.
 */
import { ErrorCode } from '../../../jsonrpc/error-code.js';
import { ProtocolError } from '../../../jsonrpc/errors.js';
import { isObject, type JsonObject } from '../../../jsonrpc/message.js';
import { fromBase64Url, toBase64Url } from '../../../kit/base64url.js';

export const DEFAULT_STATE_TTL_MS = 10 * 60 * 1000;

interface StatePayload {
  /** format version */
  v: 1;
  /** method */
  m: string;
  /** digest of the request parameters */
  d: string;
  /** expiry, ms since epoch */
  x: number;
  /** answers so far, by input key */
  a: Record<string, JsonObject>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * JSON with every object's keys in code-unit order and no whitespace, so equal values always
 * digest the same; `undefined` members are left out, as `JSON.stringify` leaves them.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function tampered(reason: string): ProtocolError {
  return new ProtocolError(
    ErrorCode.InvalidParams,
    `Invalid requestState: ${reason}. Send the request again without requestState to start over.`,
  );
}

export type RequestStateSecret = Uint8Array | string;

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/**
 * Seals and opens request state with a key ring: per process (a random key), or given by the
 * operator and shared by every instance behind a load balancer. The first key seals; every key
 * opens, so a new key can be put first while state sealed with the old one is still honoured.
 */
export class RequestStateSealer {
  readonly #secrets: readonly RequestStateSecret[];
  readonly #ttlMs: number;
  /** Imported on first use: most sessions never need request state, and start-up is measured. */
  #keys: Promise<HmacKey[]> | undefined;

  constructor(
    secret: RequestStateSecret | readonly RequestStateSecret[] | undefined,
    ttlMs = DEFAULT_STATE_TTL_MS,
  ) {
    this.#secrets =
      secret === undefined
        ? []
        : typeof secret === 'string' || secret instanceof Uint8Array
          ? [secret]
          : secret;
    this.#ttlMs = ttlMs;
  }

  #hmacKeys(): Promise<HmacKey[]> {
    this.#keys ??= Promise.all(
      (this.#secrets.length === 0
        ? [crypto.getRandomValues(new Uint8Array(32))]
        : this.#secrets
      ).map((secret) =>
        crypto.subtle.importKey(
          'raw',
          typeof secret === 'string' ? encoder.encode(secret) : new Uint8Array(secret),
          { name: 'HMAC', hash: 'SHA-256' },
          false,
          ['sign', 'verify'],
        ),
      ),
    );
    return this.#keys;
  }

  async #verify(mac: Uint8Array<ArrayBuffer>, body: string): Promise<boolean> {
    const data = encoder.encode(body);
    for (const key of await this.#hmacKeys())
      if (await crypto.subtle.verify('HMAC', key, mac, data)) return true;
    return false;
  }

  async digest(params: unknown): Promise<string> {
    const hash = await crypto.subtle.digest('SHA-256', encoder.encode(canonicalJson(params)));
    return toBase64Url(new Uint8Array(hash));
  }

  async seal(
    method: string,
    paramsDigest: string,
    answers: ReadonlyMap<string, JsonObject>,
    now = Date.now(),
  ): Promise<string> {
    const payload: StatePayload = {
      v: 1,
      m: method,
      d: paramsDigest,
      x: now + this.#ttlMs,
      a: Object.fromEntries(answers),
    };
    const body = toBase64Url(encoder.encode(JSON.stringify(payload)));
    const [key] = await this.#hmacKeys();
    const mac = await crypto.subtle.sign('HMAC', key!, encoder.encode(body));
    return `${body}.${toBase64Url(new Uint8Array(mac))}`;
  }

  /** Verifies integrity, binding and expiry; returns the answers carried. Throws -32602 otherwise. */
  async open(
    state: unknown,
    method: string,
    paramsDigest: string,
    now = Date.now(),
  ): Promise<Map<string, JsonObject>> {
    if (typeof state !== 'string' || state.length > 1_000_000)
      throw tampered('it must be the string this server sent');
    const [body, mac, extra] = state.split('.');
    const macBytes = mac === undefined ? undefined : fromBase64Url(mac);
    if (body === undefined || macBytes === undefined || extra !== undefined)
      throw tampered('it is malformed');
    if (!(await this.#verify(macBytes, body))) throw tampered('its signature does not match');
    let payload: unknown;
    try {
      payload = JSON.parse(decoder.decode(fromBase64Url(body)));
    } catch {
      throw tampered('it is malformed');
    }
    if (!isObject(payload) || payload.v !== 1 || !isObject(payload.a))
      throw tampered('it is malformed');
    if (payload.m !== method || payload.d !== paramsDigest)
      throw tampered('it belongs to a different request');
    if (typeof payload.x !== 'number' || payload.x < now) throw tampered('it has expired');
    const answers = new Map<string, JsonObject>();
    for (const [key, value] of Object.entries(payload.a)) {
      if (isObject(value)) answers.set(key, value);
    }
    return answers;
  }
}
