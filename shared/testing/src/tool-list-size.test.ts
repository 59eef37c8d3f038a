import { describe, expect, it } from 'vitest';
import {
  defaultToolList,
  expectToolListWithinBudget,
  measureToolList,
  recordedToolListBytes,
  type BudgetedTool,
} from './tool-list-size.js';

const tool = (name: string, declared: Omit<BudgetedTool, 'name' | 'descriptor'> = {}) => ({
  name,
  ...declared,
  descriptor: () => ({ name, description: `The ${name} tool.` }),
});
const tools = [
  tool('read'),
  tool('delete', { requires: ['allowDelete'] }),
  tool('get_issue', { toolset: ['issues', 'default'] }),
  tool('list_runs', { toolset: 'actions' }),
];
const size = measureToolList(defaultToolList(tools)).bytes;

describe('the tools/list size budget', () => {
  it('measures the tools that need no gate and are in no toolset but default', () => {
    expect(defaultToolList(tools)).toEqual([
      { name: 'read', description: 'The read tool.' },
      { name: 'get_issue', description: 'The get_issue tool.' },
    ]);
    expect(measureToolList([{ a: 'é' }])).toEqual({ bytes: 12, tokens: 3 });
  });

  it('reads the recorded size from the README line, and refuses a README without one', () => {
    expect(recordedToolListBytes('x\nTool list size: 34,406 bytes (about 8,602 tokens)\n')).toBe(
      34406,
    );
    expect(() => recordedToolListBytes('no size here')).toThrow(/Tool list size/);
  });

  it('passes at the recorded size and fails one byte past it', () => {
    expect(() => expectToolListWithinBudget(`Tool list size: ${size} bytes`, tools)).not.toThrow();
    expect(() => expectToolListWithinBudget(`Tool list size: ${size - 1} bytes`, tools)).toThrow(
      /growing it is a decision/,
    );
  });
});
