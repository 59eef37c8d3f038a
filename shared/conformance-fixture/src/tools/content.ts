/**
 * @module
 * Tools whose results exercise every content type and both kinds of failure: the conformance
 * suite's fixed-answer tools, a structured-output tool with an output schema, and tools that fail
 * expectedly (`ToolError`) and unexpectedly (a bug) so tests can check what reaches the wire.
 */
import { audio, embedded, image, structured, text, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { RED_PIXEL_PNG, silentWav } from '../media.js';

const pure = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

export const simpleText = defineTool({
  name: 'test_simple_text',
  title: 'Simple text',
  description: 'Returns one fixed text block.',
  input: z.object({}),
  annotations: pure,
  run: () => text('This is a simple text response for testing.'),
});

export const imageContent = defineTool({
  name: 'test_image_content',
  title: 'Image content',
  description: 'Returns a 1x1 red PNG as an image block.',
  input: z.object({}),
  annotations: pure,
  run: () => [image(RED_PIXEL_PNG, 'image/png')],
});

export const audioContent = defineTool({
  name: 'test_audio_content',
  title: 'Audio content',
  description: 'Returns a short silent WAV as an audio block.',
  input: z.object({}),
  annotations: pure,
  run: () => [audio(silentWav(), 'audio/wav')],
});

export const embeddedResource = defineTool({
  name: 'test_embedded_resource',
  title: 'Embedded resource',
  description: 'Returns a text resource embedded in the result.',
  input: z.object({}),
  annotations: pure,
  run: () => [
    embedded({
      uri: 'test://embedded-resource',
      mimeType: 'text/plain',
      text: 'This is an embedded resource content.',
    }),
  ],
});

export const multipleContentTypes = defineTool({
  name: 'test_multiple_content_types',
  title: 'Mixed content',
  description: 'Returns text, an image and an embedded JSON resource in one result.',
  input: z.object({}),
  annotations: pure,
  run: () => [
    { type: 'text', text: 'Multiple content types test:' },
    image(RED_PIXEL_PNG, 'image/png'),
    embedded({
      uri: 'test://mixed-content-resource',
      mimeType: 'application/json',
      text: JSON.stringify({ test: 'data', value: 123 }),
    }),
  ],
});

export const errorHandling = defineTool({
  name: 'test_error_handling',
  title: 'Error result',
  description: 'Always fails with an error result (isError), never a protocol error.',
  input: z.object({}),
  annotations: pure,
  run: () => {
    throw new ToolError('This tool intentionally returns an error for testing');
  },
});

export const unexpectedError = defineTool({
  name: 'test_unexpected_error',
  title: 'Unexpected error',
  description: 'Throws a plain Error, as a bug would, to show what the client sees of it.',
  input: z.object({ message: z.string().max(200).describe('Message of the thrown error') }),
  annotations: pure,
  run: ({ message }) => {
    throw new Error(message);
  },
});

export const structuredOutput = defineTool({
  name: 'test_structured_output',
  title: 'Structured output',
  description: 'Adds and multiplies two numbers and returns both as structured content.',
  input: z.object({
    a: z.number().describe('First operand'),
    b: z.number().describe('Second operand'),
  }),
  output: z.object({ sum: z.number(), product: z.number() }),
  annotations: pure,
  run: ({ a, b }) => structured({ sum: a + b, product: a * b }, `sum ${a + b}, product ${a * b}`),
});

export const echo = defineTool({
  name: 'test_echo',
  title: 'Echo',
  description: 'Returns the given text unchanged.',
  input: z.object({ text: z.string().max(1_000_000).describe('Text to return') }),
  annotations: pure,
  run: ({ text: value }) => text(value),
});

export const jsonSchema202012 = defineTool({
  name: 'json_schema_2020_12_tool',
  title: 'JSON Schema 2020-12',
  description: 'Tool with JSON Schema 2020-12 features.',
  input: z.object({
    name: z.string().optional().describe('Name'),
    address: z
      .object({ street: z.string().optional(), city: z.string().optional() })
      .optional()
      .describe('Postal address'),
    contactMethod: z.enum(['phone', 'email']).optional().describe('How to get in touch'),
    phone: z.string().optional().describe('Phone number'),
    email: z.string().optional().describe('Email address'),
  }),
  inputJsonSchema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    $defs: {
      address: {
        $anchor: 'addressDef',
        type: 'object',
        properties: { street: { type: 'string' }, city: { type: 'string' } },
      },
    },
    properties: {
      name: { type: 'string' },
      address: { $ref: '#/$defs/address' },
      contactMethod: { type: 'string', enum: ['phone', 'email'] },
      phone: { type: 'string' },
      email: { type: 'string' },
    },
    allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
    if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
    then: { required: ['phone'] },
    else: { required: ['email'] },
    additionalProperties: false,
  },
  annotations: pure,
  run: (args) => text(`Received: ${JSON.stringify(args)}`),
});

export const customHeaders = defineTool({
  name: 'test_custom_headers',
  title: 'Argument mirrored in a header',
  description:
    'Echoes its region argument, which 2026-07-28 HTTP clients also send as the Mcp-Param-Region header (SEP-2243).',
  input: z.object({
    region: z.string().max(200).describe('Region name; mirrored in the Mcp-Param-Region header'),
    note: z.string().max(200).optional().describe('Free text, not mirrored'),
  }),
  inputJsonSchema: {
    type: 'object',
    properties: {
      region: {
        type: 'string',
        description: 'Region name; mirrored in the Mcp-Param-Region header',
        'x-mcp-header': 'Region',
      },
      note: { type: 'string', description: 'Free text, not mirrored' },
    },
    required: ['region'],
    additionalProperties: false,
  },
  annotations: pure,
  run: ({ region }) => text(`region=${region}`),
});

export const prototypeCheck = defineTool({
  name: 'test_prototype_check',
  title: 'Prototype check',
  description:
    'Reports any enumerable key inherited by every object, which only prototype pollution can add.',
  input: z.object({}),
  output: z.object({ inheritedKeys: z.array(z.string()) }),
  annotations: pure,
  run: () => {
    const inheritedKeys: string[] = [];
    // for-in walks inherited enumerable keys, exactly what a polluted Object.prototype would add.
    for (const key in {}) inheritedKeys.push(key);
    return structured({ inheritedKeys }, inheritedKeys.join(', ') || 'clean');
  },
});

export const contentTools = [
  simpleText,
  imageContent,
  audioContent,
  embeddedResource,
  multipleContentTypes,
  errorHandling,
  unexpectedError,
  structuredOutput,
  echo,
  jsonSchema202012,
  prototypeCheck,
  customHeaders,
] as const;
