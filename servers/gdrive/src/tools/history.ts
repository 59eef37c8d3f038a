/**
 * @module
 * Read-only views of who changed a file and who can see it: its revisions and its permissions.
 * Changing either is not offered here (sharing has its own tools, behind their own flag).
 */
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { formatSize } from '../files.js';
import { decodePageToken, pageFields, pageTokenParam, pageWithin } from '../paging.js';
import { sanitizeLine } from '../sanitize.js';
import {
  defined,
  fileIdField,
  itemBudget,
  more,
  pagedShape,
  pageSizeField,
  pageTokenField,
  READ,
  sizeOfItem,
} from './common.js';

const personSchema = z.object({ name: z.string().optional(), email: z.string().optional() });

function person(
  user: { displayName?: string | null; emailAddress?: string | null } | null | undefined,
) {
  if (user == null) return undefined;
  return defined({ name: user.displayName ?? undefined, email: user.emailAddress ?? undefined });
}

function who(value: { name?: string | undefined; email?: string | undefined } | undefined): string {
  return value === undefined
    ? 'unknown'
    : sanitizeLine(value.name ?? value.email ?? 'unknown', 120);
}

export const listRevisions = defineTool({
  name: 'list_revisions',
  title: 'List file revisions',
  description:
    "A file's revision history, oldest first: revision ids, when and by whom each was saved, and sizes. Google Docs merge small edits, so their history is coarser than the editor's.",
  input: z.object({
    fileId: fileIdField,
    pageSize: pageSizeField(100, 200),
    pageToken: pageTokenField,
  }),
  output: z.object({
    revisions: z.array(
      z.object({
        id: z.string(),
        modifiedTime: z.string().optional(),
        lastModifyingUser: personSchema.optional(),
        size: z.number().optional(),
        mimeType: z.string().optional(),
        keepForever: z.boolean().optional(),
        originalFilename: z.string().optional(),
      }),
    ),
    ...pagedShape,
  }),
  annotations: READ,
  auditTarget: ['fileId'],
  async run(args, ctx) {
    const position = decodePageToken(args.pageToken);
    const result = await call(ctx, { subject: `file ${args.fileId}` }, (drive, options) =>
      drive.revisions.list(
        {
          fileId: args.fileId,
          pageSize: args.pageSize ?? 100,
          fields:
            'nextPageToken,revisions(id,modifiedTime,lastModifyingUser(displayName,emailAddress),size,mimeType,keepForever,originalFilename)',
          ...pageTokenParam(position),
        },
        options,
      ),
    );
    const revisions = (result.revisions ?? []).map((revision) =>
      defined({
        id: revision.id ?? '',
        modifiedTime: revision.modifiedTime ?? undefined,
        lastModifyingUser: person(revision.lastModifyingUser),
        size:
          revision.size != null && /^\d+$/.test(revision.size) ? Number(revision.size) : undefined,
        mimeType: revision.mimeType ?? undefined,
        keepForever: revision.keepForever ?? undefined,
        originalFilename: revision.originalFilename?.slice(0, 500) ?? undefined,
      }),
    );
    const page = pageWithin(
      revisions,
      position,
      result.nextPageToken ?? undefined,
      itemBudget(ctx),
      sizeOfItem,
    );
    const lines = page.items.map((revision) =>
      [
        `revision ${revision.id}`,
        revision.modifiedTime ?? '',
        `by ${who(revision.lastModifyingUser)}`,
        revision.size === undefined ? '' : formatSize(revision.size),
        revision.keepForever === true ? 'kept forever' : '',
      ]
        .filter((part) => part !== '')
        .join(' · '),
    );
    return structured(
      {
        revisions: page.items,
        ...pageFields(page),
      },
      `${lines.length === 0 ? 'No revisions.' : `${lines.length} revision${lines.length === 1 ? '' : 's'} of ${args.fileId}:`}\n${lines.join('\n')}${more('list_revisions', page.nextPageToken, page.truncated)}`.trimEnd(),
    );
  },
});

const permissionSchema = z.object({
  id: z.string(),
  type: z.string().describe('user, group, domain or anyone'),
  role: z.string().describe('owner, organizer, fileOrganizer, writer, commenter or reader'),
  emailAddress: z.string().optional(),
  domain: z.string().optional(),
  displayName: z.string().optional(),
  allowFileDiscovery: z.boolean().optional().describe('anyone/domain: findable by search'),
  expirationTime: z.string().optional(),
  inherited: z.boolean().optional().describe('Comes from a folder or Shared Drive'),
  deleted: z.boolean().optional(),
});

export const listPermissions = defineTool({
  name: 'list_permissions',
  title: 'List who can access a file',
  description:
    'Who can access a file and how: people, groups, domains and link sharing, with their roles (owner, writer, commenter, reader, …) and whether access is inherited. Read only.',
  input: z.object({
    fileId: fileIdField,
    pageSize: pageSizeField(100, 100),
    pageToken: pageTokenField,
  }),
  output: z.object({
    permissions: z.array(permissionSchema),
    ...pagedShape,
  }),
  annotations: READ,
  auditTarget: ['fileId'],
  async run(args, ctx) {
    const position = decodePageToken(args.pageToken);
    const result = await call(ctx, { subject: `file ${args.fileId}` }, (drive, options) =>
      drive.permissions.list(
        {
          fileId: args.fileId,
          pageSize: args.pageSize ?? 100,
          supportsAllDrives: true,
          fields:
            'nextPageToken,permissions(id,type,role,emailAddress,domain,displayName,allowFileDiscovery,expirationTime,deleted,permissionDetails(inherited))',
          ...pageTokenParam(position),
        },
        options,
      ),
    );
    const permissions = (result.permissions ?? []).map((permission) =>
      defined({
        id: permission.id ?? '',
        type: permission.type ?? 'unknown',
        role: permission.role ?? 'unknown',
        emailAddress: permission.emailAddress ?? undefined,
        domain: permission.domain ?? undefined,
        displayName: permission.displayName?.slice(0, 500) ?? undefined,
        allowFileDiscovery: permission.allowFileDiscovery ?? undefined,
        expirationTime: permission.expirationTime ?? undefined,
        inherited: (permission.permissionDetails ?? []).some((detail) => detail.inherited === true)
          ? true
          : undefined,
        deleted: permission.deleted === true ? true : undefined,
      }),
    );
    const page = pageWithin(
      permissions,
      position,
      result.nextPageToken ?? undefined,
      itemBudget(ctx),
      sizeOfItem,
    );
    const lines = page.items.map((permission) => {
      const target =
        permission.type === 'anyone'
          ? 'anyone with the link'
          : permission.type === 'domain'
            ? `everyone at ${sanitizeLine(permission.domain ?? '?', 120)}`
            : sanitizeLine(
                [
                  permission.displayName,
                  permission.emailAddress === undefined
                    ? undefined
                    : `<${permission.emailAddress}>`,
                ]
                  .filter((part) => part !== undefined)
                  .join(' ') || permission.type,
                200,
              );
      return `${target}: ${permission.role} (${permission.type}, permission ${permission.id}${permission.inherited === true ? ', inherited' : ''})`;
    });
    return structured(
      {
        permissions: page.items,
        ...pageFields(page),
      },
      `${lines.length === 0 ? 'No permissions visible.' : `Access to ${args.fileId}:`}\n${lines.join('\n')}${more('list_permissions', page.nextPageToken, page.truncated)}`.trimEnd(),
    );
  },
});
