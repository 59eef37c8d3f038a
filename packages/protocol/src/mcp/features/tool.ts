/**
 * @module
 * A tool is one self-contained value made by {@link defineTool}: its name, the words the model
 * reads, a zod input schema (validated once, here, before `run`), optional output schema, the
 * four behaviour hints, and the handler.
 */
import type { ZodObject, ZodType, output as Output } from 'zod';
import type { JsonObject } from '../../jsonrpc/message.js';
import type { RequestContext } from '../context.js';
import type { TaskSupport } from '../extensions/tasks/support.js';
import type { CallToolResult, Icon, ToolAnnotations, ToolDescriptor } from '../types.js';

/** Tool names: what the conformance suite accepts, which is stricter than the spec. */
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * An expected failure the model can act on. It becomes a tool result with `isError: true` and
 * this message; nothing else about it (no stack, no cause) reaches the client.
 */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}

/** What a tool handler may return: a full result, or just its content blocks. */
export type ToolReturn<O> =
  (CallToolResult & { structuredContent?: O }) | CallToolResult['content'];

/** The second argument of every handler: the request's context plus the server's own dependencies. */
export type ToolContext<D> = RequestContext & D;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape of any zod object
export type AnyObjectSchema = ZodObject<any>;

export interface ToolDefinition<I extends AnyObjectSchema, O extends ZodType | undefined, D> {
  name: string;
  title?: string;
  /** 1–3 sentences for the model: when to use it, what it returns, its limits. */
  description: string;
  input: I;
  /** When set, results must carry `structuredContent` of this shape. */
  output?: O;
  annotations: Omit<ToolAnnotations, 'title'>;
  icons?: Icon[];
  /**
   * A JSON Schema to publish instead of the one derived from `input`, for schemas zod cannot
   * express. `input` still validates.
   */
  inputJsonSchema?: JsonObject;
  _meta?: JsonObject;
  /**
   * Tasks extension: the call may run as a task (`optional`) or must (`required`; clients without
   * the extension get -32021). Unset: never a task.
   */
  taskSupport?: TaskSupport;
  /**
   * With `taskSupport`: create the task only when the handler calls `ctx.continueAsTask()`, so
   * what it asks before that is answered within the call (input-required rounds).
   */
  deferTask?: boolean;
  /**
   * Arguments whose values are private content (a message's text, a search query): the debug log
   * of each call shows their length, never their value.
   */
  privateArguments?: readonly string[];
  /**
   * The arguments naming what a call acts on (a path, a repository, a channel, a file id, a
   * table), recorded as its target by the kit's audit trail. Read by the kit, never published.
   */
  auditTarget?: readonly (keyof Output<I> & string)[];
  /**
   * The toolset (or toolsets) the tool belongs to, for the operator's `--toolsets`. Read by the
   * kit's tool selection (`@plugboard/kit/tools`), never published.
   */
  toolset?: string | readonly string[];
  /**
   * The operator gates that must be open for the tool to exist (`['allowDelete']`), by the names
   * the server gives its gates. Read by the kit's tool selection, never published.
   */
  requires?: readonly string[];
  /**
   * The named action class the tool's dangerous calls belong to (`force-push`), which the
   * operator may name in `--approve` so that such a call waits for a person's approval. Read by
   * the kit's approval (`@plugboard/kit/approval`), never published.
   */
  approval?: ToolApproval<Output<I>, D>;
  run: (
    args: Output<I>,
    ctx: ToolContext<D>,
  ) =>
    | Promise<ToolReturn<O extends ZodType ? Output<O> : unknown>>
    | ToolReturn<O extends ZodType ? Output<O> : unknown>;
}

/**
 * What a tool says about the calls a person may have to approve: their action class, which of
 * them belong to it, and the plain words that tell the person exactly what will happen.
 */
export interface ToolApproval<A, D> {
  /** kebab-case, unique within the server, e.g. `force-push`, `ddl`, `delete`. */
  readonly class: string;
  /**
   * Whether this call is of the class (a push with `force`, a post outside the operator's quiet
   * channels); every call when absent.
   */
  readonly when?: (args: A, ctx: ToolContext<D>) => boolean;
  /**
   * Exactly what will happen (the SQL, the branch, the recipients), in plain words; a generic
   * rendering of the arguments when absent. May read the server (the diff a push would send).
   */
  readonly summary?: (args: A, ctx: ToolContext<D>) => string | Promise<string>;
}

/** What runs a tool: its validating schema and its handler. */
export interface ToolImplementation<D = unknown> {
  readonly input: AnyObjectSchema;
  /** The task starts when the handler asks for it, not before the handler runs. */
  readonly deferTask?: boolean;
  /** See {@link ToolDefinition.privateArguments}. */
  readonly privateArguments?: readonly string[];
  /** See {@link ToolDefinition.auditTarget}. */
  readonly auditTarget?: readonly string[];
  /** See {@link ToolDefinition.approval}. */
  readonly approval?: ToolApproval<unknown, D>;
  run: (args: unknown, ctx: ToolContext<D>) => Promise<ToolReturn<unknown>> | ToolReturn<unknown>;
}

/**
 * A tool as the server holds it: what `tools/list` shows, and a way to get the implementation.
 * Tools made by `defineTool` have it at hand; tools made by `lazyTools` load it on first call.
 */
export interface Tool<D = unknown> {
  readonly name: string;
  readonly annotations: ToolDefinition<AnyObjectSchema, ZodType | undefined, D>['annotations'];
  /** Tasks extension support, also published as `execution.taskSupport`. */
  readonly taskSupport?: TaskSupport;
  /** See {@link ToolDefinition.toolset}. */
  readonly toolset?: string | readonly string[];
  /** See {@link ToolDefinition.requires}. */
  readonly requires?: readonly string[];
  /** The class of {@link ToolDefinition.approval}, known before the implementation loads. */
  readonly actionClass?: string;
  descriptor(): ToolDescriptor;
  implementation(): ToolImplementation<D> | Promise<ToolImplementation<D>>;
}

/** JSON Schema without the dialect marker: 2020-12 is MCP's default, and older clients' validators reject the URI. */
function publishedSchema(schema: ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...rest } = schema.toJSONSchema({
    io,
    unrepresentable: 'any',
  }) as JsonObject;
  return rest;
}

/**
 * Returns a `defineTool` whose handlers receive `D`, the server's dependencies, in their context.
 * Each server makes one: `export const defineTool = toolFactory<FsDeps>()`.
 */
export function toolFactory<D>() {
  return function defineTool<I extends AnyObjectSchema, O extends ZodType | undefined = undefined>(
    definition: ToolDefinition<I, O, D>,
  ): Tool<D> {
    if (!TOOL_NAME.test(definition.name)) {
      throw new TypeError(
        `Tool name "${definition.name}" must be 1-64 characters of A-Z a-z 0-9 _ . -`,
      );
    }
    // Unknown keys are refused, not stripped: a model that sends `{"readOnly": false}` learns it
    // has no such switch, and nothing unvalidated reaches a handler.
    const input = (
      definition.input.def.catchall === undefined ? definition.input.strict() : definition.input
    ) as I;
    let descriptor: ToolDescriptor | undefined;
    const implementation: ToolImplementation<D> = {
      input,
      run: definition.run as ToolImplementation<D>['run'],
      ...(definition.deferTask === true ? { deferTask: true } : {}),
      ...(definition.privateArguments === undefined
        ? {}
        : { privateArguments: definition.privateArguments }),
      ...(definition.auditTarget === undefined ? {} : { auditTarget: definition.auditTarget }),
      ...(definition.approval === undefined
        ? {}
        : { approval: definition.approval as ToolApproval<unknown, D> }),
    };
    return {
      name: definition.name,
      annotations: definition.annotations,
      ...(definition.taskSupport === undefined ? {} : { taskSupport: definition.taskSupport }),
      ...(definition.toolset === undefined ? {} : { toolset: definition.toolset }),
      ...(definition.requires === undefined ? {} : { requires: definition.requires }),
      ...(definition.approval === undefined ? {} : { actionClass: definition.approval.class }),
      descriptor() {
        descriptor ??= describe(definition, input);
        return descriptor;
      },
      implementation: () => implementation,
    };
  };
}

function describe(
  definition: ToolDefinition<AnyObjectSchema, ZodType | undefined, never>,
  input: AnyObjectSchema,
): ToolDescriptor {
  const descriptor: ToolDescriptor = {
    name: definition.name,
    description: definition.description,
    inputSchema: definition.inputJsonSchema ?? publishedSchema(input, 'input'),
    // The title is published once, at the top level (2025-06-18 and later read it there).
    annotations: { ...definition.annotations },
  };
  if (definition.title !== undefined) descriptor.title = definition.title;
  if (definition.output !== undefined)
    descriptor.outputSchema = publishedSchema(definition.output, 'output');
  if (definition.icons !== undefined) descriptor.icons = definition.icons;
  if (definition._meta !== undefined) descriptor._meta = definition._meta;
  if (definition.taskSupport !== undefined)
    descriptor.execution = { taskSupport: definition.taskSupport };
  return descriptor;
}

/** `defineTool` for tools that need nothing from the server but the request context. */
export const defineTool = toolFactory<unknown>();

/** Turns zod issues into one line per field the model can fix. */
export function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string {
  return issues
    .slice(0, 20)
    .map(
      (issue) =>
        `${issue.path.length === 0 ? '(arguments)' : issue.path.map(String).join('.')}: ${issue.message}`,
    )
    .join('; ');
}
