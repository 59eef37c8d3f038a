/**
 * @module
 * What every fixture handler can reach besides the request context: switches that change the
 * server's own lists (so list_changed and updated notifications can be provoked on demand) and a
 * record of the requests whose AbortSignal fired (so a test can prove cancellation reached the
 * handler, not just that the client stopped waiting).
 */
import { promptFactory, resourceFactory, toolFactory, type Tool } from '@plugboard/protocol';

/** Changes to the running server, each announced to clients by the protocol. */
export interface FixtureControl {
  /** Adds `tool` (`test_dynamic_tool`), or removes it when present. Returns whether it is now listed. */
  toggleTool(tool: Tool<FixtureDeps>): boolean;
  /** Adds or removes `test_dynamic_prompt`. */
  togglePrompt(): boolean;
  /** Adds or removes the resource `test://dynamic-resource`. */
  toggleResource(): boolean;
  /** Bumps the content of `uri` (meaningful for `test://watched-resource`) and announces it. */
  touchResource(uri: string): void;
  /** How often `test://watched-resource` has changed. */
  watchedVersion(): number;
}

/** The fixture's dependencies, one object per server instance. */
export interface FixtureDeps {
  readonly control: FixtureControl;
  /** Tags of `test_wait_for_cancellation` calls whose signal fired, in order. */
  readonly cancelled: string[];
}

export const defineTool = toolFactory<FixtureDeps>();
export const definePrompt = promptFactory<FixtureDeps>();
export const { defineResource, defineResourceTemplate } = resourceFactory<FixtureDeps>();
