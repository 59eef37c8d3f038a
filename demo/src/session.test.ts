import { describe, expect, it } from 'vitest';
import { defaultAnswers, progressOnWire } from './session.js';

describe('defaultAnswers', () => {
  it('answers each field with its default when the form has one', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string', default: 'John Doe' },
        age: { type: 'integer', default: 30 },
        verified: { type: 'boolean', default: false },
      },
    };
    expect(defaultAnswers(schema)).toEqual({ name: 'John Doe', age: 30, verified: false });
  });

  it('picks the first choice of an enum or a titled oneOf', () => {
    const schema = {
      properties: {
        status: { type: 'string', enum: ['active', 'inactive'] },
        size: {
          type: 'string',
          oneOf: [
            { const: 's', title: 'Small' },
            { const: 'l', title: 'Large' },
          ],
        },
      },
    };
    expect(defaultAnswers(schema)).toEqual({ status: 'active', size: 's' });
  });

  it('fills fields without a default with a value of the right type', () => {
    const schema = {
      properties: {
        email: { type: 'string' },
        count: { type: 'number' },
        ok: { type: 'boolean' },
        tags: { type: 'array' },
      },
    };
    expect(defaultAnswers(schema)).toEqual({ email: 'demo', count: 42, ok: true, tags: [] });
  });

  it('answers nothing when there is no schema', () => {
    expect(defaultAnswers(undefined)).toEqual({});
    expect(defaultAnswers({ type: 'object' })).toEqual({});
  });
});

describe('progressOnWire', () => {
  it('renders a progress notification with its total and message', () => {
    const message = {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 1, progress: 50, total: 100, message: 'half way' },
    };
    expect(progressOnWire(message)).toBe('progress 50/100 half way');
    expect(progressOnWire({ ...message, params: { progressToken: 1, progress: 3 } })).toBe(
      'progress 3',
    );
  });

  it('ignores every other message', () => {
    expect(progressOnWire({ jsonrpc: '2.0', id: 1, result: {} })).toBeUndefined();
    expect(progressOnWire({ jsonrpc: '2.0', method: 'notifications/message' })).toBeUndefined();
  });
});
