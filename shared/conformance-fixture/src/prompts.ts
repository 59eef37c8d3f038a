/**
 * @module
 * The fixture's prompts: the four the conformance suite gets, the one that asks for input before
 * it can be rendered, and the one `test_trigger_prompt_change` adds and removes.
 */
import { definePrompt } from './context.js';
import { RED_PIXEL_PNG } from './media.js';

const ARG1_SUGGESTIONS = ['paris', 'park', 'party', 'test', 'testValue1'] as const;

export const simplePrompt = definePrompt({
  name: 'test_simple_prompt',
  title: 'Simple prompt',
  description: 'A prompt without arguments.',
  get: () => ({
    messages: [
      { role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } },
    ],
  }),
});

export const promptWithArguments = definePrompt({
  name: 'test_prompt_with_arguments',
  title: 'Prompt with arguments',
  description: 'A prompt with two required arguments; arg1 can be completed.',
  arguments: [
    {
      name: 'arg1',
      description: 'First test argument',
      required: true,
      complete: (value) => ARG1_SUGGESTIONS.filter((candidate) => candidate.startsWith(value)),
    },
    { name: 'arg2', description: 'Second test argument', required: true },
  ],
  get: (args) => ({
    messages: [
      {
        role: 'user',
        content: {
          type: 'text',
          text: `Prompt with arguments: arg1='${args.get('arg1') ?? ''}', arg2='${args.get('arg2') ?? ''}'`,
        },
      },
    ],
  }),
});

export const promptWithEmbeddedResource = definePrompt({
  name: 'test_prompt_with_embedded_resource',
  title: 'Prompt with a resource',
  description: 'A prompt that embeds the resource it is given.',
  arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
  get: (args) => ({
    messages: [
      {
        role: 'user',
        content: {
          type: 'resource',
          resource: {
            uri: args.get('resourceUri') ?? '',
            mimeType: 'text/plain',
            text: 'Embedded resource content for testing.',
          },
        },
      },
      {
        role: 'user',
        content: { type: 'text', text: 'Please process the embedded resource above.' },
      },
    ],
  }),
});

export const promptWithImage = definePrompt({
  name: 'test_prompt_with_image',
  title: 'Prompt with an image',
  description: 'A prompt that shows an image.',
  get: () => ({
    messages: [
      { role: 'user', content: { type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ],
  }),
});

export const inputRequiredPrompt = definePrompt({
  name: 'test_input_required_result_prompt',
  title: 'Prompt that asks first',
  description: 'Asks the user what context to use (input key user_context) before rendering.',
  get: async (_args, ctx) => {
    const answer = await ctx.elicit(
      {
        message: 'What context should the prompt use?',
        requestedSchema: {
          type: 'object',
          properties: { context: { type: 'string' } },
          required: ['context'],
        },
      },
      'user_context',
    );
    const context = answer.content?.['context'];
    return {
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: `Use this context: ${typeof context === 'string' ? context : '(none given)'}`,
          },
        },
      ],
    };
  },
});

/** Listed only between two calls of `test_trigger_prompt_change`. */
export const dynamicPrompt = definePrompt({
  name: 'test_dynamic_prompt',
  title: 'Dynamic prompt',
  description: 'Exists only between two calls of test_trigger_prompt_change.',
  get: () => ({
    messages: [
      { role: 'user', content: { type: 'text', text: 'This prompt was added at run time.' } },
    ],
  }),
});

export const prompts = [
  simplePrompt,
  promptWithArguments,
  promptWithEmbeddedResource,
  promptWithImage,
  inputRequiredPrompt,
] as const;
