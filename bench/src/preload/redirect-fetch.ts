/**
 * @module
 * Loaded with `node --import` into an official server whose API root is written into its code
 * (server-github's `https://api.github.com`, server-slack's `https://slack.com/api`), so that it
 * calls the heavy suite's local fake instead: each `fetch` of a URL that starts with a prefix
 * from `BENCH_REDIRECT` (`from=>to` pairs separated by spaces) goes to the same path under `to`.
 * Only the URL changes; how the server reads the answer is its own.
 */
const rules = (process.env.BENCH_REDIRECT ?? '')
  .split(' ')
  .filter((rule) => rule.includes('=>'))
  .map((rule) => rule.split('=>') as [string, string]);
const original = globalThis.fetch;

globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
  const rule = url === undefined ? undefined : rules.find(([from]) => url.startsWith(from));
  return url === undefined || rule === undefined
    ? original(input, init)
    : original(`${rule[1]}${url.slice(rule[0].length)}`, init);
};
