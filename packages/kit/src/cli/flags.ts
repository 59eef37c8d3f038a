/**
 * @module
 * Typed reads of the parsed flags, for a server's `config.ts`: one place for the rules every
 * server applies (blank strings count as absent, lists default to empty, numbers are bounded
 * with a message that names the flag).
 */
import { UsageError, type FlagValue } from './args.js';

export type Flags = ReadonlyMap<string, FlagValue>;

/** A string flag, trimmed; undefined when absent or blank. */
export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags.get(name);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The values of a `list` flag (repeated or comma-separated); empty when absent. */
export function listFlag(flags: Flags, name: string): string[] {
  const value = flags.get(name);
  return Array.isArray(value) ? value : [];
}

export interface IntegerBounds {
  /** The value when the flag is absent. */
  fallback: number;
  min: number;
  max?: number;
}

/** An `integer` flag within bounds, or the fallback when absent; out of bounds is a UsageError. */
export function integerFlag(flags: Flags, name: string, bounds: IntegerBounds): number {
  const value = flags.get(name);
  if (value === undefined) return bounds.fallback;
  const { min, max } = bounds;
  if (max === undefined) {
    if (typeof value !== 'number' || value < min)
      throw new UsageError(`--${name} must be a whole number of at least ${min}`);
    return value;
  }
  if (typeof value !== 'number' || value < min || value > max)
    throw new UsageError(`--${name} must be between ${min} and ${max}, got ${String(value)}`);
  return value;
}
