/**
 * @module
 * Driving the tasks extension (`io.modelcontextprotocol/tasks`) of a built server over stdio with
 * 2026-07-28 requests, as a client that declares the extension does: a task-capable call answered
 * with a task, `tasks/get` polled until the task settles, `tasks/cancel`. The official SDK clients
 * (1.32, 2.4) have no API for the 2026-07-28 extension, so these are the wire requests themselves.
 */
import type { RawStdioPeer } from './raw-stdio.js';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** A task as `tasks/get` (and the creating call) report it. */
export interface TaskState extends Record<string, unknown> {
  readonly taskId: string;
  readonly status: 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';
}

export interface TaskDriver {
  /** One 2026-07-28 request; its result, or an Error carrying the JSON-RPC error. */
  request(
    method: string,
    params: Record<string, unknown>,
    options?: { tasks?: boolean },
  ): Promise<Record<string, unknown>>;
  /** The listed tools that declare task support, with their `execution`, in list order. */
  taskCapableTools(): Promise<[name: string, execution: unknown][]>;
  /** Calls a tool that must answer with a task; the task as created. */
  start(name: string, args: Record<string, unknown>): Promise<TaskState>;
  /** `tasks/get`. */
  get(taskId: string): Promise<TaskState>;
  /** Polls `tasks/get` until the task is in `status` or has settled. */
  until(taskId: string, status: TaskState['status']): Promise<TaskState>;
  /** `tasks/cancel`. */
  cancel(taskId: string): Promise<Record<string, unknown>>;
}

const SETTLED = new Set(['completed', 'failed', 'cancelled']);

/** A {@link TaskDriver} over `peer`, a server spawned with `rawStdio`. */
export function taskDriver(peer: RawStdioPeer, pollMs = 20): TaskDriver {
  const request: TaskDriver['request'] = async (method, params, options = {}) => {
    const response = await peer.request(method, {
      ...params,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities':
          options.tasks === false ? {} : { extensions: { [TASKS_EXTENSION]: {} } },
      },
    });
    if (response.result === undefined)
      throw new Error(`${method} failed: ${JSON.stringify(response.error)}`);
    return response.result as Record<string, unknown>;
  };
  const get = async (taskId: string) => (await request('tasks/get', { taskId })) as TaskState;
  return {
    request,
    async taskCapableTools() {
      const { tools } = (await request('tools/list', {})) as {
        tools: { name: string; execution?: unknown }[];
      };
      return tools
        .filter((tool) => tool.execution !== undefined)
        .map((tool) => [tool.name, tool.execution]);
    },
    async start(name, args) {
      const created = await request('tools/call', { name, arguments: args });
      if (created.resultType !== 'task')
        throw new Error(`${name} answered without a task: ${JSON.stringify(created)}`);
      return created as TaskState;
    },
    get,
    async until(taskId, status) {
      for (;;) {
        const task = await get(taskId);
        if (task.status === status || SETTLED.has(task.status)) return task;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
    cancel: (taskId) => request('tasks/cancel', { taskId }),
  };
}
