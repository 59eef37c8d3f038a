/**
 * @module
 * Streamable HTTP. Placeholder until the HTTP transport lands.
 */
import type { Logger } from '../../log.js';
import type { McpServer } from '../../mcp/server.js';

export interface ServeHttpOptions {
  host: string;
  port: number;
  authToken?: string;
  logger?: Logger;
}

export interface HttpListening {
  url: string;
  close(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/require-await -- placeholder
export async function serveHttp(_server: McpServer<unknown>, _options: ServeHttpOptions): Promise<HttpListening> {
  throw new Error('The HTTP transport is not available in this build');
}
