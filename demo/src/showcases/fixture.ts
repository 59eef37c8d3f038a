/**
 * @module
 * The protocol showcase: the conformance fixture, a server built only on @plugboard/protocol that
 * exercises every feature the official conformance suite calls. It shows what a tool can do
 * besides returning text: report progress, log to the client, ask the client's model (sampling)
 * and its user (elicitation); and resources, prompts and completion.
 */
import type { GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { DemoSession } from '../session.js';
import type { Showcase } from '../showcase.js';
import { renderContent, type ContentBlock } from '../transcript.js';

async function resources(session: DemoSession): Promise<void> {
  const { client } = session;
  if (client.getServerCapabilities()?.resources === undefined) return;
  await session.request(
    'resources/list',
    undefined,
    'What the server can be read from.',
    () => client.listResources(),
    (result) =>
      result.resources.map((resource) => `${resource.uri}  ${resource.name}`).join('\n') ||
      '(none)',
  );
  await session.request(
    'resources/read',
    { uri: 'test://static-text' },
    undefined,
    () => client.readResource({ uri: 'test://static-text' }),
    (result: ReadResourceResult) =>
      renderContent(
        result.contents.map((resource) => ({ type: 'resource', resource }) as ContentBlock),
      ),
  );
}

async function prompts(session: DemoSession): Promise<void> {
  const { client } = session;
  if (client.getServerCapabilities()?.prompts === undefined) return;
  const args = { arg1: 'sunny', arg2: 'Lisbon' };
  await session.request(
    'prompts/get test_prompt_with_arguments',
    args,
    'A prompt template, filled in by the server.',
    () => client.getPrompt({ name: 'test_prompt_with_arguments', arguments: args }),
    (result: GetPromptResult) =>
      result.messages
        .map((message) => `${message.role}: ${renderContent([message.content as ContentBlock])}`)
        .join('\n'),
  );
  if (client.getServerCapabilities()?.completions === undefined) return;
  const ref = { type: 'ref/prompt' as const, name: 'test_prompt_with_arguments' };
  await session.request(
    'completion/complete',
    { ref: ref.name, argument: 'arg1', value: 'te' },
    'Suggestions for an argument as the user types.',
    () => client.complete({ ref, argument: { name: 'arg1', value: 'te' } }),
    (result) => result.completion.values.join(', ') || '(no suggestions)',
  );
}

export const fixtureShowcase: Showcase = {
  name: 'protocol',
  packageName: '@plugboard/conformance-fixture',
  folder: 'shared/conformance-fixture',
  summary: 'The protocol itself: progress, logging, sampling, elicitation, resources, prompts.',
  prepare() {
    return Promise.resolve({
      args: [],
      hostFeatures: true,
      notes: ['the conformance fixture; this client answers sampling and elicitation itself'],
      async run(session) {
        await session.call('test_simple_text', {}, 'The simplest tool: text back.');
        await session.call('test_tool_with_progress', {}, 'A long call that reports progress.');
        if (
          session.client.getServerCapabilities()?.logging !== undefined &&
          session.has('test_tool_with_logging')
        ) {
          await session.request(
            'logging/setLevel',
            { level: 'debug' },
            'Ask for log messages from now on.',
            () => session.client.setLoggingLevel('debug'),
            () => 'ok',
          );
          await session.call('test_tool_with_logging', {}, 'A tool that logs while it works.');
        }
        await session.call(
          'test_sampling',
          { prompt: 'What is the capital of France?' },
          "The tool asks the client's model a question (sampling).",
        );
        await session.call(
          'test_elicitation',
          { message: 'Which name should the report use?' },
          "The tool asks the client's user for input (elicitation).",
        );
        await session.call('test_image_content', {}, 'Content besides text.');
        await session.call(
          'test_error_handling',
          {},
          'A tool failure comes back as a result the model can read.',
        );
        await resources(session);
        await prompts(session);
      },
    });
  },
};
