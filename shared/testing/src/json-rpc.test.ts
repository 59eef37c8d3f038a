import { describe, expect, it } from 'vitest';
import { isJsonRpcMessage, isResponseTo, jsonRpcProblem } from './json-rpc.js';

describe('jsonRpcProblem', () => {
  it.each([
    ['a request', { jsonrpc: '2.0', id: 1, method: 'ping' }],
    [
      'a notification',
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info' } },
    ],
    ['a result', { jsonrpc: '2.0', id: 'a', result: {} }],
    [
      'an error with a null id',
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } },
    ],
  ])('accepts %s', (_name, message) => {
    expect(jsonRpcProblem(message)).toBeUndefined();
    expect(isJsonRpcMessage(message)).toBe(true);
  });

  it.each([
    ['an array', [], 'not a JSON object'],
    ['a wrong version', { jsonrpc: '1.0', id: 1, result: {} }, 'jsonrpc'],
    [
      'both result and error',
      { jsonrpc: '2.0', id: 1, result: {}, error: { code: 1, message: '' } },
      'exactly one',
    ],
    ['a response without id', { jsonrpc: '2.0', result: {} }, 'no id'],
    [
      'a fractional error code',
      { jsonrpc: '2.0', id: 1, error: { code: 1.5, message: 'x' } },
      'code',
    ],
    ['a non-object result', { jsonrpc: '2.0', id: 1, result: 'ok' }, 'result'],
    ['a request with a fractional id', { jsonrpc: '2.0', id: 1.5, method: 'ping' }, 'request id'],
    ['scalar params', { jsonrpc: '2.0', id: 1, method: 'ping', params: 'x' }, 'params'],
  ])('refuses %s', (_name, message, reason) => {
    expect(jsonRpcProblem(message)).toContain(reason);
  });

  it('matches responses by id with the exact type', () => {
    const response = { jsonrpc: '2.0', id: '1', result: {} } as const;
    expect(isResponseTo('1')(response)).toBe(true);
    expect(isResponseTo(1)(response)).toBe(false);
  });
});
