/**
 * @module
 * The Python `mcp-server-git` command line, accepted as is: `-r PATH` / `-rPATH` for
 * `--repository`, and `-v` / `-vv` for verbosity. Host configs written for it keep working when
 * only the command changes.
 */

/** Rewrites the official server's short options into ours; everything else passes through. */
export function translateOfficialArguments(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      out.push(...argv.slice(index));
      break;
    }
    if (arg === '-r') out.push('--repository');
    else if (arg.startsWith('-r') && arg.length > 2 && !arg.startsWith('-r-'))
      out.push('--repository', arg.slice(2));
    else if (/^-v+$/.test(arg) || arg === '--verbose')
      out.push('--log-level', arg === '-v' ? 'info' : 'debug');
    else out.push(arg);
  }
  return out;
}
