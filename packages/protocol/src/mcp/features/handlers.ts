/**
 * @module
 * The methods both protocol generations share: tools, resources, prompts and completion. Each
 * handler takes validated-envelope params and an {@link Exchange}, and returns the result body;
 * era-specific decoration (resultType, caching hints) is added by the session.
 */
import { ErrorCode } from '../../jsonrpc/error-code.js';
import { ProtocolError } from '../../jsonrpc/errors.js';
import { isObject, type JsonObject } from '../../jsonrpc/message.js';
import { lengthsOnly, redactText, type Logger } from '../../log.js';
import { requestLogger } from '../auth.js';
import type { ServerCore } from '../core.js';
import { createRequestContext } from '../context.js';
import type { Exchange } from '../exchange.js';
import { InputRequired, MissingCapabilityError } from '../input.js';
import { paginate } from './pagination.js';
import { declaresTasks, tasksCapabilityMissing } from '../extensions/tasks/support.js';
import { listAcross, type ResourceSource } from './resource-listing.js';
import {
  describeIssues,
  ToolError,
  type Tool,
  type ToolImplementation,
  type ToolReturn,
} from './tool.js';
import type { CallToolResult, ResourceContents } from '../types.js';
import { enforceOutputBudget } from './output-budget.js';
import { MAX_URI_LENGTH } from './uri-template.js';

export type MethodHandler = (
  params: JsonObject,
  exchange: Exchange,
) => Promise<JsonObject> | JsonObject;

function requireString(params: JsonObject, key: string): string {
  const value = params[key];
  if (typeof value !== 'string')
    throw ProtocolError.invalidParams(`params.${key} must be a string`);
  return value;
}

function stringMap(value: unknown, label: string): Map<string, string> {
  const map = new Map<string, string>();
  if (value === undefined) return map;
  if (!isObject(value)) throw ProtocolError.invalidParams(`${label} must be an object of strings`);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string')
      throw ProtocolError.invalidParams(`${label}.${key} must be a string`);
    map.set(key, item);
  }
  return map;
}

/**
 * Resource reads and prompts have no `isError` result: a {@link ToolError} (an expected,
 * actionable failure) thrown there reaches the client as -32602 with its message, instead of
 * disappearing into a generic internal error.
 */
async function actionable<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ToolError) throw ProtocolError.invalidParams(redactText(error.message));
    throw error;
  }
}

export function resourceNotFound(uri: string): ProtocolError {
  return new ProtocolError(ErrorCode.ResourceNotFound, `Resource not found: ${uri.slice(0, 200)}`, {
    uri,
  });
}

function normalise(result: ToolReturn<unknown>): CallToolResult {
  return Array.isArray(result) ? { content: result } : result;
}

function failure(message: string): JsonObject {
  return { content: [{ type: 'text', text: message }], isError: true };
}

export function toolHandlers(core: ServerCore): Record<string, MethodHandler> {
  return {
    'tools/list': (params, exchange) => {
      const tools = core.toolsFor(exchange.auth).list();
      const { page, nextCursor } = paginate(tools, params.cursor, core.pageSize);
      const result: JsonObject = { tools: page.map((tool) => tool.descriptor()) };
      if (nextCursor !== undefined) result.nextCursor = nextCursor;
      return result;
    },
    'tools/call': (params, exchange) => {
      const name = requireString(params, 'name');
      const view = core.toolsFor(exchange.auth);
      const tool = view.get(name);
      if (tool === undefined)
        throw ProtocolError.invalidParams(
          view.refusal(name) ?? `Unknown tool: ${name.slice(0, 100)}`,
        );
      const asTask =
        tool.taskSupport !== undefined &&
        exchange.era === 'modern' &&
        declaresTasks(exchange.clientCapabilities);
      if (tool.taskSupport === 'required' && !asTask) {
        // Refused before the handler runs; -32021 exists only in 2026-07-28.
        const error = tasksCapabilityMissing(`The tool ${name}`);
        if (exchange.era === 'handshake') return failure(error.message);
        throw error;
      }
      const args = params.arguments ?? {};
      if (!isObject(args)) throw ProtocolError.invalidParams('params.arguments must be an object');
      // Loaded tools answer synchronously; only a lazy tool's first call waits for its module.
      const logger = requestLogger(core.logger, exchange.auth);
      const call: ToolCall = { core, tool, name, args, exchange, asTask, logger };
      const found = tool.implementation();
      return found instanceof Promise
        ? found.then((implementation) => callTool(call, implementation))
        : callTool(call, found);
    },
  };
}

/** A `tools/call` whose tool was found and whose envelope was checked. */
interface ToolCall {
  readonly core: ServerCore;
  readonly tool: Tool;
  readonly name: string;
  readonly args: JsonObject;
  readonly exchange: Exchange;
  readonly asTask: boolean;
  /** The server's logger, naming the caller when one signed in. */
  readonly logger: Logger;
}

/** Validates the arguments and runs the tool, inline or as a task. */
function callTool(
  call: ToolCall,
  implementation: ToolImplementation,
): Promise<JsonObject> | JsonObject {
  const { name, args, logger } = call;
  const parsed = implementation.input.safeParse(args);
  if (!parsed.success) {
    return failure(`Invalid arguments for ${name}: ${describeIssues(parsed.error.issues)}`);
  }
  if (logger.enabled('debug')) {
    const { privateArguments } = implementation;
    logger.debug('tool call', {
      tool: name,
      arguments: privateArguments === undefined ? args : lengthsOnly(args, privateArguments),
    });
  }
  if (!call.asTask) return runTool(call, implementation, parsed.data, call.exchange);
  return runAsTask(call, implementation, parsed.data);
}

async function runAsTask(
  call: ToolCall,
  implementation: ToolImplementation,
  data: unknown,
): Promise<JsonObject> {
  const { core } = call;
  const [{ callAsTask }, store] = await Promise.all([
    import('../extensions/tasks/call.js'),
    core.taskStore(),
  ]);
  return callAsTask(
    store,
    call.exchange,
    implementation.deferTask === true,
    call.logger,
    async (on) => runTool(call, implementation, data, on),
  );
}

/**
 * Runs a tool handler on `on` (the request's exchange, or its task's) and turns what it throws
 * into the result or error the client sees. A handler that returns synchronously is answered
 * synchronously: no promise, no closure.
 */
function runTool(
  call: ToolCall,
  implementation: ToolImplementation,
  data: unknown,
  on: Exchange,
): Promise<JsonObject> | JsonObject {
  let outcome: Promise<ToolReturn<unknown>> | ToolReturn<unknown>;
  try {
    outcome = implementation.run(data, createRequestContext(on, call.core.contextPrototype));
    if (!(outcome instanceof Promise)) return finishTool(call, outcome);
  } catch (error) {
    return toolFailure(call, on, error);
  }
  return outcome
    .then((result) => finishTool(call, result))
    .catch((error: unknown) => toolFailure(call, on, error));
}

/** A tool's result as the client gets it: a content list made a result, within the output budget. */
function finishTool(
  { core, tool, name, logger }: ToolCall,
  result: ToolReturn<unknown>,
): JsonObject {
  return enforceOutputBudget(
    normalise(result) as unknown as JsonObject,
    name,
    core.outputBudget,
    logger,
    tool.descriptor().outputSchema,
  );
}

/** What a tool's failure becomes: a tool error result, or an error rethrown for the protocol. */
function toolFailure({ logger, name }: ToolCall, exchange: Exchange, error: unknown): JsonObject {
  if (error instanceof ToolError) return failure(redactText(error.message));
  if (error instanceof InputRequired) throw error;
  // -32021 exists only in 2026-07-28; a handshake-era client learns it as a tool failure.
  if (error instanceof MissingCapabilityError && exchange.era === 'handshake')
    return failure(error.message);
  if (error instanceof ProtocolError) throw error;
  if (exchange.signal.aborted) return failure(`${name} was cancelled`);
  logger.error(`tool ${name} failed`, {
    error: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
  const message = error instanceof Error ? error.message : String(error);
  return failure(`${name} failed: ${redactText(message)}`);
}

/** The fixed resources, then each template that lists its members. */
function resourceSources(core: ServerCore, exchange: Exchange): ResourceSource[] {
  const sources: ResourceSource[] = [
    () => core.resources.values().map((resource) => resource.descriptor),
  ];
  for (const template of core.resourceTemplates.values()) {
    const { list } = template.definition;
    if (list === undefined) continue;
    sources.push((cursor) => list(createRequestContext(exchange, core.contextPrototype), cursor));
  }
  return sources;
}

export function resourceHandlers(core: ServerCore): Record<string, MethodHandler> {
  return {
    'resources/list': async (params, exchange) => {
      const { resources, nextCursor } = await listAcross(
        resourceSources(core, exchange),
        params.cursor,
        core.pageSize,
      );
      const result: JsonObject = { resources };
      if (nextCursor !== undefined) result.nextCursor = nextCursor;
      return result;
    },
    'resources/templates/list': (params) => {
      const templates = core.resourceTemplates.values().map((template) => template.descriptor);
      const { page, nextCursor } = paginate(templates, params.cursor, core.pageSize);
      const result: JsonObject = { resourceTemplates: page };
      if (nextCursor !== undefined) result.nextCursor = nextCursor;
      return result;
    },
    'resources/read': async (params, exchange) => {
      const uri = requireString(params, 'uri');
      if (uri.length > MAX_URI_LENGTH)
        throw ProtocolError.invalidParams(`params.uri is longer than ${MAX_URI_LENGTH} characters`);
      const ctx = createRequestContext(exchange, core.contextPrototype);
      let contents: ResourceContents[] | undefined;
      const resource = core.resources.get(uri);
      if (resource !== undefined) {
        contents = await actionable(() => resource.read(ctx));
      } else {
        for (const template of core.resourceTemplates.values()) {
          const variables = template.template.match(uri);
          if (variables === undefined) continue;
          contents = await actionable(() => template.definition.read(uri, variables, ctx));
          break;
        }
      }
      if (contents === undefined || contents.length === 0) throw resourceNotFound(uri);
      return { contents };
    },
  };
}

export function promptHandlers(core: ServerCore): Record<string, MethodHandler> {
  return {
    'prompts/list': (params) => {
      const { page, nextCursor } = paginate(
        core.prompts.values().map((prompt) => prompt.descriptor),
        params.cursor,
        core.pageSize,
      );
      const result: JsonObject = { prompts: page };
      if (nextCursor !== undefined) result.nextCursor = nextCursor;
      return result;
    },
    'prompts/get': async (params, exchange) => {
      const name = requireString(params, 'name');
      const prompt = core.prompts.get(name);
      if (prompt === undefined)
        throw ProtocolError.invalidParams(`Unknown prompt: ${name.slice(0, 100)}`);
      const args = stringMap(params.arguments, 'params.arguments');
      const missing = (prompt.definition.arguments ?? []).filter(
        (argument) => argument.required === true && !args.has(argument.name),
      );
      if (missing.length > 0) {
        throw ProtocolError.invalidParams(
          `Missing required arguments for prompt ${name}: ${missing.map((argument) => argument.name).join(', ')}`,
        );
      }
      const ctx = createRequestContext(exchange, core.contextPrototype);
      return (await actionable(() => prompt.definition.get(args, ctx))) as unknown as JsonObject;
    },
  };
}

const MAX_COMPLETIONS = 100;

export function completionHandlers(core: ServerCore): Record<string, MethodHandler> {
  return {
    'completion/complete': async (params, exchange) => {
      const { ref, argument } = params;
      if (!isObject(ref) || !isObject(argument))
        throw ProtocolError.invalidParams('params.ref and params.argument must be objects');
      const argumentName = requireString(argument, 'name');
      const value = requireString(argument, 'value');
      const context = stringMap(
        isObject(params.context) ? params.context.arguments : undefined,
        'params.context.arguments',
      );
      let completer;
      if (ref.type === 'ref/prompt') {
        const prompt = core.prompts.get(requireString(ref, 'name'));
        if (prompt === undefined)
          throw ProtocolError.invalidParams(`Unknown prompt: ${String(ref.name).slice(0, 100)}`);
        completer = prompt.definition.arguments?.find(
          (candidate) => candidate.name === argumentName,
        )?.complete;
      } else if (ref.type === 'ref/resource') {
        const uri = requireString(ref, 'uri');
        const template = core.resourceTemplates
          .values()
          .find((candidate) => candidate.descriptor.uriTemplate === uri);
        if (template === undefined && core.resources.get(uri) === undefined)
          throw ProtocolError.invalidParams(`Unknown resource or template: ${uri.slice(0, 200)}`);
        const completers = template?.definition.complete;
        completer =
          completers !== undefined && Object.hasOwn(completers, argumentName)
            ? completers[argumentName]
            : undefined;
      } else {
        throw ProtocolError.invalidParams('params.ref.type must be "ref/prompt" or "ref/resource"');
      }
      const values =
        completer === undefined
          ? []
          : await completer(value, {
              arguments: context,
              ctx: createRequestContext(exchange, core.contextPrototype),
            });
      const completion: JsonObject = {
        values: values.slice(0, MAX_COMPLETIONS),
        total: values.length,
        hasMore: values.length > MAX_COMPLETIONS,
      };
      return { completion };
    },
  };
}
