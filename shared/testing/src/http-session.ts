/**
 * @module
 * A handshake-era session opened with raw HTTP requests (`initialize`, then
 * `notifications/initialized`), for tests that then send requests the SDK client would not:
 * to another instance, with another user's token, or resuming a stream by hand.
 */

/** Opens a 2025-11-25 session at `url` with `headers` (a bearer token, say); its `Mcp-Session-Id`. */
export async function openHttpSession(
  url: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<string> {
  const common = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...headers,
  };
  const response = await fetch(url, {
    method: 'POST',
    headers: common,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'raw', version: '1' },
      },
    }),
  });
  const session = response.headers.get('mcp-session-id');
  const body = await response.text();
  if (response.status !== 200 || session === null)
    throw new Error(`initialize: HTTP ${response.status}: ${body.slice(0, 300)}`);
  const note = await fetch(url, {
    method: 'POST',
    headers: { ...common, 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await note.text();
  return session;
}
