/**
 * @module
 * Finds the warnings in what a server wrote on stderr: its own `WARN`/`ERROR` log lines, Node's
 * `(node:123) … Warning` lines (deprecations, libraries' `process.emitWarning` such as
 * simple-git's `SIMPLE_GIT_…` notices) and other libraries' notices. A server started as the
 * README says should print none of them. npm's own `npm warn` lines, printed when npx installs a
 * tarball, are found apart: they are about the install, not the server.
 */

const NPM = /^npm (warn|error|WARN|ERR!)/;
const WARNING =
  /^\S+ (WARN|ERROR) |\(node:\d+\)|\b[Ww]arning:|^\[?[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\]?[: ]/;

/** The stderr lines that are warnings from the server, in order. */
export function warningLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => !NPM.test(line) && WARNING.test(line));
}

/** npm's own warning lines (engine mismatches, deprecations), in order. */
export function npmWarningLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => NPM.test(line));
}

/** Reports npm's warnings of one npx launch loudly without failing the test that saw them. */
export function noteNpmWarnings(name: string, stderr: string): void {
  const lines = npmWarningLines(stderr);
  if (lines.length > 0)
    process.stderr.write(
      `NOTE [npx] ${name}: npm warned while installing:\n  ${lines.join('\n  ')}\n`,
    );
}
