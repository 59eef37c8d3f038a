/**
 * @module
 * The fine-grained token permission of every tool, worked out from GitHub's published data
 * (`fine-grained-pat-permissions.json` of github/docs: each permission with the REST endpoints
 * it grants, at `read` or `write`) and the endpoints each tool calls (`tool-endpoints.ts`).
 * `test/permissions.test.ts` keeps the committed table (`fixtures/tool-permissions.json`) equal
 * to what this computes, and the README's permission column equal to the table.
 */
import type { ToolEndpoints } from './tool-endpoints.js';

/** One endpoint of GitHub's data, as the file writes it. */
interface DataEntry {
  readonly verb: string;
  readonly requestPath: string;
  readonly access: string;
}

/** GitHub's data: permission key → its title and the endpoints it grants. */
export type PermissionData = Readonly<
  Record<
    string,
    { readonly title: string; readonly displayTitle: string; readonly permissions: DataEntry[] }
  >
>;

export interface ToolPermission {
  /** Each endpoint the tool calls and the permission that grants it. */
  readonly endpoints: Record<string, string>;
  /** The README's cell: every permission the tool needs, then its conditions. */
  readonly permission: string;
}

const ACCESS = ['read', 'write', 'admin'] as const;
type Access = (typeof ACCESS)[number];

/** A permission as the README writes it: `Title: access` plus a scope such as ` (organization)`. */
interface Grant {
  readonly name: string;
  readonly access: Access;
}

const CLASSIC_ONLY = (scope: string) =>
  `classic token \`${scope}\` scope (fine-grained tokens cannot)`;

function isAccess(value: string): value is Access {
  return (ACCESS as readonly string[]).includes(value);
}

function scopeOf(displayTitle: string): string {
  if (displayTitle.startsWith('Organization ')) return ' (organization)';
  if (displayTitle.startsWith('User ')) return ' (account)';
  return '';
}

function parseGrant(text: string): Grant {
  const match = /^(.+?): (read|write|admin)( \(.+\))?$/.exec(text);
  if (match === null) throw new Error(`not a permission: "${text}"`);
  return { name: `${match[1]!}${match[3] ?? ''}`, access: match[2] as Access };
}

function render(grant: Grant): string {
  const scope = /( \(.+\))$/.exec(grant.name)?.[1] ?? '';
  return `${grant.name.slice(0, grant.name.length - scope.length)}: ${grant.access}${scope}`;
}

/** The permissions GitHub's data lists for `route` ("GET /repos/{owner}/{repo}"), by key. */
function grantsFor(data: PermissionData, route: string): Map<string, Grant> {
  const [verb = '', path = ''] = route.split(' ');
  const found = new Map<string, Grant>();
  for (const [key, permission] of Object.entries(data))
    for (const entry of permission.permissions)
      if (entry.verb === verb.toLowerCase() && entry.requestPath === path) {
        if (!isAccess(entry.access)) throw new Error(`${route}: unknown access ${entry.access}`);
        found.set(key, {
          name: `${permission.title}${scopeOf(permission.displayTitle)}`,
          access: entry.access,
        });
      }
  return found;
}

/**
 * The permission of one endpoint: the one permission GitHub lists for it, or, where it lists
 * several (Metadata beside another, or an endpoint shared by Issues and Pull requests), the one
 * `via` names. An endpoint the data does not list is an error: the tool must name it as public
 * or give GitHub's documented permission instead.
 */
function endpointGrant(
  data: PermissionData,
  tool: string,
  route: string,
  via: string | undefined,
): Grant {
  const grants = grantsFor(data, route);
  if (grants.size === 0) throw new Error(`${tool}: GitHub's data does not list ${route}`);
  if (via !== undefined) {
    const chosen = grants.get(via);
    if (chosen === undefined) throw new Error(`${tool}: ${route} is not under ${via}`);
    return chosen;
  }
  const named = [...grants.entries()].filter(([key]) => key !== 'metadata' || grants.size === 1);
  if (named.length !== 1)
    throw new Error(`${tool}: ${route} is under ${[...grants.keys()].join(', ')}; name one in via`);
  return named[0]![1];
}

function strongest(grants: readonly Grant[]): Grant[] {
  const byName = new Map<string, Grant>();
  for (const grant of grants) {
    const known = byName.get(grant.name);
    if (known === undefined || ACCESS.indexOf(grant.access) > ACCESS.indexOf(known.access))
      byName.set(grant.name, grant);
  }
  const all = [...byName.values()];
  // Every fine-grained token has Metadata: read; it is named only when nothing else is needed.
  const others = all.filter((grant) => grant.name !== 'Metadata');
  return (others.length > 0 ? others : all).sort((a, b) => a.name.localeCompare(b.name));
}

/** The permission of every tool in `endpoints`, from GitHub's `data`. */
export function toolPermissions(
  data: PermissionData,
  endpoints: Readonly<Record<string, ToolEndpoints>>,
): Record<string, ToolPermission> {
  const table: Record<string, ToolPermission> = {};
  for (const [tool, spec] of Object.entries(endpoints)) {
    const routes: Record<string, string> = {};
    const grants: Grant[] = [];
    for (const route of spec.rest ?? []) {
      const grant = endpointGrant(data, tool, route, spec.via?.[route]);
      routes[route] = render(grant);
      grants.push(grant);
    }
    for (const route of spec.public ?? []) {
      if (grantsFor(data, route).size > 0)
        throw new Error(`${tool}: GitHub's data lists ${route}; move it to rest`);
      routes[route] = 'none';
    }
    for (const route of spec.unlisted ?? []) {
      if (grantsFor(data, route).size > 0)
        throw new Error(`${tool}: GitHub's data lists ${route}; move it to rest`);
      if (spec.documented === undefined && spec.classicScope === undefined)
        throw new Error(`${tool}: ${route} needs a documented permission or a classic scope`);
      routes[route] =
        spec.classicScope === undefined ? 'documented' : `classic \`${spec.classicScope}\``;
    }
    grants.push(...(spec.documented ?? []).map(parseGrant));
    const needed = strongest(grants).map(render).join(', ');
    const base =
      spec.classicScope !== undefined ? CLASSIC_ONLY(spec.classicScope) : needed || 'none';
    table[tool] = {
      endpoints: routes,
      permission: spec.note === undefined ? base : `${base}; ${spec.note}`,
    };
  }
  return table;
}
