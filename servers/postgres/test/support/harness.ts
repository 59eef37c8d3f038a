/**
 * @module
 * The server in this process, built from a command line exactly as `main.ts` builds it, with the
 * official SDK client connected over the protocol package's in-memory transport. The client
 * lists tools first, so it validates every structured result against the tool's output schema.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { stderrLogger, type McpServer } from '@plugboard/protocol';
import { parseCommandLine, withSecretsMasked } from '@plugboard/kit/cli';
import { exposeTools } from '@plugboard/kit/tools';
import { InMemoryTransport } from '@plugboard/protocol/testing';
import { serverHarness, type ServerHarness } from '@plugboard/testing';
import { COMMAND } from '../../src/command.js';
import { parseConfig, type PostgresConfig } from '../../src/config.js';
import type { PostgresDeps } from '../../src/context.js';
import {
  connectPostgres,
  createPostgresServer,
  postgresExposure,
  type PostgresConnection,
} from '../../src/server.js';
import { tools } from '../../src/tools/index.js';

/** The server a harness runs, and the connection it holds. */
export interface PostgresServer {
  server: McpServer<PostgresDeps>;
  config: PostgresConfig;
  ready: PostgresConnection['ready'];
  close: () => Promise<void>;
}

export interface Harness extends ServerHarness {
  readonly running: PostgresServer;
  /** stderr lines the server logged. */
  logs(): string;
  /** Exit codes the server asked for (it refuses to run by exiting 2). */
  readonly exits: number[];
  /**
   * The first exit code the server asks for: a refused role exits once the calls that were
   * waiting for the role check have their answer.
   */
  readonly exited: Promise<number>;
  /** The text of a tool result's first content block. */
  text(result: CallToolResult): string;
}

export interface HarnessOptions {
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  /** Wait for the start-up role check (default true). */
  waitReady?: boolean;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const lines: string[] = [];
  const exits: number[] = [];
  const parsed = parseCommandLine(
    { ...COMMAND, version: '0.0.0-test' },
    options.args ?? [],
    options.env ?? {},
  );
  if (parsed.kind !== 'run') throw new Error('expected a run command line');
  const config = parseConfig({ ...parsed, env: options.env ?? {} });
  const logger = withSecretsMasked(
    stderrLogger('debug', { name: 'test', write: (line) => lines.push(line) }),
    config.secrets,
  );
  const selected = exposeTools(tools, { selection: parsed.common, ...postgresExposure(config) });
  let exitWith: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exitWith = resolve));
  const exit = (code: number): void => {
    exits.push(code);
    exitWith(code);
  };
  const connection = await connectPostgres(config, { logger, exit });
  connection.begin();
  const running: PostgresServer = {
    server: createPostgresServer(connection.deps, selected, { logger }),
    config,
    ready: connection.ready,
    close: connection.close,
  };
  if (options.waitReady ?? true) await running.ready();
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await running.server.connect(serverSide);
  const client = new Client({ name: 'server-postgres-test', version: '0.0.0' });
  // Our in-memory transport has the SDK's shape; its message type is simply declared separately.
  await client.connect(clientSide as unknown as Transport);
  await client.listTools();
  const close = async (): Promise<void> => {
    await client.close();
    await running.server.close();
    await running.close();
  };
  return {
    ...serverHarness(client, close, { timeoutMs: 120_000 }),
    running,
    logs: () => lines.join(''),
    exits,
    exited,
    text(result) {
      const first = result.content[0];
      return first?.type === 'text' ? first.text : '';
    },
  };
}
