/**
 * @module
 * Drive files as the tools show them: which fields are asked for (Drive returns only what
 * `fields` names), the summary every listing uses (ids, names, types, owners, modified time,
 * links, the `gdrive:///` URI), and its one-line text form.
 */
import type { drive_v3 } from '@googleapis/drive';
import { sanitizeLine } from './sanitize.js';

export const FOLDER = 'application/vnd.google-apps.folder';
export const SHORTCUT = 'application/vnd.google-apps.shortcut';

export const GOOGLE_TYPES = {
  'application/vnd.google-apps.document': 'Google Doc',
  'application/vnd.google-apps.spreadsheet': 'Google Sheet',
  'application/vnd.google-apps.presentation': 'Google Slides',
  'application/vnd.google-apps.drawing': 'Google Drawing',
  'application/vnd.google-apps.form': 'Google Form',
  'application/vnd.google-apps.folder': 'folder',
  'application/vnd.google-apps.shortcut': 'shortcut',
  'application/vnd.google-apps.site': 'Google Site',
  'application/vnd.google-apps.script': 'Apps Script',
  'application/vnd.google-apps.map': 'Google My Map',
  'application/vnd.google-apps.jam': 'Jamboard',
  'application/vnd.google-apps.vid': 'Google Vids',
} as const satisfies Record<string, string>;

/** Fields of a file in listings. */
export const SUMMARY_FIELDS =
  'id,name,mimeType,size,modifiedTime,owners(displayName,emailAddress),webViewLink,parents,driveId,trashed,shortcutDetails(targetId,targetMimeType)';

/** Fields of one file in get_file_metadata and reads. */
export const DETAIL_FIELDS = `${SUMMARY_FIELDS},createdTime,description,starred,shared,version,headRevisionId,md5Checksum,lastModifyingUser(displayName,emailAddress),webContentLink,capabilities(canEdit,canComment,canShare,canDownload,canTrash,canRename,canMoveItemWithinDrive,canAddChildren)`;

/** A file as listings return it. */
export interface FileSummary {
  id: string;
  name: string;
  mimeType: string;
  /** "Google Doc", "folder", … or the MIME type. */
  type: string;
  uri: string;
  size?: number;
  modifiedTime?: string;
  owners?: string[];
  webViewLink?: string;
  parents?: string[];
  driveId?: string;
  trashed?: boolean;
  shortcutTarget?: { id: string; mimeType?: string };
}

export function typeName(mimeType: string): string {
  return (GOOGLE_TYPES as Record<string, string>)[mimeType] ?? mimeType;
}

export function fileUri(id: string): string {
  return `gdrive:///${id}`;
}

/** A person as one line: `Name <email>`, or whichever of the two Drive gave. */
export function owner(user: drive_v3.Schema$User): string | undefined {
  const name = user.displayName ?? undefined;
  const email = user.emailAddress ?? undefined;
  if (name !== undefined && email !== undefined) return `${name} <${email}>`;
  return name ?? email;
}

/** The summary of a Drive file; names stay exact here (structured data), text output cleans them. */
export function summarize(file: drive_v3.Schema$File): FileSummary {
  const id = file.id ?? '';
  const mimeType = file.mimeType ?? 'application/octet-stream';
  const summary: FileSummary = {
    id,
    name: file.name ?? '',
    mimeType,
    type: typeName(mimeType),
    uri: fileUri(id),
  };
  if (file.size != null && /^\d+$/.test(file.size)) summary.size = Number(file.size);
  if (file.modifiedTime != null) summary.modifiedTime = file.modifiedTime;
  const owners = (file.owners ?? []).map(owner).filter((name) => name !== undefined);
  if (owners.length > 0) summary.owners = owners;
  if (file.webViewLink != null) summary.webViewLink = file.webViewLink;
  if (file.parents != null && file.parents.length > 0) summary.parents = file.parents;
  if (file.driveId != null) summary.driveId = file.driveId;
  if (file.trashed === true) summary.trashed = true;
  const target = file.shortcutDetails?.targetId;
  if (target != null)
    summary.shortcutTarget = {
      id: target,
      ...(file.shortcutDetails?.targetMimeType == null
        ? {}
        : { mimeType: file.shortcutDetails.targetMimeType }),
    };
  return summary;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** One line per file: name, type, id, then what is known. Names are sanitised. */
export function summaryLine(file: FileSummary): string {
  const details = [
    `id ${file.id}`,
    file.modifiedTime === undefined ? '' : `modified ${file.modifiedTime}`,
    file.size === undefined ? '' : formatSize(file.size),
    file.owners === undefined ? '' : `owner ${sanitizeLine(file.owners.join(', '), 120)}`,
    file.shortcutTarget === undefined ? '' : `shortcut to ${file.shortcutTarget.id}`,
    file.trashed === true ? 'in trash' : '',
    file.webViewLink ?? '',
  ].filter((part) => part !== '');
  return `${sanitizeLine(file.name)} (${sanitizeLine(file.type, 100)}) ${details.join(' · ')}`;
}
