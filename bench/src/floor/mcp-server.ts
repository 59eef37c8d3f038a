/**
 * @module
 * The floor of the protocol suite: the smallest stdio MCP server Node can run. Newline-delimited
 * JSON in, one `JSON.stringify` per reply out, the replies to one chunk of input written
 * together; no schema library and no abstraction. It answers `initialize`, `tools/list`, `ping`
 * and `tools/call` of one `echo` tool, ignores notifications, and exits when stdin ends. Whatever
 * a real server costs beyond this is the cost of its protocol stack.
 */

const ECHO_TOOL = {
  name: 'echo',
  description: 'Echoes its message back.',
  inputSchema: {
    type: 'object',
    properties: { message: { type: 'string' } },
    required: ['message'],
  },
};

interface Message {
  id?: string | number;
  method?: string;
  params?: { protocolVersion?: string; name?: string; arguments?: { message?: unknown } };
}

function answer(message: Message): unknown {
  switch (message.method) {
    case 'initialize':
      return {
        protocolVersion: message.params?.protocolVersion ?? '2025-11-25',
        capabilities: { tools: {} },
        serverInfo: { name: 'floor', version: '0.0.0' },
      };
    case 'tools/list':
      return { tools: [ECHO_TOOL] };
    case 'tools/call': {
      const text = message.params?.arguments?.message;
      return { content: [{ type: 'text', text: typeof text === 'string' ? text : '' }] };
    }
    case 'ping':
      return {};
    default:
      return undefined;
  }
}

/** Reads stdin line by line and answers each request; one write per chunk of input. */
function serve(): void {
  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    let out = '';
    for (const line of lines) {
      if (line === '') continue;
      const message = JSON.parse(line) as Message;
      if (message.id === undefined) continue;
      const result = answer(message);
      out +=
        JSON.stringify(
          result === undefined
            ? {
                jsonrpc: '2.0',
                id: message.id,
                error: { code: -32601, message: 'Method not found' },
              }
            : { jsonrpc: '2.0', id: message.id, result },
        ) + '\n';
    }
    if (out !== '') process.stdout.write(out);
  });
}

serve();
