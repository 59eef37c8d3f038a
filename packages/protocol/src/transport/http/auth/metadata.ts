/**
 * @module
 * What this server tells clients about its protection (MCP authorization, 2025-11-25): the
 * RFC 9728 protected-resource metadata document, served at the root well-known path and at the
 * one suffixed with the MCP endpoint's path, and the `WWW-Authenticate` challenges of 401 and
 * 403 that point to it (with `scope=` naming every scope needed, never `offline_access`).
 */
import { jsonAnswer, plainError, type Answer } from '../answer.js';
import type { Incoming } from '../incoming.js';
import type { ResolvedHttpOptions } from '../options.js';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * Whether `path` asks for the metadata: the root form, the form suffixed with `/mcp`, or with the
 * path of the configured resource URI (a proxy may publish the endpoint under a prefix).
 */
export function isMetadataPath(path: string, options: ResolvedHttpOptions): boolean {
  if (path === WELL_KNOWN || path === `${WELL_KNOWN}/mcp`) return true;
  const resource = options.signIn?.resource;
  return resource !== undefined && path === `${WELL_KNOWN}${new URL(resource).pathname}`;
}

/**
 * This server's canonical resource URI (RFC 8707): the configured one, else the public URL or
 * the (already validated) Host followed by `/mcp`.
 */
export function resourceOf(request: Incoming, options: ResolvedHttpOptions): string {
  const configured = options.signIn?.resource;
  if (configured !== undefined) return configured;
  const base =
    options.publicUrl ?? `http://${request.header('host') ?? `${options.host}:${options.port}`}`;
  return `${base}/mcp`;
}

/** Where the metadata of `resource` lives: the well-known prefix inserted before its path. */
export function resourceMetadataUrl(request: Incoming, options: ResolvedHttpOptions): string {
  const url = new URL(resourceOf(request, options));
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return `${url.origin}${WELL_KNOWN}${path}`;
}

function authorizationServers(options: ResolvedHttpOptions): string[] {
  const servers = [...options.authorizationServers];
  const issuer = options.signIn?.issuer;
  if (issuer !== undefined && !servers.includes(issuer)) servers.unshift(issuer);
  return servers;
}

export function protectedResourceMetadata(request: Incoming, options: ResolvedHttpOptions): Answer {
  const servers = authorizationServers(options);
  if (servers.length === 0) return plainError(404, 'No authorization server is configured');
  const document: Record<string, unknown> = {
    resource: resourceOf(request, options),
    authorization_servers: servers,
    bearer_methods_supported: ['header'],
  };
  const scopes = options.signIn?.scopesSupported ?? [];
  if (scopes.length > 0) document.scopes_supported = scopes;
  return jsonAnswer(200, JSON.stringify(document), { 'Cache-Control': 'max-age=300' });
}

/** A quoted-string for an auth-param (RFC 9110): backslash and quote escaped, controls dropped. */
function quoted(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/[\u0000-\u001f\u007f]/g, '').replace(/["\\]/g, '\\$&')}"`;
}

export interface Challenge {
  error?: 'invalid_token' | 'insufficient_scope' | 'invalid_request';
  description?: string;
  scopes?: readonly string[];
}

/** The `WWW-Authenticate` value for a 401 or 403. */
export function challenge(
  request: Incoming,
  options: ResolvedHttpOptions,
  { error, description, scopes = [] }: Challenge,
): string {
  const params: string[] = [];
  if (error !== undefined) params.push(`error=${quoted(error)}`);
  if (description !== undefined) params.push(`error_description=${quoted(description)}`);
  if (scopes.length > 0) params.push(`scope=${quoted(scopes.join(' '))}`);
  params.push(`resource_metadata=${quoted(resourceMetadataUrl(request, options))}`);
  return `Bearer ${params.join(', ')}`;
}
