/**
 * @module
 * The example server's one tool registry.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';

const notesOutput = z.object({ notes: z.array(z.string()).describe('Every note, oldest first') });

export const addNote = defineTool({
  name: 'add_note',
  title: 'Add a note',
  description: 'Keeps a short note for later in this session. Returns every note so far.',
  input: z.object({ text: z.string().min(1).max(500).describe('The note, up to 500 characters') }),
  output: notesOutput,
  annotations: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  run: ({ text }, ctx) => {
    ctx.notes.push(text);
    return structured({ notes: [...ctx.notes] }, ctx.notes.join('\n'));
  },
});

export const listNotes = defineTool({
  name: 'list_notes',
  title: 'List notes',
  description: 'Lists the notes kept so far, oldest first.',
  input: z.object({}),
  output: notesOutput,
  annotations: {
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  run: (_input, ctx) => structured({ notes: [...ctx.notes] }, ctx.notes.join('\n') || '(no notes)'),
});

export const clearNotes = defineTool({
  name: 'clear_notes',
  title: 'Clear notes',
  description: 'Forgets every note. Only offered when the operator passes --allow-clear.',
  requires: ['allowClear'],
  input: z.object({}),
  output: notesOutput,
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: false,
  },
  run: (_input, ctx) => {
    ctx.notes.length = 0;
    return structured({ notes: [] }, '(no notes)');
  },
});

export const tools = [addNote, listNotes, clearNotes];
