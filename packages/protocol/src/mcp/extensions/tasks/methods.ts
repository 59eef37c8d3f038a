/**
 * @module
 * `tasks/get`, `tasks/update` and `tasks/cancel` (tasks extension, SEP-2663), for clients that
 * declared the extension. Updates and cancellations are acknowledged with an empty result; the
 * task's new state is read with the next `tasks/get`. An unknown (or expired) task id is -32602,
 * and so is the id of another signed-in user's task: to anyone but its owner it does not exist.
 */
import { ProtocolError } from '../../../jsonrpc/errors.js';
import { isObject, type JsonObject } from '../../../jsonrpc/message.js';
import type { Task, TaskStore } from './store.js';

export type TaskMethod = 'tasks/get' | 'tasks/update' | 'tasks/cancel';

function findTask(
  store: TaskStore | undefined,
  params: JsonObject,
  owner: string | undefined,
): Task {
  const { taskId } = params;
  if (typeof taskId !== 'string')
    throw ProtocolError.invalidParams('params.taskId must be a string');
  const task = store?.get(taskId);
  if (task === undefined || task.owner !== owner)
    throw ProtocolError.invalidParams(`Unknown task: ${taskId.slice(0, 100)}`);
  return task;
}

/**
 * Serves one tasks method; `store` is undefined while the server has never created a task.
 * `caller`: the signed-in user asking (`sub`), undefined without sign-in.
 */
export function taskMethod(
  method: TaskMethod,
  store: TaskStore | undefined,
  params: JsonObject,
  caller: string | undefined,
): JsonObject {
  const task = findTask(store, params, caller);
  switch (method) {
    case 'tasks/get':
      return task.detail();
    case 'tasks/update': {
      const { inputResponses } = params;
      if (!isObject(inputResponses))
        throw ProtocolError.invalidParams('params.inputResponses must be an object');
      task.answer(inputResponses);
      return {};
    }
    case 'tasks/cancel':
      task.cancel();
      return {};
  }
}
