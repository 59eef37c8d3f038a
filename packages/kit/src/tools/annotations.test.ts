import { describe, expect, it } from 'vitest';
import { annotationPresets, type AnnotationPresets, type ToolHints } from './annotations.js';

describe('annotationPresets', () => {
  it('gives every preset all four hints in the published order, with the world as given', () => {
    const open = annotationPresets({ openWorld: true });
    const closed = annotationPresets({ openWorld: false });
    for (const [kind, hints] of Object.entries(open) as [keyof AnnotationPresets, ToolHints][]) {
      expect(Object.keys(hints), kind).toEqual([
        'readOnlyHint',
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
      ]);
      expect(hints.openWorldHint).toBe(true);
      expect(closed[kind]).toEqual({ ...hints, openWorldHint: false });
    }
  });

  it('marks only READ as read-only, and only UPDATE, REPLACE and DELETE as destructive', () => {
    const { READ, CREATE, SET, UPDATE, REPLACE, DELETE } = annotationPresets({ openWorld: false });
    expect([READ, CREATE, SET, UPDATE, REPLACE, DELETE].map((hints) => hints.readOnlyHint)).toEqual(
      [true, false, false, false, false, false],
    );
    expect(
      [READ, CREATE, SET, UPDATE, REPLACE, DELETE].map((hints) => hints.destructiveHint),
    ).toEqual([false, false, false, true, true, true]);
    expect(
      [READ, CREATE, SET, UPDATE, REPLACE, DELETE].map((hints) => hints.idempotentHint),
    ).toEqual([true, false, true, false, true, true]);
  });
});
