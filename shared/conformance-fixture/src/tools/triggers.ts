/**
 * @module
 * Tools that change the server's own tool, prompt and resource lists or a resource's content, so
 * that clients can be shown list_changed and updated notifications on demand (handshake-era
 * sessions and 2026-07-28 `subscriptions/listen` streams alike).
 */
import { structured, text } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';

const changing = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
} as const;

const toggled = z.object({ listed: z.boolean() });

/** The tool that `test_trigger_tool_change` adds and removes. */
export const dynamicTool = defineTool({
  name: 'test_dynamic_tool',
  title: 'Dynamic tool',
  description: 'Exists only between two calls of test_trigger_tool_change.',
  input: z.object({}),
  annotations: { ...changing, readOnlyHint: true, idempotentHint: true },
  run: () => text('This tool was added at run time.'),
});

export const triggerToolChange = defineTool({
  name: 'test_trigger_tool_change',
  title: 'Change the tool list',
  description:
    'Adds test_dynamic_tool, or removes it when present; clients are told the tool list changed.',
  input: z.object({}),
  output: toggled,
  annotations: changing,
  run: (_args, ctx) => {
    const listed = ctx.control.toggleTool(dynamicTool);
    return structured({ listed }, `test_dynamic_tool is now ${listed ? 'listed' : 'gone'}`);
  },
});

export const triggerPromptChange = defineTool({
  name: 'test_trigger_prompt_change',
  title: 'Change the prompt list',
  description:
    'Adds test_dynamic_prompt, or removes it when present; clients are told the prompt list changed.',
  input: z.object({}),
  output: toggled,
  annotations: changing,
  run: (_args, ctx) => {
    const listed = ctx.control.togglePrompt();
    return structured({ listed }, `test_dynamic_prompt is now ${listed ? 'listed' : 'gone'}`);
  },
});

export const triggerResourceChange = defineTool({
  name: 'test_trigger_resource_change',
  title: 'Change the resource list',
  description:
    'Adds test://dynamic-resource, or removes it when present; clients are told the resource list changed.',
  input: z.object({}),
  output: toggled,
  annotations: changing,
  run: (_args, ctx) => {
    const listed = ctx.control.toggleResource();
    return structured({ listed }, `test://dynamic-resource is now ${listed ? 'listed' : 'gone'}`);
  },
});

export const triggerResourceUpdate = defineTool({
  name: 'test_trigger_resource_update',
  title: 'Update a resource',
  description:
    'Changes the content of a resource (test://watched-resource by default) and notifies its subscribers.',
  input: z.object({
    uri: z
      .string()
      .max(2048)
      .default('test://watched-resource')
      .describe('The resource that changed'),
  }),
  output: z.object({ uri: z.string(), version: z.number() }),
  annotations: changing,
  run: ({ uri }, ctx) => {
    ctx.control.touchResource(uri);
    const version = ctx.control.watchedVersion();
    return structured({ uri, version }, `${uri} updated (watched version ${version})`);
  },
});

export const triggerTools = [
  triggerToolChange,
  triggerPromptChange,
  triggerResourceChange,
  triggerResourceUpdate,
] as const;
