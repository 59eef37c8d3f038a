/**
 * @module
 * Asking the client for input (elicitation, sampling, roots) the same way in both protocol
 * generations. In the handshake era the question is a server-to-client request and the handler
 * simply awaits it. In 2026-07-28 there are no server-to-client requests: the handler throws
 * {@link InputRequired}, the client answers in a retry, and the handler runs again from the top,
 * this time finding the answer waiting. Handlers must therefore not catch `InputRequired`.
 */
import { ErrorCode } from '../jsonrpc/error-code.js';
import { ProtocolError } from '../jsonrpc/errors.js';
import { isObject, type JsonObject } from '../jsonrpc/message.js';
import type { Exchange, InputMethod, InputRequest } from './exchange.js';
import type { ClientCapabilities } from './types.js';

export type { InputMethod, InputRequest } from './exchange.js';

/** Thrown to end a 2026-07-28 round with an input-required result. Not an error to handle. */
export class InputRequired extends Error {
  override readonly name = 'InputRequired';
  readonly requests: ReadonlyMap<string, InputRequest>;

  constructor(requests: ReadonlyMap<string, InputRequest>) {
    super('The client must provide input before this request can complete');
    this.requests = requests;
  }
}

/** -32021: the request needs a client capability that was not declared. */
export class MissingCapabilityError extends ProtocolError {
  readonly requiredCapabilities: ClientCapabilities;

  constructor(requiredCapabilities: ClientCapabilities, message: string) {
    super(ErrorCode.MissingRequiredClientCapability, message, { requiredCapabilities });
    this.requiredCapabilities = requiredCapabilities;
  }
}

/** Checks that the client declared what `request` needs; throws {@link MissingCapabilityError} if not. */
export function requireCapability(capabilities: ClientCapabilities, request: InputRequest): void {
  const { method, params } = request;
  if (method === 'roots/list') {
    if (!isObject(capabilities.roots))
      throw new MissingCapabilityError({ roots: {} }, 'The client does not support roots');
    return;
  }
  if (method === 'sampling/createMessage') {
    const sampling = capabilities.sampling;
    if (!isObject(sampling))
      throw new MissingCapabilityError({ sampling: {} }, 'The client does not support sampling');
    if (params?.tools !== undefined && !isObject(sampling.tools)) {
      throw new MissingCapabilityError(
        { sampling: { tools: {} } },
        'The client does not support sampling with tools',
      );
    }
    const context = params?.includeContext;
    if (context !== undefined && context !== 'none' && !isObject(sampling.context)) {
      throw new MissingCapabilityError(
        { sampling: { context: {} } },
        'The client does not support sampling context',
      );
    }
    return;
  }
  const elicitation = capabilities.elicitation;
  if (!isObject(elicitation))
    throw new MissingCapabilityError(
      { elicitation: {} },
      'The client does not support elicitation',
    );
  const mode = params?.mode === 'url' ? 'url' : 'form';
  // An empty elicitation capability means form mode only.
  const declared =
    Object.keys(elicitation).length === 0 ? mode === 'form' : isObject(elicitation[mode]);
  if (!declared) {
    throw new MissingCapabilityError(
      { elicitation: { [mode]: {} } },
      `The client does not support ${mode}-mode elicitation`,
    );
  }
}

/** Whether `value` names a request a server may ask its client. */
export function isInputMethod(value: unknown): value is InputMethod {
  return (
    value === 'elicitation/create' || value === 'sampling/createMessage' || value === 'roots/list'
  );
}

/** Whether `answer` has the shape of a `method` result; anything else is refused before a handler sees it. */
export function isValidAnswer(method: InputMethod, answer: JsonObject): boolean {
  switch (method) {
    case 'elicitation/create':
      return (
        answer.action === 'accept' || answer.action === 'decline' || answer.action === 'cancel'
      );
    case 'sampling/createMessage':
      return (
        typeof answer.role === 'string' &&
        (isObject(answer.content) || Array.isArray(answer.content))
      );
    case 'roots/list':
      return Array.isArray(answer.roots);
  }
}

/**
 * Asks the client for every request in `requests` at once and resolves with the answers by key.
 * Handshake era: concurrent server-to-client requests. 2026-07-28: answers from the retry, or
 * {@link InputRequired} for the ones still missing; inside a task, the missing ones are awaited
 * until `tasks/update` supplies them.
 */
export async function ask<K extends string>(
  exchange: Exchange,
  requests: Readonly<Record<K, InputRequest>>,
): Promise<Record<K, JsonObject>> {
  const entries = Object.entries(requests) as [K, InputRequest][];
  for (const [, request] of entries) requireCapability(exchange.clientCapabilities, request);
  if (exchange.era === 'handshake') {
    const answers = await Promise.all(
      entries.map(([, request]) => exchange.request(request.method, request.params)),
    );
    return Object.fromEntries(entries.map(([key], index) => [key, answers[index]])) as Record<
      K,
      JsonObject
    >;
  }
  const missing = new Map<string, InputRequest>();
  const result = new Map<K, JsonObject>();
  for (const [key, request] of entries) {
    const answer = exchange.answers?.get(key);
    if (answer === undefined) {
      missing.set(key, request);
      continue;
    }
    if (!isValidAnswer(request.method, answer)) {
      throw ProtocolError.invalidParams(
        `inputResponses["${key}"] is not a valid ${request.method} result`,
      );
    }
    result.set(key, answer);
  }
  if (missing.size > 0) {
    if (exchange.awaitInput === undefined) throw new InputRequired(missing);
    for (const [key, answer] of await exchange.awaitInput(missing)) result.set(key as K, answer);
  }
  return Object.fromEntries(result) as Record<K, JsonObject>;
}
