/**
 * @module
 * Which OAuth scopes the server asks Google for: the smallest scope of each tool group, for the
 * groups the operator turned on, and no scope that another one asked for already grants. The
 * same table names the scope a refused call was missing (see `errors.ts`).
 */

export const SCOPES = {
  readOnly: 'https://www.googleapis.com/auth/drive.readonly',
  full: 'https://www.googleapis.com/auth/drive',
  spreadsheets: 'https://www.googleapis.com/auth/spreadsheets',
  documents: 'https://www.googleapis.com/auth/documents',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

/** A tool group and the smallest scope its tools work with. */
export type ScopeGroup = 'read' | 'write' | 'sheets' | 'docs' | 'sharing';

export const GROUP_SCOPES: Readonly<Record<ScopeGroup, Scope>> = {
  read: SCOPES.readOnly,
  write: SCOPES.full,
  sheets: SCOPES.spreadsheets,
  docs: SCOPES.documents,
  sharing: SCOPES.full,
};

/** The full Drive scope also lets the Sheets and Docs APIs write (their references list it). */
const GRANTS: Readonly<Record<Scope, readonly Scope[]>> = {
  [SCOPES.readOnly]: [],
  [SCOPES.full]: [SCOPES.readOnly, SCOPES.spreadsheets, SCOPES.documents],
  [SCOPES.spreadsheets]: [],
  [SCOPES.documents]: [],
};

/** Whether the scopes in `granted` (a token's, as Google lists them) let a call needing `needed`. */
export function grants(granted: Iterable<string>, needed: Scope): boolean {
  for (const scope of granted)
    if (scope === needed || (GRANTS[scope as Scope] ?? []).includes(needed)) return true;
  return false;
}

/** The operator's switches that turn tool groups on. */
export interface GroupSwitches {
  readonly allowWrite: boolean;
  readonly allowSharing: boolean;
  /** --read-only hides every tool that changes anything, whatever else is on. */
  readonly readOnly: boolean;
}

export function enabledGroups({ allowWrite, allowSharing, readOnly }: GroupSwitches): ScopeGroup[] {
  if (readOnly) return ['read'];
  return [
    'read',
    ...(allowWrite ? (['write', 'sheets', 'docs'] as const) : []),
    ...(allowSharing ? (['sharing'] as const) : []),
  ];
}

/** The scopes to ask for: each enabled group's, less those another of them already grants. */
export function scopesFor(switches: GroupSwitches): Scope[] {
  const wanted = [...new Set(enabledGroups(switches).map((group) => GROUP_SCOPES[group]))];
  return wanted.filter(
    (scope) => !wanted.some((other) => other !== scope && grants([other], scope)),
  );
}
