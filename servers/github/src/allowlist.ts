/**
 * @module
 * The operator's repository allowlist (`--repos owner/repo,owner/*`). When set, it is the ceiling
 * for every call: reads, writes and search results alike. GitHub names are case-insensitive, so
 * matching is too.
 */
import { UsageError } from '@plugboard/kit/cli';

const OWNER = /^[A-Za-z0-9-]{1,39}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

export interface RepoAllowlist {
  /** The entries as the operator wrote them, for messages. */
  readonly entries: readonly string[];
  allows(owner: string, repo: string): boolean;
  /** Owners with at least one allowed repository (lower case), for completion. */
  readonly owners: readonly string[];
  /**
   * Search qualifiers that narrow a query to the allowlist (`repo:o/r`, `user:o`), or undefined
   * when there are too many to add. Results are filtered afterwards either way.
   */
  qualifiers(): string[] | undefined;
}

const MAX_QUALIFIERS = 5;

/** Parses `--repos` entries; an empty list means no allowlist. */
export function parseAllowlist(raw: readonly string[]): RepoAllowlist | undefined {
  if (raw.length === 0) return undefined;
  const exact = new Set<string>();
  const wholeOwners = new Set<string>();
  for (const entry of raw) {
    const [owner = '', repo, extra] = entry.split('/');
    if (
      extra !== undefined ||
      repo === undefined ||
      !OWNER.test(owner) ||
      !(repo === '*' || (REPO.test(repo) && repo !== '.' && repo !== '..'))
    ) {
      throw new UsageError(`--repos entry "${entry}" must look like owner/repo or owner/*`);
    }
    if (repo === '*') wholeOwners.add(owner.toLowerCase());
    else exact.add(`${owner}/${repo}`.toLowerCase());
  }
  const owners = [...new Set([...wholeOwners, ...[...exact].map((key) => key.split('/')[0]!)])];
  return {
    entries: [...raw],
    owners,
    allows(owner, repo) {
      const lower = owner.toLowerCase();
      return wholeOwners.has(lower) || exact.has(`${lower}/${repo.toLowerCase()}`);
    },
    qualifiers() {
      const all = [
        ...[...wholeOwners].map((owner) => `user:${owner}`),
        ...[...exact]
          .filter((key) => !wholeOwners.has(key.split('/')[0]!))
          .map((key) => `repo:${key}`),
      ];
      return all.length > MAX_QUALIFIERS ? undefined : all;
    },
  };
}
