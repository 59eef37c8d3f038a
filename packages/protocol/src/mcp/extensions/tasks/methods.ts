/**
 * @module
 * `tasks/get`, `tasks/update` and `tasks/cancel` (tasks extension, SEP-2663), for clients that
 * declared the extension. Updates and cancellations are acknowledged with an empty result; the
 * task's new state is read with the next `tasks/get`. An unknown (or expired) task id is -32602,
 * and so is the id of another signed-in user's task: to anyone but its owner it does not exist.
 * With a shared store a task run by another instance is answered from its record, and updates
 * and cancellations are sent on to that instance.
 */
import { ErrorCode } from '../../../jsonrpc/error-code.js';
import { ProtocolError } from '../../../jsonrpc/errors.js';
import { isObject, type JsonObject } from '../../../jsonrpc/message.js';
import { StoreError } from '../../../store/store.js';
import { isInputMethod, isValidAnswer } from '../../input.js';
import type { TaskRecord } from './shared.js';
import { Task, type TaskStore } from './store.js';

export type TaskMethod = 'tasks/get' | 'tasks/update' | 'tasks/cancel';

async function findTask(
  store: TaskStore | undefined,
  params: JsonObject,
  owner: string | undefined,
): Promise<Task | TaskRecord> {
  const { taskId } = params;
  if (typeof taskId !== 'string')
    throw ProtocolError.invalidParams('params.taskId must be a string');
  const task = await store?.find(taskId).catch((error: unknown) => {
    if (!(error instanceof StoreError)) throw error;
    throw new ProtocolError(
      ErrorCode.InternalError,
      'The shared task store is unavailable; try again shortly',
    );
  });
  if (task === undefined || task.owner !== owner)
    throw ProtocolError.invalidParams(`Unknown task: ${taskId.slice(0, 100)}`);
  return task;
}

/** The answers of `responses` that the record's open questions accept, or -32602 for a wrong one. */
function checkAnswers(record: TaskRecord, responses: JsonObject): JsonObject {
  const open = isObject(record.detail.inputRequests) ? record.detail.inputRequests : {};
  const accepted: JsonObject = {};
  for (const [key, answer] of Object.entries(responses)) {
    const request = open[key];
    if (!isObject(request) || !isInputMethod(request.method)) continue;
    if (!isObject(answer) || !isValidAnswer(request.method, answer))
      throw ProtocolError.invalidParams(
        `inputResponses["${key.slice(0, 50)}"] is not a valid ${request.method} result`,
      );
    accepted[key] = answer;
  }
  return accepted;
}

/**
 * Serves one tasks method; `store` is undefined while the server has never created a task.
 * `caller`: the signed-in user asking (`sub`), undefined without sign-in.
 */
export async function taskMethod(
  method: TaskMethod,
  store: TaskStore | undefined,
  params: JsonObject,
  caller: string | undefined,
): Promise<JsonObject> {
  const task = await findTask(store, params, caller);
  const taskId = params.taskId as string;
  switch (method) {
    case 'tasks/get':
      return task instanceof Task ? task.detail() : task.detail;
    case 'tasks/update': {
      const { inputResponses } = params;
      if (!isObject(inputResponses))
        throw ProtocolError.invalidParams('params.inputResponses must be an object');
      if (task instanceof Task) task.answer(inputResponses);
      else {
        const answer = checkAnswers(task, inputResponses);
        if (Object.keys(answer).length > 0) await store?.control(taskId, { answer });
      }
      return {};
    }
    case 'tasks/cancel':
      if (task instanceof Task) task.cancel();
      else if (task.detail.status !== 'completed' && task.detail.status !== 'failed')
        await store?.control(taskId, { cancel: true });
      return {};
  }
}
