/**
 * @module
 * Sessions that persist, in the operator's --profiles-dir: run the browser in a named profile (a
 * Chromium user data directory, so a login survives restarts), and save or load a storage state
 * file in Playwright's shape. One browser runs at a time, so switching profile closes every tab;
 * names are plain words inside the directory, never paths (browser/profiles.ts).
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { listProfiles, readStateFile, writeStateFile } from '../browser/profiles.js';
import {
  exportStorageState,
  importStorageState,
  storageStateSchema,
} from '../browser/storage-state.js';
import { cleanLine } from '../browser/untrusted.js';
import { defineTool, type BrowserContext } from '../context.js';
import { withSession, PAGE } from './common.js';

const fileField = z
  .string()
  .min(1)
  .max(100)
  .describe('File name inside the profiles directory, e.g. "signed-in.json" (no paths)');

function profilesDir(ctx: BrowserContext): string {
  const dir = ctx.config.profilesDir;
  if (dir === undefined)
    throw new ToolError('Profiles need a directory: the operator passes --profiles-dir.');
  return dir;
}

const profileOutput = z.object({
  profile: z.string().optional().describe('The profile now in use; absent for a temporary one'),
  tab: z.string().describe('The new blank tab'),
  closedTabs: z.array(z.string()).describe('Tabs of the previous profile, now closed'),
  profiles: z.array(z.string()).describe('Every profile in the profiles directory'),
});

export const useProfile = defineTool({
  name: 'puppeteer_use_profile',
  title: 'Use a browser profile',
  description:
    'Restart the browser in a named profile kept on disk, so cookies and storage (a login) survive server restarts; omit name for a temporary profile. Every open tab closes; a new blank tab opens.',
  input: z.object({
    name: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('Profile name (letters, digits, "_", "-"); created on first use'),
  }),
  output: profileOutput,
  requires: ['profilesDir'],
  annotations: PAGE.REPLACE,
  auditTarget: ['name'],
  async run({ name }, ctx) {
    return withSession(ctx, async () => {
      const dir = profilesDir(ctx);
      const closedTabs = await ctx.session.useProfile(name);
      const tab = ctx.session.currentId() ?? '';
      const data = {
        ...(name === undefined ? {} : { profile: name }),
        tab,
        closedTabs,
        profiles: await listProfiles(dir),
      };
      const closed =
        closedTabs.length === 0 ? '' : ` Closed tabs ${closedTabs.join(', ')} of the previous one.`;
      return structured(
        data,
        `The browser now runs in ${name === undefined ? 'a temporary profile' : `the profile ${JSON.stringify(name)}`}; tab ${tab} is blank.${closed}`,
      );
    });
  },
});

const exportOutput = z.object({
  file: z.string(),
  cookies: z.number().int(),
  origins: z.array(z.string()).describe('Origins whose localStorage was saved'),
});

export const exportState = defineTool({
  name: 'puppeteer_export_storage_state',
  title: 'Save the storage state',
  description:
    "Save every cookie and the localStorage of the origins open in tabs to a file in the profiles directory, in Playwright's storageState format (values are written to the file, not returned).",
  input: z.object({ file: fileField }),
  output: exportOutput,
  requires: ['profilesDir'],
  annotations: PAGE.REPLACE,
  auditTarget: ['file'],
  async run({ file }, ctx) {
    return withSession(ctx, async () => {
      const dir = profilesDir(ctx);
      const state = await exportStorageState(
        await ctx.session.browser(),
        ctx.session.tabs().map((tab) => tab.page),
      );
      await writeStateFile(dir, file, `${JSON.stringify(state, null, 2)}\n`);
      const origins = state.origins.map((origin) => origin.origin);
      return structured(
        { file, cookies: state.cookies.length, origins },
        `Saved ${state.cookies.length} cookies and the localStorage of ${origins.length} origins to ${file}.`,
      );
    });
  },
});

const importOutput = z.object({
  file: z.string(),
  cookies: z.number().int(),
  origins: z.array(z.string()).describe('Origins whose localStorage was written'),
  refused: z
    .array(z.object({ origin: z.string(), reason: z.string() }))
    .describe("Origins left alone because the operator's URL policy refuses them"),
});

export const importState = defineTool({
  name: 'puppeteer_import_storage_state',
  title: 'Load a storage state',
  description:
    "Load cookies and localStorage from a storage state file in the profiles directory (Playwright's storageState format) into the current profile; origins the URL policy refuses are skipped.",
  input: z.object({ file: fileField }),
  output: importOutput,
  requires: ['profilesDir'],
  annotations: PAGE.REPLACE,
  auditTarget: ['file'],
  async run({ file }, ctx) {
    return withSession(ctx, async () => {
      const content = await readStateFile(profilesDir(ctx), file);
      let json: unknown;
      try {
        json = JSON.parse(content);
      } catch {
        throw new ToolError(
          `${file} is not JSON; a storage state file holds { cookies, origins }.`,
        );
      }
      const parsed = storageStateSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ToolError(
          `${file} is not a storage state ({ cookies, origins }): ${issue === undefined ? 'wrong shape' : `${issue.path.join('.') || 'top level'}: ${issue.message}`}. Nothing was loaded.`,
        );
      }
      const outcome = await importStorageState(
        await ctx.session.browser(),
        parsed.data,
        ctx.policy,
        ctx.config.timeoutMs,
      );
      const refused = outcome.refused.map((entry) => ({
        origin: cleanLine(entry.origin, 300),
        reason: entry.reason,
      }));
      const lines = [
        `Loaded ${outcome.cookies} cookies and the localStorage of ${outcome.origins.length} origins from ${file}.`,
        ...refused.map((entry) => `Skipped ${entry.origin}: ${entry.reason}.`),
      ];
      return structured(
        { file, cookies: outcome.cookies, origins: [...outcome.origins], refused },
        lines.join('\n'),
      );
    });
  },
});

export const profileTools = [useProfile, exportState, importState];
