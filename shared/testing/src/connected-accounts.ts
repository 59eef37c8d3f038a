/**
 * @module
 * What a hosted server's handlers see of the kit's upstream accounts, for users who connected
 * already: {@link connectedAccounts} gives each subject the access token a test obtained from
 * the upstream fake's real OAuth flow, refuses a subject with none as the kit does (a
 * `ToolError`), and records who was asked and who was disconnected. {@link signedInCall} is a
 * tool call's context for one signed-in subject over a server's dependencies, as the protocol
 * builds it (the dependencies behind, the call's own members in front). Together they test a
 * server's per-user paths in process; the kit's own flow is tested end to end over HTTP.
 */
import type { UpstreamAccounts, UpstreamProvider } from '@plugboard/kit/accounts';
import { nullLogger, ToolError, type RequestContext } from '@plugboard/protocol';

export interface ConnectedAccounts {
  readonly accounts: UpstreamAccounts;
  /** Subjects whose token was asked for, in order. */
  readonly asked: string[];
  /** Subjects disconnected, in order. */
  readonly disconnected: string[];
}

export function connectedAccounts(
  provider: UpstreamProvider,
  tokens: Map<string, string>,
): ConnectedAccounts {
  const asked: string[] = [];
  const disconnected: string[] = [];
  return {
    asked,
    disconnected,
    accounts: {
      provider,
      accessToken(ctx) {
        const subject = ctx.auth?.subject ?? '';
        asked.push(subject);
        const token = tokens.get(subject);
        return token === undefined
          ? Promise.reject(new ToolError(`Connect your ${provider.title} account first.`))
          : Promise.resolve(token);
      },
      disconnect(ctx) {
        const subject = ctx.auth?.subject ?? '';
        disconnected.push(subject);
        return Promise.resolve(tokens.delete(subject));
      },
    },
  };
}

/** The context of one tool call by `subject` (none: not signed in) over `deps`. */
export function signedInCall<D extends object>(
  deps: D,
  subject: string | undefined,
): RequestContext & D {
  const call: Partial<RequestContext> = {
    signal: new AbortController().signal,
    logger: nullLogger,
    auth:
      subject === undefined
        ? undefined
        : {
            subject,
            displayName: undefined,
            scopes: [],
            clientId: undefined,
            expiresAt: undefined,
            claims: {},
          },
  };
  return Object.assign(Object.create(deps) as D, call) as RequestContext & D;
}
