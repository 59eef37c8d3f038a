/**
 * @module
 * Prompts: named message templates with string arguments, each argument optionally completable.
 */
import type { RequestContext } from '../context.js';
import type { Completer } from './resource.js';
import type { GetPromptResult, Icon, PromptDescriptor } from '../types.js';

export interface PromptArgumentDefinition<D> {
  name: string;
  title?: string;
  description: string;
  required?: boolean;
  complete?: Completer<D>;
}

export interface PromptDefinition<D> {
  name: string;
  title?: string;
  description: string;
  icons?: Icon[];
  arguments?: readonly PromptArgumentDefinition<D>[];
  /** Required arguments are checked before this runs. */
  get(
    args: ReadonlyMap<string, string>,
    ctx: RequestContext & D,
  ): Promise<GetPromptResult> | GetPromptResult;
}

export interface Prompt<D = unknown> {
  readonly name: string;
  readonly descriptor: PromptDescriptor;
  readonly definition: PromptDefinition<D>;
}

export function promptFactory<D>() {
  return function definePrompt(definition: PromptDefinition<D>): Prompt<D> {
    const descriptor: PromptDescriptor = {
      name: definition.name,
      description: definition.description,
    };
    if (definition.title !== undefined) descriptor.title = definition.title;
    if (definition.icons !== undefined) descriptor.icons = definition.icons;
    if (definition.arguments !== undefined) {
      descriptor.arguments = definition.arguments.map(
        ({ complete: _complete, ...argument }) => argument,
      );
    }
    return { name: definition.name, descriptor, definition };
  };
}

export const definePrompt = promptFactory<unknown>();
