/**
 * @module
 * Sharing, only when the operator started the server with --allow-sharing: give a person or
 * group access to a file, or take access away. Sharing with anyone who has the link, or with a
 * whole domain, publishes the file, so it needs --allow-public-sharing as well. Ownership
 * transfers are never offered.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool, type GdriveContext } from '../context.js';
import { sanitizeLine } from '../sanitize.js';
import { fileIdField, permissionIdField, REPLACE } from './common.js';

function requireSharing(ctx: GdriveContext): void {
  if (!ctx.config.allowSharing)
    throw new ToolError(
      'Sharing is off on this server. The operator can enable it with --allow-sharing (GDRIVE_ALLOW_SHARING=1).',
    );
}

const permissionOutput = z.object({
  fileId: z.string(),
  permission: z.object({
    id: z.string(),
    type: z.string(),
    role: z.string(),
    emailAddress: z.string().optional(),
    domain: z.string().optional(),
  }),
});

export const shareFile = defineTool({
  name: 'share_file',
  title: 'Share a file',
  description:
    'Give a person or group reader, commenter or writer access to a file (Google emails them unless notify is false). Link sharing (anyone) and domain sharing need the operator to allow public sharing.',
  input: z.object({
    fileId: fileIdField,
    role: z.enum(['reader', 'commenter', 'writer']).describe('Access to give'),
    type: z
      .enum(['user', 'group', 'domain', 'anyone'])
      .describe('user or group (with emailAddress), domain (with domain), or anyone with the link'),
    emailAddress: z.email().max(320).optional().describe('For user and group: their email address'),
    domain: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'a domain such as example.com')
      .max(253)
      .optional()
      .describe('For domain: the Google Workspace domain, like example.com'),
    notify: z.boolean().optional().describe('Email the person or group (default true)'),
    message: z.string().max(2000).optional().describe('Text to include in the notification email'),
  }),
  output: permissionOutput,
  requires: ['allowSharing'],
  annotations: REPLACE,
  auditTarget: ['fileId', 'emailAddress', 'domain'],
  approval: {
    class: 'public-sharing',
    when: ({ type }) => type === 'anyone' || type === 'domain',
    summary: ({ fileId, role, type, domain }) =>
      `Give ${type === 'anyone' ? 'anyone who has the link' : `everyone at ${domain ?? '?'}`} ${role} access to the Drive file ${fileId}.`,
  },
  async run(args, ctx) {
    requireSharing(ctx);
    const isPublic = args.type === 'anyone' || args.type === 'domain';
    if (isPublic && !ctx.config.allowPublicSharing)
      throw new ToolError(
        `Sharing with ${args.type === 'anyone' ? 'anyone who has the link' : 'a whole domain'} is off on this server; only people and groups can be added. The operator can allow it with --allow-public-sharing.`,
      );
    if ((args.type === 'user' || args.type === 'group') && args.emailAddress === undefined)
      throw new ToolError(`emailAddress: required to share with a ${args.type}.`);
    if (args.type === 'domain' && args.domain === undefined)
      throw new ToolError('domain: required to share with a domain.');
    const notify = args.notify ?? true;
    const created = await call(
      ctx,
      { subject: `file ${args.fileId}`, write: true },
      (drive, options) =>
        drive.permissions.create(
          {
            fileId: args.fileId,
            supportsAllDrives: true,
            fields: 'id,type,role,emailAddress,domain',
            ...(args.type === 'user' || args.type === 'group'
              ? {
                  sendNotificationEmail: notify,
                  ...(notify && args.message !== undefined ? { emailMessage: args.message } : {}),
                }
              : {}),
            requestBody: {
              role: args.role,
              type: args.type,
              ...(args.emailAddress === undefined || isPublic
                ? {}
                : { emailAddress: args.emailAddress }),
              ...(args.type === 'domain' && args.domain !== undefined
                ? { domain: args.domain }
                : {}),
              ...(isPublic ? { allowFileDiscovery: false } : {}),
            },
          },
          options,
        ),
    );
    const permission = {
      id: created.id ?? '',
      type: created.type ?? args.type,
      role: created.role ?? args.role,
      ...(created.emailAddress == null ? {} : { emailAddress: created.emailAddress }),
      ...(created.domain == null ? {} : { domain: created.domain }),
    };
    const whom =
      args.type === 'anyone'
        ? 'anyone with the link'
        : args.type === 'domain'
          ? `everyone at ${args.domain ?? '?'}`
          : sanitizeLine(args.emailAddress ?? '?', 320);
    return structured(
      { fileId: args.fileId, permission },
      `Shared ${args.fileId} with ${whom} as ${permission.role} (permission ${permission.id}).`,
    );
  },
});

export const unshareFile = defineTool({
  name: 'unshare_file',
  title: 'Remove access to a file',
  description:
    "Remove one permission from a file (a person's, a group's, a domain's or link sharing), by the permission id list_permissions shows. Inherited access and the owner's cannot be removed here.",
  input: z.object({ fileId: fileIdField, permissionId: permissionIdField }),
  output: z.object({ fileId: z.string(), permissionId: z.string(), removed: z.boolean() }),
  requires: ['allowSharing'],
  annotations: REPLACE,
  auditTarget: ['fileId', 'permissionId'],
  async run(args, ctx) {
    requireSharing(ctx);
    await call(ctx, { subject: `file ${args.fileId}`, write: true }, (drive, options) =>
      drive.permissions.delete(
        { fileId: args.fileId, permissionId: args.permissionId, supportsAllDrives: true },
        options,
      ),
    );
    return structured(
      { fileId: args.fileId, permissionId: args.permissionId, removed: true },
      `Removed permission ${args.permissionId} from ${args.fileId}.`,
    );
  },
});
