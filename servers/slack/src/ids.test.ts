import { describe, expect, it } from 'vitest';
import { isoTime, normalizeTs, parseFutureInstant, parseInstant, toTs } from './ids.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');

describe('message timestamps', () => {
  it('accepts a ts as listed, a ts without its dot, and a permalink p-number', () => {
    expect(normalizeTs('1700000000.000100', 'ts')).toBe('1700000000.000100');
    expect(normalizeTs('1700000000000100', 'ts')).toBe('1700000000.000100');
    expect(normalizeTs('p1700000000000100', 'ts')).toBe('1700000000.000100');
  });

  it('refuses anything else with the field named', () => {
    expect(() => normalizeTs('yesterday', 'thread_ts')).toThrow(/thread_ts: "yesterday"/);
    expect(() => normalizeTs('1700000000.1', 'ts')).toThrow(/not a message timestamp/);
  });
});

describe('time windows', () => {
  it('reads ISO dates and times, Unix seconds, message timestamps and durations ago', () => {
    expect(parseInstant('2026-11-20', 'oldest', NOW)).toBe(
      Date.parse('2026-11-20T00:00:00Z') / 1000,
    );
    expect(parseInstant('2026-11-20T09:30:00+01:00', 'oldest', NOW)).toBe(
      Date.parse('2026-11-20T08:30:00Z') / 1000,
    );
    expect(parseInstant('2026-11-20 09:30', 'oldest', NOW)).toBe(
      Date.parse('2026-11-20T09:30:00Z') / 1000,
    );
    expect(parseInstant('1700000000', 'oldest', NOW)).toBe(1_700_000_000);
    expect(parseInstant('1700000000.000100', 'oldest', NOW)).toBe(1_700_000_000.0001);
    expect(parseInstant('2h', 'oldest', NOW)).toBe(NOW / 1000 - 7200);
    expect(parseInstant('7 days', 'oldest', NOW)).toBe(NOW / 1000 - 7 * 86_400);
    expect(parseInstant('1w', 'oldest', NOW)).toBe(NOW / 1000 - 604_800);
  });

  it('refuses words that are not times', () => {
    expect(() => parseInstant('last tuesday', 'oldest', NOW)).toThrow(
      /oldest: "last tuesday" is not a time/,
    );
    expect(() => parseInstant('2026-13-45', 'latest', NOW)).toThrow(/latest/);
  });

  it('reads scheduling durations forwards', () => {
    expect(parseFutureInstant('2h', 'post_at', NOW)).toBe(NOW / 1000 + 7200);
    expect(parseFutureInstant('+30m', 'post_at', NOW)).toBe(NOW / 1000 + 1800);
    expect(parseFutureInstant('in 1 day', 'post_at', NOW)).toBe(NOW / 1000 + 86_400);
    expect(parseFutureInstant('2026-11-22T09:00:00Z', 'post_at', NOW)).toBe(
      Date.parse('2026-11-22T09:00:00Z') / 1000,
    );
  });

  it('formats Slack timestamps and readable times', () => {
    expect(toTs(1_700_000_000)).toBe('1700000000.000000');
    expect(isoTime('1700000000.000100')).toBe('2023-11-14T22:13:20Z');
    expect(isoTime(undefined)).toBe('');
  });
});
