/**
 * @module
 * What `pnpm bench` measures: the suites, their servers and baselines, the calls and the targets.
 * This is the file to edit to add a comparison. Each server lists where it comes from (a built
 * workspace package, an npm package installed into the cache, a Python module); one that is not
 * available is skipped with the reason, so the harness runs today and grows as servers land.
 */
import { join } from 'node:path';
import {
  floor,
  floorTarget,
  idleRssTarget,
  atMost,
  atMostRatio,
  baselineFigure,
  callTool,
  coldStartTarget,
  heavyCall,
  heavyCallWithPings,
  ours,
  oursAndPeer,
  peer,
  ping,
  serverFigure,
  subject,
  suite,
  toolCall,
  workspace,
  type SubjectParts,
} from './config-builders.js';
import type {
  Baseline,
  HeavySpec,
  HostileFixture,
  HttpSubject,
  ServerSubject,
  Source,
  Suite,
  SuiteEnv,
  Target,
  TreeFixture,
  UpstreamFakes,
} from './suite.js';

const PROTOCOL_VERSION = '2025-11-25';

/** The pinned peers; the harness installs them into the cache with npm. */
export const PEERS = {
  everything: {
    from: 'npm',
    package: '@modelcontextprotocol/server-everything',
    version: '2026.8.31',
    entry: 'dist/index.js',
  },
  filesystem: {
    from: 'npm',
    package: '@modelcontextprotocol/server-filesystem',
    version: '2026.8.31',
    entry: 'dist/index.js',
  },
  postgres: {
    from: 'npm',
    package: '@modelcontextprotocol/server-postgres',
    version: '0.6.2',
    entry: 'dist/index.js',
  },
  puppeteer: {
    from: 'npm',
    package: '@modelcontextprotocol/server-puppeteer',
    version: '2025.5.12',
    entry: 'dist/index.js',
  },
  github: {
    from: 'npm',
    package: '@modelcontextprotocol/server-github',
    version: '2025.4.8',
    entry: 'dist/index.js',
  },
  slack: {
    from: 'npm',
    package: '@modelcontextprotocol/server-slack',
    version: '2025.4.25',
    entry: 'dist/index.js',
  },
  gdrive: {
    from: 'npm',
    package: '@modelcontextprotocol/server-gdrive',
    version: '2025.1.14',
    entry: 'dist/index.js',
  },
} as const satisfies Record<string, Source>;

/** Our protocol package as the conformance fixture serves it (only @plugboard/protocol and zod). */
export const OURS_PROTOCOL: readonly Source[] = [
  {
    from: 'workspace',
    package: '@plugboard/conformance-fixture',
    dir: 'shared/conformance-fixture',
    entry: 'dist/main.js',
  },
];

/** Whatever a tree of the filesystem suite needs, or a clear error when the fixture is missing. */
function tree(env: SuiteEnv): NonNullable<SuiteEnv['tree']> {
  if (env.tree === undefined) throw new Error('the filesystem suite needs the generated tree');
  return env.tree;
}

function need(value: string | undefined, what: string): string {
  if (value === undefined) throw new Error(`this suite needs ${what}`);
  return value;
}

const protocolSuite: Suite = suite({
  id: 'protocol',
  title: 'Protocol overhead: our fixture vs the official SDK server vs bare node',
  owner: 'fixture',
  needs: [],
  subjects: [
    subject('ours', 'fixture', 'fixture (ours)', OURS_PROTOCOL, {
      calls: () => [ping, { name: 'tool', request: toolCall('test_simple_text', {}) }],
    }),
    peer('everything', 'server-everything', PEERS.everything, {
      args: () => ['stdio'],
      calls: () => [ping, { name: 'tool', request: toolCall('echo', { message: 'hello world' }) }],
    }),
    floor(() => [ping, { name: 'tool', request: toolCall('echo', { message: 'hello world' }) }]),
  ],
  targets: [
    coldStartTarget('fixture'),
    idleRssTarget('fixture'),
    floorTarget('fixture', 'CPU per pipelined ping', 'call.ping.pipeCpuUs', 2, 'us'),
    floorTarget('fixture', 'CPU per pipelined tool call', 'call.tool.pipeCpuUs', 2, 'us'),
  ],
});

/** Ours is asked for whole results (as the official server returns), not its default 64 KiB page. */
const WHOLE_RESULTS = 256 * 1024 * 1024;
const MANY = 1_000_000;

function filesystemParts(options: {
  flags: readonly string[];
  heavy: (t: TreeFixture) => HeavySpec[];
}): SubjectParts {
  return {
    args: (env) => [...options.flags, tree(env).root],
    calls: (env) => [
      ping,
      callTool('read_text_file', { path: tree(env).smallFile }),
      callTool('list_directory', { path: tree(env).smallDirectory }),
    ],
    heavy: (env) => options.heavy(tree(env)),
  };
}

/** A floor script run in process: `node floor/walk.js <args>`. */
function walkBaseline(id: string, label: string, args: (t: TreeFixture) => string[]): Baseline {
  return {
    id,
    label,
    kind: 'heavy',
    command: (env) => ({
      argv: [env.node, join(env.harness, 'src/floor/walk.js'), ...args(tree(env))],
    }),
  };
}

const filesystemSuite: Suite = suite({
  id: 'filesystem',
  title:
    'Filesystem: ours vs @modelcontextprotocol/server-filesystem on 50,000 files in 5,000 directories',
  owner: 'filesystem',
  needs: ['tree'],
  subjects: [
    ours(
      'filesystem',
      filesystemParts({
        flags: ['--max-output-bytes', String(WHOLE_RESULTS)],
        heavy: (t) => [
          heavyCall('directory_tree', 'directory_tree', { path: t.root, maxEntries: MANY }),
          heavyCall('search_files', 'search_files', {
            path: t.root,
            pattern: '**/*.md',
            maxResults: MANY,
          }),
          heavyCall('search_file_contents', 'search_file_contents', {
            path: t.root,
            query: t.needle,
            maxResults: MANY,
          }),
        ],
      }),
    ),
    peer(
      'filesystem-official',
      'server-filesystem',
      PEERS.filesystem,
      filesystemParts({
        flags: [],
        heavy: (t) => [
          heavyCall('directory_tree', 'directory_tree', { path: t.root }),
          heavyCall('search_files', 'search_files', { path: t.root, pattern: '**/*.md' }),
        ],
      }),
    ),
  ],
  baselines: [
    walkBaseline('walk-tree', 'node walk: tree', (t) => ['tree', t.root]),
    walkBaseline('walk-find', 'node walk: *.md', (t) => ['find', t.root, '.md']),
    {
      id: 'grep',
      label: 'grep -r',
      kind: 'heavy',
      command: (env) => ({ argv: ['grep', '-rn', '--', tree(env).needle, tree(env).root] }),
    },
  ],
  targets: [
    coldStartTarget('filesystem'),
    idleRssTarget('filesystem'),
    atMostRatio(
      'directory_tree <= 2x an in-process node walk',
      serverFigure('filesystem', 'heavy.directory_tree.ms'),
      baselineFigure('walk-tree', 'inProcessMs'),
      2,
      'ms',
      ['filesystem', 'directory_tree'],
    ),
    atMostRatio(
      'directory_tree response <= 1.5x compact JSON of the tree',
      serverFigure('filesystem', 'heavy.directory_tree.bytes'),
      baselineFigure('walk-tree', 'stdoutBytes'),
      1.5,
      'B',
      ['filesystem', 'directory_tree'],
    ),
    atMostRatio(
      'search_files <= 2x an in-process node walk',
      serverFigure('filesystem', 'heavy.search_files.ms'),
      baselineFigure('walk-find', 'inProcessMs'),
      2,
      'ms',
      ['filesystem', 'search_files'],
    ),
    atMostRatio(
      'search_file_contents <= 3x grep -r',
      serverFigure('filesystem', 'heavy.search_file_contents.ms'),
      baselineFigure('grep', 'wallMs'),
      3,
      'ms',
      ['filesystem', 'search_file_contents'],
    ),
    ...['read_text_file', 'list_directory'].map((call) =>
      atMostRatio(
        `${call} CPU per call <= 0.5x the official server`,
        serverFigure('filesystem', `call.${call}.pipeCpuUs`),
        serverFigure('filesystem-official', `call.${call}.pipeCpuUs`),
        0.5,
        'us',
      ),
    ),
  ],
});

const BIG_QUERY = 'SELECT g AS n, md5(g::text) AS hash FROM generate_series(1, 100000) AS g';

const selectOne = callTool('query', { sql: 'SELECT 1' }, { sequential: 200, pipelined: 1000 });

/** `SELECT 1` 20 times per round, with its round trips to PostgreSQL counted (through the relay). */
function selectOneCounted(env: SuiteEnv): HeavySpec {
  const spec = heavyCall('select_1', 'query', { sql: 'SELECT 1' }, 20);
  return env.databaseTurns === undefined ? spec : { ...spec, countTurns: env.databaseTurns };
}

const databaseArgs = (env: SuiteEnv): string[] => [need(env.databaseUrl, 'a database')];

const postgresParts: SubjectParts = {
  args: databaseArgs,
  calls: () => [ping, selectOne],
  heavy: (env) => [selectOneCounted(env), heavyCall('rows_100k', 'query', { sql: BIG_QUERY }, 2)],
};

/**
 * Our server with the database behind PgBouncer in `mode` (issue 21: the pooler adds at most one
 * round trip per call): the same `SELECT 1` calls, compared with ours connecting directly.
 */
function throughPgBouncer(mode: 'session' | 'transaction'): ServerSubject {
  return subject(
    'ours',
    `postgres-pgbouncer-${mode}`,
    `ours via PgBouncer (${mode})`,
    [workspace('postgres')],
    {
      args: (env) => {
        const urls = env.poolerUrls;
        if (urls === undefined || 'missing' in urls)
          throw new Error(urls?.missing ?? 'no PgBouncer');
        return [urls[mode]];
      },
      calls: () => [ping, selectOne],
      heavy: (env) => [selectOneCounted(env)],
    },
  );
}

const postgresSuite: Suite = suite({
  id: 'postgres',
  title: 'Postgres: ours vs @modelcontextprotocol/server-postgres on a local PostgreSQL',
  owner: 'postgres',
  needs: ['postgres', 'pgbouncer'],
  subjects: [
    ...oursAndPeer('postgres', 'server-postgres', PEERS.postgres, postgresParts),
    throughPgBouncer('session'),
    throughPgBouncer('transaction'),
  ],
  baselines: [
    {
      id: 'psql',
      label: "psql -c 'SELECT 1'",
      kind: 'heavy',
      reps: 20,
      command: (env) => ({
        argv: ['psql', need(env.databaseUrl, 'a database'), '-XAtqc', 'SELECT 1'],
      }),
    },
  ],
  targets: [
    coldStartTarget('postgres'),
    idleRssTarget('postgres'),
    atMostRatio(
      'query round trip (SELECT 1) <= 1.5x psql -c',
      serverFigure('postgres', 'heavy.select_1.ms'),
      baselineFigure('psql', 'wallMs'),
      1.5,
      'ms',
    ),
    atMost(
      '100,000-row result within the 64 KiB budget (<= 128 KiB on the wire)',
      serverFigure('postgres', 'heavy.rows_100k.bytes'),
      128 * 1024,
      'B',
    ),
    atMost(
      'RSS growth during the 100,000-row query <= 32 MB',
      serverFigure('postgres', 'heavy.rows_100k.rssGrowthMb'),
      32,
      'MB',
    ),
  ],
});

const gitRepo = (env: SuiteEnv): string => need(env.gitRepo, 'the generated repository');

const gitParts: SubjectParts = {
  args: (env) => ['--repository', gitRepo(env)],
  heavy: (env) => {
    const repo = gitRepo(env);
    return [
      heavyCall('git_log', 'git_log', { repo_path: repo, max_count: 10 }, 10),
      heavyCall('git_status', 'git_status', { repo_path: repo }, 10),
      heavyCall('git_diff_unstaged', 'git_diff_unstaged', { repo_path: repo }, 10),
      // The large inputs of issue 25, with pings: a full page of history, and the work tree
      // against a commit 5,000 back (a diff touching every file, paged to the budget).
      heavyCallWithPings('git_log_1000', 'git_log', { repo_path: repo, max_count: 1000 }, 3),
      heavyCallWithPings(
        'git_diff_5000_back',
        'git_diff',
        { repo_path: repo, target: 'HEAD~5000' },
        3,
      ),
    ];
  },
};

function gitBaseline(id: string, args: readonly string[]): Baseline {
  return {
    id,
    label: `git ${args.join(' ')}`,
    kind: 'heavy',
    reps: 10,
    command: (env) => ({ argv: ['git', '-C', gitRepo(env), ...args] }),
  };
}

const gitSuite: Suite = suite({
  id: 'git',
  title: 'Git: ours vs the official Python mcp-server-git on 10,000 commits and 5,000 files',
  owner: 'git',
  needs: ['git-repo'],
  subjects: oursAndPeer(
    'git',
    'mcp-server-git (Python)',
    { from: 'python', module: 'mcp_server_git', uvx: 'mcp-server-git' },
    gitParts,
  ),
  baselines: [
    gitBaseline('git-log', ['log', '-n', '10']),
    gitBaseline('git-status', ['status']),
    gitBaseline('git-diff', ['diff']),
  ],
  targets: [
    coldStartTarget('git'),
    idleRssTarget('git'),
    // Issue 21 asks git_status and git_log to stay within 1.3x of git itself; a diff also
    // renders per-file stats, so it keeps 1.5x.
    ...(
      [
        ['git_log', 'git-log', 1.3],
        ['git_status', 'git-status', 1.3],
        ['git_diff_unstaged', 'git-diff', 1.5],
      ] as const
    ).map(([tool, baseline, ratio]) =>
      atMostRatio(
        `${tool} <= ${ratio}x running git directly`,
        serverFigure('git', `heavy.${tool}.ms`),
        baselineFigure(baseline, 'wallMs'),
        ratio,
        'ms',
      ),
    ),
  ],
});

const CHROMIUM = '/usr/bin/chromium';

const navigate = (env: SuiteEnv): HeavySpec =>
  // The first navigation starts the browser.
  heavyCall('navigate', 'puppeteer_navigate', { url: need(env.pageUrl, 'the page') }, 1);

const puppeteerSuite: Suite = suite({
  id: 'puppeteer',
  title:
    'Puppeteer: ours vs @modelcontextprotocol/server-puppeteer on a generated 5,000-element page (and ours on a 50,000-element one)',
  owner: 'puppeteer',
  needs: ['page'],
  subjects: [
    ours('puppeteer', {
      envVars: () => ({ PUPPETEER_EXECUTABLE_PATH: CHROMIUM }),
      heavy: (env) => [
        navigate(env),
        // With pings: the snapshot of the 5,000-element page is the browser server's big input.
        heavyCallWithPings('snapshot', 'puppeteer_snapshot', {}, 3),
        heavyCall('screenshot', 'puppeteer_screenshot', { name: 'bench', fullPage: true }, 3),
        // Then the 50,000-element page: the snapshot reads up to its element limit.
        heavyCall(
          'navigate-50k',
          'puppeteer_navigate',
          { url: need(env.largePageUrl, 'the large page') },
          1,
        ),
        heavyCall('snapshot-50k', 'puppeteer_snapshot', {}, 3),
      ],
    }),
    peer('puppeteer-official', 'server-puppeteer', PEERS.puppeteer, {
      envVars: () => ({
        PUPPETEER_LAUNCH_OPTIONS: JSON.stringify({
          headless: true,
          executablePath: CHROMIUM,
          args: ['--no-sandbox'],
        }),
        // It refuses --no-sandbox (needed as root) without this.
        ALLOW_DANGEROUS: 'true',
      }),
      heavy: (env) => [
        navigate(env),
        heavyCall(
          'screenshot',
          'puppeteer_screenshot',
          { name: 'bench', width: 800, height: 600 },
          3,
        ),
      ],
    }),
  ],
  targets: [
    coldStartTarget('puppeteer'),
    idleRssTarget('puppeteer'),
    atMost(
      'snapshot text of the 5,000-element page within the 64 KiB budget',
      serverFigure('puppeteer', 'heavy.snapshot.textBytes'),
      64 * 1024,
      'B',
    ),
    atMostRatio(
      'snapshot faster than our full-page screenshot',
      serverFigure('puppeteer', 'heavy.snapshot.ms'),
      serverFigure('puppeteer', 'heavy.screenshot.ms'),
      1,
      'ms',
    ),
    atMostRatio(
      "snapshot faster than the official server's screenshot",
      serverFigure('puppeteer', 'heavy.snapshot.ms'),
      serverFigure('puppeteer-official', 'heavy.screenshot.ms'),
      1,
      'ms',
    ),
  ],
});

/** What github/github-mcp-server's default tools/list weighs; servers/github's contract test uses it. */
const GITHUB_MCP_SERVER_DEFAULT_BYTES = 112_251;

/** A closed loopback port: listing tools makes no API call. */
const CLOSED_PORT = 'http://127.0.0.1:9';

/** A dummy token and the API root (ours reads GITHUB_API_URL; the official server ignores it). */
function githubEnv(api: string): Record<string, string> {
  return { GITHUB_PERSONAL_ACCESS_TOKEN: 'github_pat_bench', GITHUB_API_URL: `${api}/` };
}

/** A dummy token and team, and the Web API root (`…/api/`). */
function slackEnv(api: string): Record<string, string> {
  return { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_TEAM_ID: 'T01234567', SLACK_API_URL: api };
}

const githubSuite: Suite = suite({
  id: 'github',
  title: 'GitHub: ours (default toolsets) vs @modelcontextprotocol/server-github, no API calls',
  owner: 'github',
  needs: [],
  subjects: oursAndPeer('github', 'server-github', PEERS.github, {
    envVars: () => githubEnv(CLOSED_PORT),
  }),
  targets: [
    coldStartTarget('github'),
    idleRssTarget('github'),
    atMost(
      `default tools/list <= 1/3 of github-mcp-server's (${String(GITHUB_MCP_SERVER_DEFAULT_BYTES)} B, not runnable here)`,
      serverFigure('github', 'toolsListBytes'),
      GITHUB_MCP_SERVER_DEFAULT_BYTES / 3,
      'B',
    ),
  ],
});

const slackSuite: Suite = suite({
  id: 'slack',
  title: 'Slack: ours vs @modelcontextprotocol/server-slack, dummy token, no API calls',
  owner: 'slack',
  needs: [],
  subjects: oursAndPeer('slack', 'server-slack', PEERS.slack, {
    envVars: () => slackEnv(`${CLOSED_PORT}/api/`),
  }),
  targets: [coldStartTarget('slack'), idleRssTarget('slack')],
});

function google(env: SuiteEnv): NonNullable<SuiteEnv['google']> {
  if (env.google === undefined) throw new Error('the gdrive suite needs the generated credentials');
  return env.google;
}

/** Ours signs in with the throw-away service-account key. */
function gdriveEnv(env: SuiteEnv): Record<string, string> {
  return {
    GOOGLE_APPLICATION_CREDENTIALS: google(env).serviceAccountKey,
    // No saved sign-in: the service-account key is used.
    GDRIVE_CREDENTIALS_PATH: join(env.cache, 'google-credentials', 'absent.json'),
  };
}

const gdriveSuite: Suite = suite({
  id: 'gdrive',
  title: 'Google Drive: ours vs @modelcontextprotocol/server-gdrive, throw-away credentials',
  owner: 'gdrive',
  needs: ['google-credentials'],
  subjects: [
    ours('gdrive', { envVars: gdriveEnv }),
    peer('gdrive-official', 'server-gdrive', PEERS.gdrive, {
      envVars: (env) => ({ GDRIVE_CREDENTIALS_PATH: google(env).officialCredentials }),
    }),
  ],
  targets: [coldStartTarget('gdrive'), idleRssTarget('gdrive')],
});

/** A JSON value nested 9,000 deep in one row (issue 25: it overflowed the stack rendering it). */
const DEEP_JSON_QUERY = "SELECT (repeat('[', 9000) || repeat(']', 9000))::jsonb AS deep";

/**
 * One edit that changes every line of a 10,000-line file, previewed (dryRun): the same call for
 * both servers, whose diff is quadratic with a plain Myers diff. Once per round, as the official
 * server takes tens of seconds; the pings during it show how long the event loop is blocked.
 */
function heavyEdit(t: HostileFixture): HeavySpec {
  return heavyCallWithPings(
    'edit_file_10k_lines',
    'edit_file',
    {
      path: t.editFile.path,
      edits: [{ oldText: t.editFile.before, newText: t.editFile.after }],
      dryRun: true,
    },
    1,
  );
}

/**
 * 20,000 edits in one call (issue 25: nothing capped their number), previewed: the first 10,000
 * change each line's `foo` to `bar`, the next 10,000 that `bar` to `qux`. Ours refuses more than
 * 100 edits a call; the official server applies them all, then diffs every changed line.
 */
function heavyManyEdits(t: HostileFixture): HeavySpec {
  const lines = t.editFile.before.split('\n').filter(Boolean);
  const step = (from: string, to: string): { oldText: string; newText: string }[] =>
    lines.map((line) => ({
      oldText: `${line.replace('foo', from)}\n`,
      newText: `${line.replace('foo', to)}\n`,
    }));
  return heavyCallWithPings(
    'edits_20k',
    'edit_file',
    { path: t.editFile.path, edits: [...step('foo', 'bar'), ...step('bar', 'qux')], dryRun: true },
    1,
    { mayRefuse: true, deadlineMs: 180_000 },
  );
}

/**
 * The pathological glob of issue 25: `*a` 40 times, then `b` (81 characters), against a
 * 200-character name of `a`s. A backtracking matcher takes exponential time and never answers, so
 * the call has a deadline, and it runs last: a server stuck on it can do nothing else.
 */
function heavyPathologicalGlob(t: HostileFixture): HeavySpec {
  return heavyCallWithPings(
    'glob_81_chars',
    'search_files',
    { path: t.dir, pattern: `${'*a'.repeat(40)}b` },
    1,
    { deadlineMs: 60_000 },
  );
}

/** The workbook bombs of issue 25 through `read_document` (ours only: the official server has none). */
function heavyWorkbookBombs(t: HostileFixture): HeavySpec[] {
  return [
    heavyCallWithPings('xlsx_row_100000000', 'read_document', { path: t.declaredRows }, 1, {
      mayRefuse: true,
    }),
    heavyCallWithPings('xlsx_shared_string_6000', 'read_document', { path: t.sharedString }, 1, {
      mayRefuse: true,
    }),
  ];
}

function hostile(env: SuiteEnv): HostileFixture {
  if (env.hostile === undefined) throw new Error('the heavy suite needs the hostile inputs');
  return env.hostile;
}

function upstreams(env: SuiteEnv): UpstreamFakes {
  if (env.upstreams === undefined) throw new Error('the heavy suite needs the upstream fakes');
  return env.upstreams;
}

/**
 * A document longer than a read takes (2,500 pages; ours reads 2,000 and says so). The official
 * filesystem server has no document tool.
 */
function heavyLargePdf(t: HostileFixture): HeavySpec {
  return heavyCallWithPings('pdf_2500_pages', 'read_document', { path: t.largePdf.path }, 1);
}

/** The same 10,000 lines changed by one `replaceAll` edit of `foo` (ours: the official has none). */
function heavyReplaceAll(t: HostileFixture): HeavySpec {
  return heavyCallWithPings(
    'edit_replace_all_10k',
    'edit_file',
    {
      path: t.editFile.path,
      edits: [{ oldText: 'foo', newText: 'bar', replaceAll: true }],
      dryRun: true,
    },
    1,
  );
}

/** The Drive fake's PDF and workbooks through `read_file`. */
function heavyDriveFiles(env: SuiteEnv): HeavySpec[] {
  const ids = upstreams(env).driveFiles;
  const read = (name: string, fileId: string, mayRefuse: boolean): HeavySpec =>
    heavyCallWithPings(name, 'read_file', { fileId }, 1, mayRefuse ? { mayRefuse } : {});
  return [
    read('drive_pdf_2500_pages', ids.largePdf, false),
    read('drive_xlsx_row_100000000', ids.declaredRows, true),
    read('drive_xlsx_shared_string_6000', ids.sharedString, true),
  ];
}

/** A 200 MB answer, streamed without a length: ours stops at its cap; the official reads it all. */
const OVERSIZED_DEADLINE_MS = 180_000;

const oversizedIssue = heavyCallWithPings(
  'github_issue_200mb',
  'get_issue',
  { owner: 'octo', repo: 'app', issue_number: 1 },
  1,
  { mayRefuse: true, deadlineMs: OVERSIZED_DEADLINE_MS },
);

const oversizedHistory = heavyCallWithPings(
  'slack_history_200mb',
  'slack_get_channel_history',
  { channel_id: 'C01234567' },
  1,
  { mayRefuse: true, deadlineMs: OVERSIZED_DEADLINE_MS },
);

/**
 * The official server with its written-in API root redirected to the fake (see
 * `preload/redirect-fetch.ts`): `from` is that root, `to` the fake's.
 */
function redirectedTo(env: SuiteEnv, from: string, to: string): Record<string, string> {
  return {
    NODE_OPTIONS: `--import=${join(env.harness, 'src/preload/redirect-fetch.js')}`,
    BENCH_REDIRECT: `${from}=>${to}`,
  };
}

/**
 * Ours and the official server `name` calling the same upstream fake: the environment `api.env`
 * gives for the fake's root, and for the official server its written-in root redirected there.
 */
function oursAndOfficialAgainstFake(
  name: string,
  peerLabel: string,
  peerSource: Source,
  api: {
    real: string;
    fake: (fakes: UpstreamFakes) => string;
    env: (root: string) => Record<string, string>;
  },
  heavy: HeavySpec,
): ServerSubject[] {
  const envVars = (env: SuiteEnv): Record<string, string> => api.env(api.fake(upstreams(env)));
  return [
    ours(name, { envVars, heavy: () => [heavy] }),
    peer(`${name}-official`, peerLabel, peerSource, {
      envVars: (env) => ({
        ...envVars(env),
        ...redirectedTo(env, api.real, api.fake(upstreams(env))),
      }),
      heavy: () => [heavy],
    }),
  ];
}

/** One second: issue 25 asks that ping answer within it while any input is worked on. */
const PING_LIMIT_MS = 1000;

/** Ours answers ping within a second during `heavy`. */
function pingsWithinASecond(id: string, heavy: string): Target {
  return atMost(
    `${id} ${heavy}: ping p99 <= 1 s`,
    serverFigure(id, `heavy.${heavy}.pingP99Ms`),
    PING_LIMIT_MS,
    'ms',
  );
}

/**
 * Ours during `heavy` against the official server doing the same call: the ping round trip p99 a
 * client sees, and the longest event-loop delay inside the server (one long block is a single
 * sample of the histogram, so its p99 hides it; the longest delay does not).
 */
function againstOfficial(id: string, heavy: string): Target[] {
  return [
    ['ping p99', 'pingP99Ms'],
    ['longest event-loop delay', 'loopDelayMaxMs'],
  ].map(([what, metric]) =>
    atMostRatio(
      `${id} ${heavy}: ${what} <= 0.1x the official server's`,
      serverFigure(id, `heavy.${heavy}.${metric}`),
      serverFigure(`${id}-official`, `heavy.${heavy}.${metric}`),
      0.1,
      'ms',
    ),
  );
}

/**
 * Each heavy input of ours, and whether to compare it with the official server's same call. The
 * official postgres server has the deep JSON query too, but fails it at once (a stack overflow):
 * there is no long call to compare with.
 */
const HEAVY_INPUTS: readonly (readonly [subject: string, heavy: string, compare: boolean])[] = [
  ['filesystem', 'edit_file_10k_lines', true],
  ['filesystem', 'edit_replace_all_10k', false],
  ['filesystem', 'edits_20k', true],
  ['filesystem', 'pdf_2500_pages', false],
  ['filesystem', 'xlsx_row_100000000', false],
  ['filesystem', 'xlsx_shared_string_6000', false],
  ['filesystem', 'glob_81_chars', true],
  ['postgres', 'json_9000_deep', false],
  ['gdrive', 'drive_pdf_2500_pages', false],
  ['gdrive', 'drive_xlsx_row_100000000', false],
  ['gdrive', 'drive_xlsx_shared_string_6000', false],
  ['github', 'github_issue_200mb', true],
  ['slack', 'slack_history_200mb', true],
];

/**
 * Issue 25's hostile inputs, each once per full round with pings every 20 ms and the event-loop
 * delay probe, against the official server doing the same call where it has the tool. The
 * official Drive server is absent: its API root cannot be pointed anywhere, and it extracts no
 * text from PDFs or workbooks anyway.
 */
const heavySuite: Suite = suite({
  id: 'heavy',
  title:
    'Heavy inputs (issue 25): ping and event-loop delay while each runs, ours vs the official servers',
  owner: 'filesystem',
  needs: ['hostile', 'upstreams', 'google-credentials', 'postgres'],
  subjects: [
    ours('filesystem', {
      args: (env) => [hostile(env).dir],
      heavy: (env) => {
        const t = hostile(env);
        return [
          heavyEdit(t),
          heavyReplaceAll(t),
          heavyManyEdits(t),
          heavyLargePdf(t),
          ...heavyWorkbookBombs(t),
          heavyPathologicalGlob(t),
        ];
      },
    }),
    peer('filesystem-official', 'server-filesystem', PEERS.filesystem, {
      args: (env) => [hostile(env).dir],
      heavy: (env) => {
        const t = hostile(env);
        return [heavyEdit(t), heavyManyEdits(t), heavyPathologicalGlob(t)];
      },
    }),
    ...oursAndPeer('postgres', 'server-postgres', PEERS.postgres, {
      args: databaseArgs,
      heavy: () => [
        heavyCallWithPings('json_9000_deep', 'query', { sql: DEEP_JSON_QUERY }, 1, {
          mayRefuse: true,
        }),
      ],
    }),
    ours('gdrive', {
      envVars: (env) => ({
        ...gdriveEnv(env),
        GDRIVE_API_URL: upstreams(env).driveApi,
        GDRIVE_TOKEN_URL: upstreams(env).tokenUrl,
      }),
      heavy: heavyDriveFiles,
    }),
    ...oursAndOfficialAgainstFake(
      'github',
      'server-github',
      PEERS.github,
      { real: 'https://api.github.com', fake: (fakes) => fakes.githubApi, env: githubEnv },
      oversizedIssue,
    ),
    ...oursAndOfficialAgainstFake(
      'slack',
      'server-slack',
      PEERS.slack,
      { real: 'https://slack.com/api/', fake: (fakes) => fakes.slackApi, env: slackEnv },
      oversizedHistory,
    ),
  ],
  targets: HEAVY_INPUTS.flatMap(([id, heavy, compare]) => [
    pingsWithinASecond(id, heavy),
    ...(compare ? againstOfficial(id, heavy) : []),
  ]),
});

/** Every stdio suite, in the order they run. */
export const SUITES: readonly Suite[] = [
  protocolSuite,
  filesystemSuite,
  postgresSuite,
  gitSuite,
  puppeteerSuite,
  githubSuite,
  slackSuite,
  gdriveSuite,
  heavySuite,
];

/** The HTTP suite: our server over `--transport http` vs server-everything's Streamable HTTP. */
export const HTTP_SUBJECTS: readonly HttpSubject[] = [
  {
    id: 'fixture',
    label: 'fixture (ours)',
    role: 'ours',
    sources: OURS_PROTOCOL,
    args: (port) => ['--transport', 'http', '--port', String(port)],
    call: toolCall('test_simple_text', {}),
  },
  {
    id: 'everything',
    label: 'server-everything',
    role: 'peer',
    sources: [PEERS.everything],
    args: () => ['streamableHttp'],
    envVars: (port) => ({ PORT: String(port) }),
    call: toolCall('echo', { message: 'hello world' }),
  },
];

/** The protocol revision the harness asks for in `initialize`. */
export const BENCH_PROTOCOL_VERSION = PROTOCOL_VERSION;
