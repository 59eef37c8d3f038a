/**
 * @module
 * A file's comments and their replies (Drive v3 `comments` and `replies`, which answer only the
 * `fields` asked for): listing them with the quoted text and anchor Drive keeps, and, with
 * --allow-write, adding a comment, replying, and resolving (a reply with `action: resolve`).
 * Comment text is written by other people: it is fenced as untrusted content, like document text.
 */
import type { drive_v3 } from '@googleapis/drive';
import { structured } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool, type GdriveContext } from '../context.js';
import { fileUri, owner } from '../files.js';
import { SHORT_ID } from '../ids.js';
import { decodePageToken, pageFields, pageTokenParam, pageWithin } from '../paging.js';
import { sanitizeBody, sanitizeLine, untrusted } from '../sanitize.js';
import {
  CREATE,
  defined,
  fileIdField,
  itemBudget,
  more,
  pagedShape,
  pageSizeField,
  pageTokenField,
  READ,
  SET,
  sizeOfItem,
} from './common.js';
import { requireWrite } from './write.js';

const AUTHOR = 'author(displayName,emailAddress)';
const REPLY_FIELDS = `id,content,${AUTHOR},createdTime,action,deleted`;
const COMMENT_FIELDS = `id,content,${AUTHOR},createdTime,modifiedTime,resolved,deleted,anchor,quotedFileContent(mimeType,value),replies(${REPLY_FIELDS})`;

const commentIdField = z
  .string()
  .regex(SHORT_ID, 'a comment id as list_comments shows it')
  .describe('Comment id, as returned by list_comments');

const contentField = z.string().min(1).max(30_000).describe('The text (plain text)');

const replySchema = z.object({
  id: z.string(),
  author: z.string().optional(),
  createdTime: z.string().optional(),
  content: z.string().optional(),
  action: z.string().optional().describe('resolve or reopen, when the reply did that'),
});

const commentSchema = z.object({
  id: z.string(),
  author: z.string().optional(),
  createdTime: z.string().optional(),
  modifiedTime: z.string().optional(),
  content: z.string().optional(),
  resolved: z.boolean().optional(),
  quotedText: z.string().optional().describe('The part of the file the comment is on'),
  anchor: z.string().optional().describe("Drive's anchor (a region of a non-Google file), as is"),
  replies: z.array(replySchema),
});

type Comment = z.infer<typeof commentSchema>;
type Reply = z.infer<typeof replySchema>;

function author(user: drive_v3.Schema$User | undefined): string | undefined {
  return user == null ? undefined : owner(user);
}

function reply(item: drive_v3.Schema$Reply): Reply {
  return defined({
    id: item.id ?? '',
    author: author(item.author),
    createdTime: item.createdTime ?? undefined,
    content: item.content ?? undefined,
    action: item.action ?? undefined,
  });
}

function comment(item: drive_v3.Schema$Comment): Comment {
  return defined({
    id: item.id ?? '',
    author: author(item.author),
    createdTime: item.createdTime ?? undefined,
    modifiedTime: item.modifiedTime ?? undefined,
    content: item.content ?? undefined,
    resolved: item.resolved ?? undefined,
    quotedText: item.quotedFileContent?.value ?? undefined,
    anchor: item.anchor?.slice(0, 1000) ?? undefined,
    replies: (item.replies ?? []).filter((each) => each.deleted !== true).map(reply),
  });
}

/** One comment as text: a header line, then what people wrote, fenced. */
function commentText(fileId: string, item: Comment): string {
  const head = [
    `comment ${item.id}`,
    `by ${sanitizeLine(item.author ?? 'unknown', 120)}`,
    item.createdTime ?? '',
    item.resolved === true ? 'resolved' : '',
    item.replies.length === 0
      ? ''
      : `${item.replies.length} repl${item.replies.length === 1 ? 'y' : 'ies'}`,
  ].filter((part) => part !== '');
  const written = [
    item.quotedText === undefined ? '' : `on: "${sanitizeLine(item.quotedText, 300)}"`,
    sanitizeBody(item.content ?? ''),
    ...item.replies.map(
      (each) =>
        `reply ${each.id} by ${sanitizeLine(each.author ?? 'unknown', 120)}${each.action === undefined ? '' : ` (${each.action})`}: ${sanitizeBody(each.content ?? '')}`,
    ),
  ].filter((part) => part !== '');
  return `${head.join(' · ')}\n${untrusted(`${fileUri(fileId)}#comment-${item.id}`, written.join('\n'))}`;
}

export const listComments = defineTool({
  name: 'list_comments',
  title: 'List comments on a file',
  description:
    "A file's comments, oldest first, each with its replies, the quoted text it is on and whether it is resolved. Comment text is written by other people.",
  input: z.object({
    fileId: fileIdField,
    pageSize: pageSizeField(20, 100),
    pageToken: pageTokenField,
  }),
  output: z.object({ comments: z.array(commentSchema), ...pagedShape }),
  annotations: READ,
  async run(args, ctx) {
    const position = decodePageToken(args.pageToken);
    const result = await call(ctx, { subject: `file ${args.fileId}` }, (drive, options) =>
      drive.comments.list(
        {
          fileId: args.fileId,
          pageSize: args.pageSize ?? 20,
          fields: `nextPageToken,comments(${COMMENT_FIELDS})`,
          ...pageTokenParam(position),
        },
        options,
      ),
    );
    const comments = (result.comments ?? []).filter((item) => item.deleted !== true).map(comment);
    const page = pageWithin(
      comments,
      position,
      result.nextPageToken ?? undefined,
      itemBudget(ctx),
      sizeOfItem,
    );
    const text = page.items.map((item) => commentText(args.fileId, item)).join('\n');
    return structured(
      { comments: page.items, ...pageFields(page) },
      `${page.items.length === 0 ? 'No comments.' : `${page.items.length} comment${page.items.length === 1 ? '' : 's'} on ${args.fileId}:`}\n${text}${more('list_comments', page.nextPageToken, page.truncated)}`.trimEnd(),
    );
  },
});

export const addComment = defineTool({
  name: 'add_comment',
  title: 'Comment on a file',
  description: 'Add a comment to a file (on the file as a whole). Returns the comment id.',
  input: z.object({ fileId: fileIdField, content: contentField }),
  output: z.object({ comment: commentSchema }),
  requires: ['allowWrite'],
  annotations: CREATE,
  auditTarget: ['fileId'],
  async run(args, ctx) {
    requireWrite(ctx);
    const created = await call(
      ctx,
      { subject: `file ${args.fileId}`, write: true },
      (drive, options) =>
        drive.comments.create(
          { fileId: args.fileId, fields: COMMENT_FIELDS, requestBody: { content: args.content } },
          options,
        ),
    );
    const item = comment(created);
    return structured({ comment: item }, `Commented on ${args.fileId}: comment ${item.id}.`);
  },
});

async function postReply(
  ctx: GdriveContext,
  args: { fileId: string; commentId: string },
  body: drive_v3.Schema$Reply,
): Promise<Reply> {
  const created = await call(
    ctx,
    { subject: `comment ${args.commentId} on file ${args.fileId}`, write: true },
    (drive, options) =>
      drive.replies.create(
        {
          fileId: args.fileId,
          commentId: args.commentId,
          fields: REPLY_FIELDS,
          requestBody: body,
        },
        options,
      ),
  );
  return reply(created);
}

export const replyToComment = defineTool({
  name: 'reply_to_comment',
  title: 'Reply to a comment',
  description: 'Reply to a comment on a file. Returns the reply id.',
  input: z.object({ fileId: fileIdField, commentId: commentIdField, content: contentField }),
  output: z.object({ reply: replySchema }),
  requires: ['allowWrite'],
  annotations: CREATE,
  auditTarget: ['fileId', 'commentId'],
  async run(args, ctx) {
    requireWrite(ctx);
    const item = await postReply(ctx, args, { content: args.content });
    return structured({ reply: item }, `Replied to comment ${args.commentId}: reply ${item.id}.`);
  },
});

export const resolveComment = defineTool({
  name: 'resolve_comment',
  title: 'Resolve a comment',
  description: 'Mark a comment resolved, optionally with a closing reply.',
  input: z.object({
    fileId: fileIdField,
    commentId: commentIdField,
    content: contentField.optional().describe('A closing reply (optional)'),
  }),
  output: z.object({ reply: replySchema }),
  requires: ['allowWrite'],
  annotations: SET,
  auditTarget: ['fileId', 'commentId'],
  async run(args, ctx) {
    requireWrite(ctx);
    const item = await postReply(ctx, args, {
      action: 'resolve',
      ...(args.content === undefined ? {} : { content: args.content }),
    });
    return structured({ reply: item }, `Resolved comment ${args.commentId}.`);
  },
});
