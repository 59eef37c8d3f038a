/**
 * @module
 * {@link annotationPresets}: the behaviour hints of the usual kinds of tool, written once. A server
 * takes the set for its world (`openWorld: true` when its tools reach an outside service such as
 * GitHub or Slack, `false` for a local filesystem, repository or database) and names each tool's
 * kind: `annotations: READ`.
 */
import type { Tool } from '@plugboard/protocol';

/** The four hints a tool declares (the title is published apart). */
export type ToolHints = Readonly<Required<Tool['annotations']>>;

/** The presets of one world. */
export interface AnnotationPresets {
  /** Only reads: repeating it changes nothing. */
  readonly READ: ToolHints;
  /** Adds something new (an issue, a message, a commit): not destructive, not idempotent. */
  readonly CREATE: ToolHints;
  /** Sets state to a given value (a read position, a moved file): repeating it changes nothing. */
  readonly SET: ToolHints;
  /** Changes or overwrites what exists, differently each time (a merge, a statement). */
  readonly UPDATE: ToolHints;
  /** Replaces what exists with a given value (an edit, a file's new content): destructive, idempotent. */
  readonly REPLACE: ToolHints;
  /** Removes what exists: destructive, and removing it again changes nothing. */
  readonly DELETE: ToolHints;
}

/** The presets, with `openWorldHint` as given. */
export function annotationPresets(world: { readonly openWorld: boolean }): AnnotationPresets {
  const hints = (readOnly: boolean, destructive: boolean, idempotent: boolean): ToolHints =>
    Object.freeze({
      readOnlyHint: readOnly,
      destructiveHint: destructive,
      idempotentHint: idempotent,
      openWorldHint: world.openWorld,
    });
  return {
    READ: hints(true, false, true),
    CREATE: hints(false, false, false),
    SET: hints(false, false, true),
    UPDATE: hints(false, true, false),
    REPLACE: hints(false, true, true),
    DELETE: hints(false, true, true),
  };
}
