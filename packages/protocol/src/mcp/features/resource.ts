/**
 * @module
 * Resources are fixed URIs ({@link defineResource}) or families of URIs described by a template
 * ({@link defineResourceTemplate}), each able to list its members and complete its variables.
 */
import type { RequestContext } from '../context.js';
import type { ResourceListPage } from './resource-listing.js';
import type { ResourceContents, ResourceDescriptor, ResourceTemplateDescriptor } from '../types.js';
import { UriTemplate, type UriVariables } from './uri-template.js';

export type ResourceContext<D> = RequestContext & D;

/** Completion of one argument: the partial value typed so far, and the other arguments already chosen. */
export type Completer<D> = (
  value: string,
  context: { arguments: ReadonlyMap<string, string>; ctx: ResourceContext<D> },
) => Promise<readonly string[]> | readonly string[];

export interface Resource<D = unknown> {
  readonly descriptor: ResourceDescriptor;
  read: (ctx: ResourceContext<D>) => Promise<ResourceContents[]> | ResourceContents[];
}

export interface ResourceTemplateDefinition<D> extends ResourceTemplateDescriptor {
  /**
   * The concrete resources of this family to show in `resources/list`, if any: all of them as an
   * array (paged by the server), or one page from an upstream that pages itself, given the
   * `nextCursor` of the page before (undefined for the first).
   */
  list?: (
    ctx: ResourceContext<D>,
    cursor: string | undefined,
  ) => Promise<ResourceDescriptor[] | ResourceListPage> | ResourceDescriptor[] | ResourceListPage;
  /** Reads one member. Throw `resourceNotFound(uri)` when it does not exist. */
  read: (
    uri: string,
    variables: UriVariables,
    ctx: ResourceContext<D>,
  ) => Promise<ResourceContents[]> | ResourceContents[];
  /** Completers for template variables, by variable name. */
  complete?: Readonly<Record<string, Completer<D>>>;
}

export interface ResourceTemplate<D = unknown> {
  readonly descriptor: ResourceTemplateDescriptor;
  readonly template: UriTemplate;
  readonly definition: ResourceTemplateDefinition<D>;
}

export function resourceFactory<D>() {
  const defineResource = (
    definition: ResourceDescriptor & {
      read: (ctx: ResourceContext<D>) => Promise<ResourceContents[]> | ResourceContents[];
    },
  ): Resource<D> => {
    const { read, ...descriptor } = definition;
    return { descriptor, read };
  };
  const defineResourceTemplate = (
    definition: ResourceTemplateDefinition<D>,
  ): ResourceTemplate<D> => {
    const { list: _list, read: _read, complete: _complete, ...descriptor } = definition;
    return { descriptor, template: new UriTemplate(definition.uriTemplate), definition };
  };
  return { defineResource, defineResourceTemplate };
}

const unscoped = resourceFactory<unknown>();
export const defineResource = unscoped.defineResource;
export const defineResourceTemplate = unscoped.defineResourceTemplate;
