/**
 * @module
 * Security alerts of a repository: code scanning, Dependabot and secret scanning, each as a list
 * and a single alert. Secret scanning results never include the secret itself.
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import {
  cursorField,
  hasNextPage,
  pageFields,
  pagedShape,
  pageWithin,
  perPageField,
  startAt,
  listOf,
  listingText,
  pageInput,
} from '../paging.js';
import { day, defined, sizeOf } from '../render.js';
import { sanitizeLine } from '../sanitize.js';
import { checkRef } from '../validate.js';
import { itemBudget, listPage, owner, READ, repo } from './common.js';

const alertNumber = z.number().int().positive().describe('Alert number');

const codeAlert = z.object({
  number: z.number(),
  state: z.string(),
  rule: z.string(),
  severity: z.string().optional(),
  description: z.string().optional(),
  tool: z.string().optional(),
  path: z.string().optional(),
  line: z.number().optional(),
  message: z.string().optional(),
  createdAt: z.string(),
  url: z.string(),
});

interface RawCodeAlert {
  number: number;
  state: string | null;
  rule: {
    id?: string | null;
    severity?: string | null;
    security_severity_level?: string | null;
    description?: string;
  };
  tool: { name?: string };
  most_recent_instance: {
    location?: { path?: string; start_line?: number };
    message?: { text?: string };
  };
  created_at: string;
  html_url: string;
}

function toCodeAlert(raw: RawCodeAlert) {
  const instance = raw.most_recent_instance;
  return defined({
    number: raw.number,
    state: raw.state ?? 'unknown',
    rule: sanitizeLine(raw.rule.id ?? '', 200),
    severity: raw.rule.security_severity_level ?? raw.rule.severity ?? undefined,
    description:
      raw.rule.description === undefined ? undefined : sanitizeLine(raw.rule.description),
    tool: raw.tool.name,
    path:
      instance.location?.path === undefined
        ? undefined
        : sanitizeLine(instance.location.path, 1000),
    line: instance.location?.start_line,
    message:
      instance.message?.text === undefined ? undefined : sanitizeLine(instance.message.text, 500),
    createdAt: raw.created_at,
    url: raw.html_url,
  });
}

function codeAlertLine(alert: z.infer<typeof codeAlert>): string {
  return `#${alert.number} [${alert.state}] ${alert.severity ?? '?'} ${alert.rule}${alert.path === undefined ? '' : ` at ${alert.path}${alert.line === undefined ? '' : `:${alert.line}`}`}${alert.description === undefined ? '' : ` — ${alert.description}`}`;
}

export const listCodeScanningAlerts = defineTool({
  name: 'list_code_scanning_alerts',
  title: 'List code scanning alerts',
  description:
    'Code scanning (e.g. CodeQL) alerts of a repository, filtered by state, severity, tool or ref.',
  input: z.object({
    owner,
    repo,
    state: z.enum(['open', 'dismissed', 'fixed']).optional().describe('Alert state (default open)'),
    severity: z
      .enum(['critical', 'high', 'medium', 'low', 'warning', 'note', 'error'])
      .optional()
      .describe('Only this severity'),
    toolName: z.string().max(100).optional().describe('Only alerts from this tool, e.g. "CodeQL"'),
    ref: z
      .string()
      .optional()
      .describe('Git ref, e.g. "refs/heads/main" (default: default branch)'),
    ...pageInput,
  }),
  output: z.object({ alerts: listOf(codeAlert), ...pagedShape }),
  toolset: 'code_security',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const filters = defined({
      state: args.state,
      severity: args.severity,
      tool_name: args.toolName,
      ref: args.ref === undefined ? undefined : checkRef(args.ref, 'ref'),
    });
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) =>
        octokit.rest.codeScanning.listAlertsForRepo({ ...target, ...filters, ...req }),
      toCodeAlert,
    );
    return structured(
      { alerts: paged.items, ...pageFields(paged) },
      listingText(paged.items.map(codeAlertLine), 'No alerts.', paged, 'alerts'),
    );
  },
});

export const getCodeScanningAlert = defineTool({
  name: 'get_code_scanning_alert',
  title: 'Get code scanning alert',
  description: 'One code scanning alert: rule, severity, location and message.',
  input: z.object({ owner, repo, alertNumber }),
  output: codeAlert,
  toolset: 'code_security',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'alertNumber'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.codeScanning.getAlert({ ...target, alert_number: args.alertNumber, ...req }),
    );
    const alert = toCodeAlert(data);
    return structured(
      alert,
      `${codeAlertLine(alert)}${alert.message === undefined ? '' : `\n${alert.message}`}\n${alert.url}`,
    );
  },
});

const dependabotAlert = z.object({
  number: z.number(),
  state: z.string(),
  package: z.string(),
  ecosystem: z.string(),
  manifest: z.string().optional(),
  severity: z.string(),
  summary: z.string(),
  advisory: z.string().optional(),
  vulnerableRange: z.string().optional(),
  patchedVersion: z.string().optional(),
  createdAt: z.string(),
  url: z.string(),
});

interface RawDependabotAlert {
  number: number;
  state: string;
  dependency: { package?: { name: string; ecosystem: string }; manifest_path?: string };
  security_advisory: { ghsa_id: string; summary: string; severity: string };
  security_vulnerability: {
    vulnerable_version_range: string;
    first_patched_version: { identifier: string } | null;
  };
  created_at: string;
  html_url: string;
}

function toDependabotAlert(raw: RawDependabotAlert) {
  return defined({
    number: raw.number,
    state: raw.state,
    package: sanitizeLine(raw.dependency.package?.name ?? '', 200),
    ecosystem: raw.dependency.package?.ecosystem ?? '',
    manifest:
      raw.dependency.manifest_path === undefined
        ? undefined
        : sanitizeLine(raw.dependency.manifest_path, 500),
    severity: raw.security_advisory.severity,
    summary: sanitizeLine(raw.security_advisory.summary),
    advisory: raw.security_advisory.ghsa_id,
    vulnerableRange: raw.security_vulnerability.vulnerable_version_range,
    patchedVersion: raw.security_vulnerability.first_patched_version?.identifier,
    createdAt: raw.created_at,
    url: raw.html_url,
  });
}

function dependabotLine(alert: z.infer<typeof dependabotAlert>): string {
  return `#${alert.number} [${alert.state}] ${alert.severity} ${alert.ecosystem}/${alert.package} ${alert.vulnerableRange ?? ''}${alert.patchedVersion === undefined ? '' : ` (fixed in ${alert.patchedVersion})`} — ${alert.summary}`;
}

/** The `after` cursor GitHub puts in the next link of cursor-paged endpoints. */
function nextAfter(link: string | undefined): string | undefined {
  const next = /<([^>]*)>;\s*rel="next"/.exec(link ?? '')?.[1];
  if (next === undefined) return undefined;
  try {
    return new URL(next).searchParams.get('after') ?? undefined;
  } catch {
    return undefined;
  }
}

export const listDependabotAlerts = defineTool({
  name: 'list_dependabot_alerts',
  title: 'List Dependabot alerts',
  description:
    'Vulnerable dependencies Dependabot found in a repository, with severity and the fixed version.',
  input: z.object({
    owner,
    repo,
    state: z
      .enum(['auto_dismissed', 'dismissed', 'fixed', 'open'])
      .optional()
      .describe('Alert state (default: all)'),
    severity: z
      .enum(['low', 'medium', 'high', 'critical'])
      .optional()
      .describe('Only this severity'),
    ecosystem: z.string().max(50).optional().describe('Only this ecosystem, e.g. "npm"'),
    perPage: perPageField,
    cursor: cursorField,
  }),
  output: z.object({ alerts: listOf(dependabotAlert), ...pagedShape }),
  toolset: 'dependabot',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const start = startAt(args);
    const filters = defined({
      state: args.state,
      severity: args.severity,
      ecosystem: args.ecosystem,
      after: start.after,
    });
    // Dependabot pages by cursor (`after`), not by page number.
    const response = await call(ctx, (octokit, req) =>
      octokit.rest.dependabot.listAlertsForRepo({
        ...target,
        ...filters,
        per_page: start.perPage,
        ...req,
      }),
    );
    const link = response.headers.link;
    const paged = pageWithin(
      response.data.map(toDependabotAlert),
      start,
      hasNextPage(link),
      itemBudget(ctx),
      sizeOf,
      nextAfter(link),
    );
    return structured(
      { alerts: paged.items, ...pageFields(paged) },
      listingText(paged.items.map(dependabotLine), 'No alerts.', paged, 'alerts'),
    );
  },
});

export const getDependabotAlert = defineTool({
  name: 'get_dependabot_alert',
  title: 'Get Dependabot alert',
  description: 'One Dependabot alert: package, advisory, vulnerable range and fixed version.',
  input: z.object({ owner, repo, alertNumber }),
  output: dependabotAlert,
  toolset: 'dependabot',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'alertNumber'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const { data } = await call(ctx, (octokit, req) =>
      octokit.rest.dependabot.getAlert({ ...target, alert_number: args.alertNumber, ...req }),
    );
    const alert = toDependabotAlert(data);
    return structured(alert, `${dependabotLine(alert)}\n${alert.url}`);
  },
});

const secretAlert = z.object({
  number: z.number(),
  state: z.string(),
  secretType: z.string(),
  resolution: z.string().optional(),
  validity: z.string().optional(),
  createdAt: z.string(),
  url: z.string(),
  locations: z.array(z.object({ path: z.string(), line: z.number().optional() })).optional(),
});

interface RawSecretAlert {
  number?: number;
  state?: string;
  secret_type?: string;
  secret_type_display_name?: string;
  resolution?: string | null;
  validity?: string;
  created_at?: string;
  html_url?: string;
}

/** Everything about a secret alert except the secret. */
function toSecretAlert(raw: RawSecretAlert) {
  return defined({
    number: raw.number ?? 0,
    state: raw.state ?? 'unknown',
    secretType: sanitizeLine(raw.secret_type_display_name ?? raw.secret_type ?? '', 200),
    resolution: raw.resolution ?? undefined,
    validity: raw.validity,
    createdAt: raw.created_at ?? '',
    url: raw.html_url ?? '',
  });
}

function secretLine(alert: z.infer<typeof secretAlert>): string {
  return `#${alert.number} [${alert.state}${alert.resolution === undefined ? '' : `: ${alert.resolution}`}] ${alert.secretType}${alert.validity === undefined ? '' : ` (validity ${alert.validity})`} ${day(alert.createdAt)}`;
}

export const listSecretScanningAlerts = defineTool({
  name: 'list_secret_scanning_alerts',
  title: 'List secret scanning alerts',
  description:
    'Leaked secrets GitHub found in a repository: type, state and resolution. The secret values are never returned.',
  input: z.object({
    owner,
    repo,
    state: z.enum(['open', 'resolved']).optional().describe('Alert state'),
    secretType: z
      .string()
      .max(200)
      .optional()
      .describe('Only these secret types (comma-separated)'),
    resolution: z
      .string()
      .max(200)
      .optional()
      .describe('Only these resolutions (comma-separated), e.g. "false_positive"'),
    ...pageInput,
  }),
  output: z.object({ alerts: listOf(secretAlert), ...pagedShape }),
  toolset: 'secret_protection',
  annotations: READ,
  auditTarget: ['owner', 'repo'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const filters = defined({
      state: args.state,
      secret_type: args.secretType,
      resolution: args.resolution,
    });
    const paged = await listPage(
      ctx,
      startAt(args),
      (octokit, req) =>
        octokit.rest.secretScanning.listAlertsForRepo({
          ...target,
          ...filters,
          hide_secret: true,
          ...req,
        }),
      toSecretAlert,
    );
    return structured(
      { alerts: paged.items, ...pageFields(paged) },
      listingText(paged.items.map(secretLine), 'No alerts.', paged, 'alerts'),
    );
  },
});

export const getSecretScanningAlert = defineTool({
  name: 'get_secret_scanning_alert',
  title: 'Get secret scanning alert',
  description:
    'One secret scanning alert with where the secret was found (file and line). The secret value is never returned.',
  input: z.object({ owner, repo, alertNumber }),
  output: secretAlert,
  toolset: 'secret_protection',
  annotations: READ,
  auditTarget: ['owner', 'repo', 'alertNumber'],
  async run(args, ctx) {
    const target = await ctx.policy.target(ctx, args.owner, args.repo, 'read');
    const [{ data }, places] = await Promise.all([
      call(ctx, (octokit, req) =>
        octokit.rest.secretScanning.getAlert({
          ...target,
          alert_number: args.alertNumber,
          hide_secret: true,
          ...req,
        }),
      ),
      call(ctx, (octokit, req) =>
        octokit.rest.secretScanning.listLocationsForAlert({
          ...target,
          alert_number: args.alertNumber,
          per_page: 20,
          ...req,
        }),
      ),
    ]);
    const locations = places.data.flatMap((place) => {
      const details = place.details as { path?: string; start_line?: number } | undefined;
      return details?.path === undefined
        ? []
        : [defined({ path: sanitizeLine(details.path, 1000), line: details.start_line })];
    });
    const alert = { ...toSecretAlert(data), locations };
    const where = locations.map(
      (place) => `  ${place.path}${place.line === undefined ? '' : `:${place.line}`}`,
    );
    return structured(
      alert,
      `${secretLine(alert)}\n${alert.url}${where.length === 0 ? '' : `\nFound at:\n${where.join('\n')}`}`,
    );
  },
});
