/**
 * @module
 * Handshake-era change notifications: `list_changed` for each list the server offers, and
 * `resources/updated` for the resources the session subscribed to. They go to the whole session
 * (the GET stream on HTTP).
 */
import type { JsonObject } from '../../../jsonrpc/message.js';
import type { ServerCore } from '../../core.js';

/** Starts watching; returns the functions that stop each watch. */
export function watchForSession(
  core: ServerCore,
  subscriptions: ReadonlySet<string>,
  send: (method: string, params?: JsonObject) => void,
): (() => void)[] {
  const stops: (() => void)[] = [];
  if (core.capabilities.tools !== undefined)
    stops.push(core.tools.onChange(() => send('notifications/tools/list_changed')));
  if (core.capabilities.prompts !== undefined)
    stops.push(core.prompts.onChange(() => send('notifications/prompts/list_changed')));
  if (core.capabilities.resources !== undefined) {
    const listChanged = (): void => send('notifications/resources/list_changed');
    stops.push(core.resources.onChange(listChanged), core.resourceTemplates.onChange(listChanged));
    stops.push(
      core.onResourceUpdated((uri) => {
        if (subscriptions.has(uri)) send('notifications/resources/updated', { uri });
      }),
    );
  }
  return stops;
}
