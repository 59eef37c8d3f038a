/**
 * @module
 * 2026-07-28 `subscriptions/listen`: acknowledge first, then tag every notification with the
 * subscription id, until the request is cancelled or the session ends.
 */
import { isObject, type JsonObject } from '../../../jsonrpc/message.js';
import type { ServerCore } from '../../core.js';
import type { Exchange } from '../../exchange.js';
import { MetaKey } from '../versions.js';

export async function listen(
  core: ServerCore,
  params: JsonObject,
  exchange: Exchange,
  disposed: AbortSignal,
): Promise<JsonObject> {
  const requested = isObject(params.notifications) ? params.notifications : {};
  const honoured: JsonObject = {};
  const subscriptionMeta = { [MetaKey.SubscriptionId]: exchange.id };
  const stops: (() => void)[] = [];
  const send = (method: string, body: JsonObject = {}): void => {
    void exchange.notify(method, { ...body, _meta: subscriptionMeta });
  };
  const { tools, prompts, resources } = core.capabilities;
  const wants = (key: string): boolean => requested[key] === true;
  if (tools?.listChanged === true && wants('toolsListChanged')) honoured.toolsListChanged = true;
  if (prompts?.listChanged === true && wants('promptsListChanged'))
    honoured.promptsListChanged = true;
  if (resources?.listChanged === true && wants('resourcesListChanged'))
    honoured.resourcesListChanged = true;
  const uris = Array.isArray(requested.resourceSubscriptions)
    ? requested.resourceSubscriptions.filter((uri): uri is string => typeof uri === 'string')
    : [];
  if (resources?.subscribe === true && uris.length > 0) honoured.resourceSubscriptions = uris;
  await exchange.notify('notifications/subscriptions/acknowledged', {
    notifications: honoured,
    _meta: subscriptionMeta,
  });
  if (honoured.toolsListChanged === true)
    stops.push(core.tools.onChange(() => send('notifications/tools/list_changed')));
  if (honoured.promptsListChanged === true)
    stops.push(core.prompts.onChange(() => send('notifications/prompts/list_changed')));
  if (honoured.resourcesListChanged === true) {
    stops.push(core.resources.onChange(() => send('notifications/resources/list_changed')));
    stops.push(core.resourceTemplates.onChange(() => send('notifications/resources/list_changed')));
  }
  if (honoured.resourceSubscriptions !== undefined) {
    const watched = new Set(uris);
    stops.push(
      core.onResourceUpdated(
        (uri) => watched.has(uri) && send('notifications/resources/updated', { uri }),
      ),
    );
  }
  try {
    await untilAborted(exchange.signal, disposed);
  } finally {
    for (const stop of stops) stop();
  }
  return { _meta: subscriptionMeta };
}

/** Resolves when any signal aborts, and leaves no listener behind on the others. */
function untilAborted(...signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    if (signals.some((signal) => signal.aborted)) {
      resolve();
      return;
    }
    const done = (): void => {
      for (const signal of signals) signal.removeEventListener('abort', done);
      resolve();
    };
    for (const signal of signals) signal.addEventListener('abort', done, { once: true });
  });
}
