/**
 * The official clients, 1.x (`@modelcontextprotocol/sdk`) and 2.x (`@modelcontextprotocol/client`),
 * connect over stdio to the built fixture and use every feature of the handshake era. Notifications
 * are counted on the wire (`peer.received`), not through SDK callbacks.
 */
import { waitFor } from '@plugboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPeer, firstText, notifications, type Peer } from './peer.js';

const ALL_CAPABILITIES = {
  sampling: {},
  elicitation: { form: {}, url: {} },
  roots: { listChanged: true },
};

const CONFORMANCE_TOOLS = [
  'test_simple_text',
  'test_image_content',
  'test_audio_content',
  'test_embedded_resource',
  'test_multiple_content_types',
  'test_tool_with_logging',
  'test_error_handling',
  'test_tool_with_progress',
  'test_sampling',
  'test_elicitation',
  'test_elicitation_sep1034_defaults',
  'test_elicitation_sep1330_enums',
  'json_schema_2020_12_tool',
  'test_reconnection',
  'test_missing_capability',
  'test_streaming_elicitation',
  'test_logging_tool',
  'test_trigger_tool_change',
  'test_trigger_prompt_change',
  'test_input_required_result_elicitation',
  'test_input_required_result_sampling',
  'test_input_required_result_list_roots',
  'test_input_required_result_request_state',
  'test_input_required_result_multiple_inputs',
  'test_input_required_result_multi_round',
  'test_input_required_result_tampered_state',
  'test_input_required_result_capabilities',
];

describe.each(['v1', 'v2'] as const)('the %s client over stdio', (sdk) => {
  let peer: Peer;
  const asked: { method: string; params: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    peer = await connectPeer(sdk, { capabilities: ALL_CAPABILITIES });
    peer.onRequest('sampling/createMessage', (params) => {
      asked.push({ method: 'sampling/createMessage', params });
      return {
        role: 'assistant',
        content: { type: 'text', text: 'Paris' },
        model: 'test-model',
        stopReason: 'endTurn',
      };
    });
    peer.onRequest('elicitation/create', (params) => {
      asked.push({ method: 'elicitation/create', params });
      if (params['mode'] === 'url') return { action: 'accept' };
      const properties = (params['requestedSchema'] as { properties: Record<string, unknown> })
        .properties;
      if ('age' in properties) return { action: 'decline' };
      return {
        action: 'accept',
        content: { username: 'ada', email: 'ada@example.com', name: 'Ada', color: 'teal' },
      };
    });
    peer.onRequest('roots/list', (params) => {
      asked.push({ method: 'roots/list', params });
      return {
        roots: [{ uri: 'file:///work/project', name: 'project' }, { uri: 'file:///tmp/scratch' }],
      };
    });
  });
  afterAll(async () => {
    await peer.close();
  });
  const lastAsked = () => asked.at(-1)!;

  describe('lifecycle', () => {
    it('completes the handshake and learns the fixture, its instructions and capabilities', async () => {
      expect(peer.client.getServerVersion()).toMatchObject({
        name: 'plugboard-conformance-fixture',
      });
      expect(peer.client.getInstructions()).toMatch(/test fixture/);
      expect(peer.client.getServerCapabilities()).toEqual({
        logging: {},
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        completions: {},
      });
      const initialize = peer.received[0]?.result as { protocolVersion: string };
      expect(initialize.protocolVersion).toBe('2025-11-25');
      await expect(peer.client.ping()).resolves.toEqual({});
    });
  });

  describe('tools', () => {
    it('lists every conformance tool with a description, an input schema and all four annotations', async () => {
      const { tools } = await peer.client.listTools();
      const names = tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(CONFORMANCE_TOOLS));
      for (const tool of tools) {
        expect(tool.description, tool.name).toMatch(/\w/);
        expect(tool.inputSchema['type'], tool.name).toBe('object');
        expect(Object.keys(tool.annotations ?? {}), tool.name).toEqual(
          expect.arrayContaining([
            'readOnlyHint',
            'destructiveHint',
            'idempotentHint',
            'openWorldHint',
          ]),
        );
      }
      const schema = tools.find((tool) => tool.name === 'json_schema_2020_12_tool')!.inputSchema;
      expect(schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        additionalProperties: false,
      });
    });

    it('returns structured content that matches the published output schema', async () => {
      const { tools } = await peer.client.listTools();
      const tool = tools.find((candidate) => candidate.name === 'test_structured_output')!;
      expect(tool.outputSchema).toMatchObject({
        type: 'object',
        properties: { sum: { type: 'number' } },
      });
      const result = await peer.callTool('test_structured_output', { a: 6, b: 7 });
      expect(result.structuredContent).toEqual({ sum: 13, product: 42 });
      expect(firstText(result)).toBe('sum 13, product 42');
      expect(result.isError).toBeFalsy();
    });

    it('returns text, image, audio and embedded resources as the conformance suite expects', async () => {
      expect(firstText(await peer.callTool('test_simple_text'))).toBe(
        'This is a simple text response for testing.',
      );
      const image = (await peer.callTool('test_image_content')).content[0]!;
      expect(image).toMatchObject({ type: 'image', mimeType: 'image/png' });
      expect(
        Buffer.from(image['data'] as string, 'base64')
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
      const audio = (await peer.callTool('test_audio_content')).content[0]!;
      expect(audio).toMatchObject({ type: 'audio', mimeType: 'audio/wav' });
      const wav = Buffer.from(audio['data'] as string, 'base64');
      expect([wav.subarray(0, 4).toString(), wav.subarray(8, 12).toString()]).toEqual([
        'RIFF',
        'WAVE',
      ]);
      expect((await peer.callTool('test_embedded_resource')).content).toEqual([
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ]);
      const mixed = (await peer.callTool('test_multiple_content_types')).content;
      expect(mixed.map((block) => block.type)).toEqual(['text', 'image', 'resource']);
    });

    it('reports a tool failure as an error result, not a protocol error', async () => {
      const result = await peer.callTool('test_error_handling');
      expect(result).toEqual({
        content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }],
        isError: true,
      });
    });

    it('reports an unexpected exception with its message but without a stack', async () => {
      const result = await peer.callTool('test_unexpected_error', { message: 'disk on fire' });
      expect(result.isError).toBe(true);
      expect(firstText(result)).toBe('test_unexpected_error failed: disk on fire');
      expect(JSON.stringify(peer.received.at(-1))).not.toMatch(/\bat .*\.js:\d+/);
    });

    it('refuses arguments of the wrong type with an error result naming the field', async () => {
      const result = await peer.callTool('test_structured_output', { a: 'six', b: 7 });
      expect(result.isError).toBe(true);
      expect(firstText(result)).toMatch(/^Invalid arguments for test_structured_output: a: /);
    });

    it('refuses unknown argument keys, such as a security switch, instead of ignoring them', async () => {
      const result = await peer.callTool('test_structured_output', { a: 1, b: 2, readOnly: false });
      expect(result.isError).toBe(true);
      expect(firstText(result)).toContain('readOnly');
    });

    it('answers a call of an unknown tool with -32602', async () => {
      await expect(peer.callTool('no_such_tool')).rejects.toMatchObject({ code: -32602 });
    });
  });

  describe('resources', () => {
    it('lists the static resources and the template', async () => {
      const { resources } = await peer.client.listResources();
      expect(resources.map((resource) => [resource.uri, resource.mimeType])).toEqual([
        ['test://static-text', 'text/plain'],
        ['test://static-binary', 'image/png'],
        ['test://watched-resource', 'text/plain'],
      ]);
      for (const resource of resources) expect(resource.description).toMatch(/\w/);
      const { resourceTemplates } = await peer.client.listResourceTemplates();
      expect(resourceTemplates).toEqual([
        expect.objectContaining({ uriTemplate: 'test://template/{id}/data' }),
      ]);
    });

    it('reads text, binary and templated resources', async () => {
      expect((await peer.client.readResource({ uri: 'test://static-text' })).contents).toEqual([
        {
          uri: 'test://static-text',
          mimeType: 'text/plain',
          text: 'This is the content of the static text resource.',
        },
      ]);
      const [binary] = (await peer.client.readResource({ uri: 'test://static-binary' })).contents;
      expect(Buffer.from(binary!.blob!, 'base64').subarray(1, 4).toString()).toBe('PNG');
      const [member] = (await peer.client.readResource({ uri: 'test://template/a%20b/data' }))
        .contents;
      expect(member).toMatchObject({
        uri: 'test://template/a%20b/data',
        mimeType: 'application/json',
      });
      expect(JSON.parse(member!.text!)).toEqual({
        id: 'a b',
        templateTest: true,
        data: 'Data for ID: a b',
      });
    });

    it('answers a read of an unknown resource with -32002 and the URI', async () => {
      await expect(peer.client.readResource({ uri: 'test://nowhere' })).rejects.toThrow(
        /Resource not found/,
      );
      // The 2.x client reports every not-found as -32602 whatever the wire says; check the wire.
      expect(peer.received.at(-1)?.error).toEqual({
        code: -32002,
        message: 'Resource not found: test://nowhere',
        data: { uri: 'test://nowhere' },
      });
    });

    it('notifies a subscriber of updates, and stops after unsubscribe', async () => {
      const updated = () =>
        notifications(peer, 'notifications/resources/updated').map(
          (message) => (message.params as { uri: string }).uri,
        );
      const before = updated().length;
      await peer.client.subscribeResource({ uri: 'test://watched-resource' });
      await peer.callTool('test_trigger_resource_update', { uri: 'test://watched-resource' });
      await waitFor(() => updated().length > before);
      expect(updated().slice(before)).toEqual(['test://watched-resource']);
      const { contents } = await peer.client.readResource({ uri: 'test://watched-resource' });
      expect(contents[0]!.text).toMatch(/version [1-9]/);

      await peer.client.unsubscribeResource({ uri: 'test://watched-resource' });
      await peer.client.subscribeResource({ uri: 'test://static-text' });
      await peer.callTool('test_trigger_resource_update', { uri: 'test://watched-resource' });
      await peer.callTool('test_trigger_resource_update', { uri: 'test://static-text' });
      // Notifications keep their order on the stream, so once the second one is here the first
      // would have arrived before it.
      await waitFor(() => updated().at(-1) === 'test://static-text');
      expect(updated().slice(before)).toEqual(['test://watched-resource', 'test://static-text']);
      await peer.client.unsubscribeResource({ uri: 'test://static-text' });
    });

    it('announces a changed resource list', async () => {
      const before = notifications(peer, 'notifications/resources/list_changed').length;
      await peer.callTool('test_trigger_resource_change');
      await waitFor(
        () => notifications(peer, 'notifications/resources/list_changed').length === before + 1,
      );
      const { resources } = await peer.client.listResources();
      expect(resources.map((resource) => resource.uri)).toContain('test://dynamic-resource');
      await peer.callTool('test_trigger_resource_change');
      await waitFor(
        () => notifications(peer, 'notifications/resources/list_changed').length === before + 2,
      );
      expect(
        (await peer.client.listResources()).resources.map((resource) => resource.uri),
      ).not.toContain('test://dynamic-resource');
    });
  });

  describe('prompts and completion', () => {
    it('lists the prompts with descriptions and declared arguments', async () => {
      const { prompts } = await peer.client.listPrompts();
      expect(prompts.map((prompt) => prompt.name)).toEqual([
        'test_simple_prompt',
        'test_prompt_with_arguments',
        'test_prompt_with_embedded_resource',
        'test_prompt_with_image',
        'test_input_required_result_prompt',
      ]);
      expect(prompts[1]!.arguments).toEqual([
        { name: 'arg1', description: 'First test argument', required: true },
        { name: 'arg2', description: 'Second test argument', required: true },
      ]);
    });

    it('renders prompts with their arguments, resources and images', async () => {
      const simple = await peer.client.getPrompt({ name: 'test_simple_prompt' });
      expect(simple.messages).toEqual([
        { role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } },
      ]);
      const withArgs = await peer.client.getPrompt({
        name: 'test_prompt_with_arguments',
        arguments: { arg1: 'hello', arg2: 'world' },
      });
      expect(withArgs.messages[0]!.content.text).toBe(
        "Prompt with arguments: arg1='hello', arg2='world'",
      );
      const embedded = await peer.client.getPrompt({
        name: 'test_prompt_with_embedded_resource',
        arguments: { resourceUri: 'test://example-resource' },
      });
      expect(embedded.messages[0]!.content).toMatchObject({
        type: 'resource',
        resource: { uri: 'test://example-resource' },
      });
      const image = await peer.client.getPrompt({ name: 'test_prompt_with_image' });
      expect(image.messages.map((message) => message.content.type)).toEqual(['image', 'text']);
    });

    it('refuses a prompt without its required arguments with -32602', async () => {
      await expect(
        peer.client.getPrompt({ name: 'test_prompt_with_arguments', arguments: { arg1: 'only' } }),
      ).rejects.toMatchObject({ code: -32602 });
    });

    it('completes prompt arguments and template variables by prefix', async () => {
      const prompt = await peer.client.complete({
        ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' },
        argument: { name: 'arg1', value: 'pa' },
      });
      expect(prompt.completion).toEqual({
        values: ['paris', 'park', 'party'],
        total: 3,
        hasMore: false,
      });
      const template = await peer.client.complete({
        ref: { type: 'ref/resource', uri: 'test://template/{id}/data' },
        argument: { name: 'id', value: '4' },
      });
      expect(template.completion.values).toEqual(['456']);
    });
  });

  describe('progress and cancellation', () => {
    it('sends every progress notification with the request token, though the SDK callback misses the last', async () => {
      const seen: number[] = [];
      const mark = peer.received.length;
      const result = await peer.callTool(
        'test_tool_with_progress',
        {},
        { onprogress: (p) => seen.push(p.progress) },
      );
      expect(firstText(result)).toMatch(/Progress test completed/);
      const onWire = peer.received
        .slice(mark)
        .filter((message) => message.method === 'notifications/progress')
        .map(
          (message) =>
            message.params as { progressToken: unknown; progress: number; total: number },
        );
      expect(onWire.map(({ progress, total }) => [progress, total])).toEqual([
        [0, 100],
        [50, 100],
        [100, 100],
      ]);
      expect(new Set(onWire.map((params) => params.progressToken)).size).toBe(1);
      expect([0, 50, 100].slice(0, seen.length)).toEqual(seen);
      expect(seen.length).toBeGreaterThanOrEqual(2);
    });

    it('aborts the handler of a cancelled call', async () => {
      const controller = new AbortController();
      const tag = `${sdk}-cancel`;
      const call = peer.callTool(
        'test_wait_for_cancellation',
        { tag },
        {
          signal: controller.signal,
          onprogress: () => {
            controller.abort('the user changed their mind');
          },
        },
      );
      await expect(call).rejects.toThrow();
      await waitFor(async () => {
        const result = await peer.callTool('test_cancellations');
        return (result.structuredContent as { tags: string[] }).tags.includes(tag);
      });
    });
  });

  describe('logging', () => {
    it('sends no log messages before the client sets a level, then only those at or above it', async () => {
      const messages = () =>
        notifications(peer, 'notifications/message').map(
          (message) => (message.params as { level: string }).level,
        );
      await peer.callTool('test_logging_tool');
      expect(messages()).toEqual([]);

      await peer.client.setLoggingLevel('info');
      await peer.callTool('test_logging_tool');
      expect(messages()).toEqual(['info', 'warning']);
      expect(notifications(peer, 'notifications/message')[1]!.params).toEqual({
        level: 'warning',
        logger: 'fixture',
        data: { note: 'structured warning', from: 'test_logging_tool' },
      });

      await peer.client.setLoggingLevel('error');
      await peer.callTool('test_logging_tool');
      expect(messages()).toEqual(['info', 'warning']);
    });
  });

  describe('asking the client', () => {
    it('asks the client model through sampling and returns its reply', async () => {
      const result = await peer.callTool('test_sampling', { prompt: 'Capital of France?' });
      expect(firstText(result)).toBe('LLM response: Paris');
      expect(lastAsked()).toEqual({
        method: 'sampling/createMessage',
        params: {
          messages: [{ role: 'user', content: { type: 'text', text: 'Capital of France?' } }],
          maxTokens: 100,
        },
      });
    });

    it('asks the user through a form and returns the answer', async () => {
      const result = await peer.callTool('test_elicitation', { message: 'Who are you?' });
      expect(firstText(result)).toContain('action=accept');
      expect(firstText(result)).toContain('"username":"ada"');
      expect(lastAsked().params).toMatchObject({
        message: 'Who are you?',
        requestedSchema: { type: 'object', required: ['username', 'email'] },
      });
    });

    it('sends form defaults for every primitive type and reports a declined form', async () => {
      const result = await peer.callTool('test_elicitation_sep1034_defaults');
      expect(firstText(result)).toBe('Elicitation completed: action=decline, content={}');
      const schema = lastAsked().params['requestedSchema'] as {
        properties: Record<string, { default: unknown }>;
      };
      expect(
        Object.fromEntries(
          Object.entries(schema.properties).map(([key, value]) => [key, value.default]),
        ),
      ).toEqual({
        name: 'John Doe',
        age: 30,
        score: 95.5,
        status: 'active',
        verified: true,
      });
    });

    it('sends all five enum shapes in one form', async () => {
      await peer.callTool('test_elicitation_sep1330_enums');
      const schema = lastAsked().params['requestedSchema'] as {
        properties: Record<string, Record<string, unknown>>;
      };
      expect(Object.keys(schema.properties)).toEqual([
        'untitledSingle',
        'titledSingle',
        'legacyEnum',
        'untitledMulti',
        'titledMulti',
      ]);
      expect(schema.properties['legacyEnum']!['enumNames']).toHaveLength(3);
    });

    it('asks the user to open a URL (URL-mode elicitation)', async () => {
      const result = await peer.callTool('test_url_elicitation', {
        url: 'https://example.com/approve?x=1',
      });
      expect(firstText(result)).toBe('URL elicitation: action=accept, content={}');
      expect(lastAsked()).toEqual({
        method: 'elicitation/create',
        params: {
          mode: 'url',
          message: 'Please open the link to continue',
          url: 'https://example.com/approve?x=1',
          elicitationId: 'fixture-url-elicitation',
        },
      });
    });

    it("lists the client's roots", async () => {
      const result = await peer.callTool('test_list_roots');
      expect(firstText(result)).toBe('file:///work/project\nfile:///tmp/scratch');
    });

    it('runs a tool written for input-required rounds as plain server-to-client requests', async () => {
      const before = asked.length;
      const result = await peer.callTool('test_input_required_result_multi_round');
      expect(firstText(result)).toBe('Completed after 2 rounds: name=Ada, color=teal');
      expect(asked.slice(before).map((entry) => entry.params['message'])).toEqual([
        'Step 1: What is your name?',
        'Step 2: What is your favorite color?',
      ]);
      const several = await peer.callTool('test_input_required_result_multiple_inputs');
      expect(firstText(several)).toMatch(/greeting from test-model, 2 root\(s\)/);
      const state = await peer.callTool('test_input_required_result_request_state');
      expect(firstText(state)).toContain('state-ok');
    });
  });

  describe('list changes', () => {
    it('announces tools and prompts that come and go', async () => {
      const count = (method: string) => notifications(peer, method).length;
      const tools = count('notifications/tools/list_changed');
      const prompts = count('notifications/prompts/list_changed');
      await peer.callTool('test_trigger_tool_change');
      await peer.callTool('test_trigger_prompt_change');
      await waitFor(
        () =>
          count('notifications/tools/list_changed') === tools + 1 &&
          count('notifications/prompts/list_changed') === prompts + 1,
      );
      expect((await peer.client.listTools()).tools.map((tool) => tool.name)).toContain(
        'test_dynamic_tool',
      );
      expect(firstText(await peer.callTool('test_dynamic_tool'))).toBe(
        'This tool was added at run time.',
      );
      expect((await peer.client.listPrompts()).prompts.map((prompt) => prompt.name)).toContain(
        'test_dynamic_prompt',
      );

      await peer.callTool('test_trigger_tool_change');
      await peer.callTool('test_trigger_prompt_change');
      await waitFor(
        () =>
          count('notifications/tools/list_changed') === tools + 2 &&
          count('notifications/prompts/list_changed') === prompts + 2,
      );
      expect((await peer.client.listTools()).tools.map((tool) => tool.name)).not.toContain(
        'test_dynamic_tool',
      );
      await expect(peer.callTool('test_dynamic_tool')).rejects.toMatchObject({ code: -32602 });
    });
  });
});

describe.each(['v1', 'v2'] as const)('the %s client without optional capabilities', (sdk) => {
  let peer: Peer;
  beforeAll(async () => {
    peer = await connectPeer(sdk, { capabilities: { elicitation: { form: {} } } });
  });
  afterAll(async () => {
    await peer.close();
  });

  it('gets an error result, and no request, from tools that need what it did not declare', async () => {
    const sampling = await peer.callTool('test_sampling', { prompt: 'hi' });
    expect(sampling).toMatchObject({
      isError: true,
      content: [{ text: 'The client does not support sampling' }],
    });
    const url = await peer.callTool('test_url_elicitation', {});
    expect(url).toMatchObject({
      isError: true,
      content: [{ text: 'The client does not support url-mode elicitation' }],
    });
    const roots = await peer.callTool('test_list_roots');
    expect(roots).toMatchObject({ isError: true });
    expect(
      peer.received.filter((message) => message.method !== undefined && message.id !== undefined),
    ).toEqual([]);
  });

  it('pages through every list with opaque cursors', async () => {
    await using paged = await connectPeer(sdk, { args: ['--page-size', '4'] });
    const everything = (await peer.client.listTools()).tools.map((tool) => tool.name);
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await paged.client.listTools(cursor === undefined ? {} : { cursor });
      names.push(...page.tools.map((tool) => tool.name));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(names).toEqual(everything);
    const pages = paged.received.filter((message) =>
      Array.isArray((message.result as { tools?: unknown } | undefined)?.tools),
    );
    expect(pages).toHaveLength(Math.ceil(everything.length / 4));
    for (const response of pages)
      expect((response.result as { tools: unknown[] }).tools.length).toBeLessThanOrEqual(4);
    const prompts: string[] = [];
    cursor = undefined;
    do {
      const page = await paged.client.listPrompts(cursor === undefined ? {} : { cursor });
      prompts.push(...page.prompts.map((prompt) => prompt.name));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(prompts).toEqual((await peer.client.listPrompts()).prompts.map((prompt) => prompt.name));
    const promptPages = paged.received.filter((message) =>
      Array.isArray((message.result as { prompts?: unknown } | undefined)?.prompts),
    );
    expect(
      promptPages.map((response) => (response.result as { prompts: unknown[] }).prompts.length),
    ).toEqual([4, 1]);
    await expect(paged.client.listPrompts({ cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: -32602,
    });
  });
});
