/**
 * @module
 * What `pnpm bench` measures: the suites, their servers and baselines, the calls and the targets.
 * This is the file to edit to add a comparison. Each server lists where it comes from (a built
 * workspace package, an npm package installed into the cache, a Python module); one that is not
 * available is skipped with the reason, so the harness runs today and grows as servers land.
 */
import { join } from 'node:path';
import type {
  Baseline,
  HeavySpec,
  TreeFixture,
  HttpSubject,
  Medians,
  ServerSubject,
  Source,
  Suite,
  SuiteEnv,
  Target,
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
const OURS_PROTOCOL: readonly Source[] = [
  {
    from: 'workspace',
    package: '@plugboard/conformance-fixture',
    dir: 'shared/conformance-fixture',
    entry: 'dist/main.js',
  },
];

const ping = { name: 'ping', request: { method: 'ping' } };

function toolCall(
  name: string,
  args: Record<string, unknown>,
): { method: string; params: unknown } {
  return { method: 'tools/call', params: { name, arguments: args } };
}

const nodeBaseline: Baseline = {
  id: 'node',
  label: "node -e ''",
  kind: 'cold',
  command: (env) => ({ argv: [env.node, '-e', ''] }),
};

/** Whatever a tree of the filesystem suite needs, or a clear error when the fixture is missing. */
function tree(env: SuiteEnv): NonNullable<SuiteEnv['tree']> {
  if (env.tree === undefined) throw new Error('the filesystem suite needs the generated tree');
  return env.tree;
}

function need(value: string | undefined, what: string): string {
  if (value === undefined) throw new Error(`this suite needs ${what}`);
  return value;
}

/** A heavy call whose response must be whole for its figure to mean anything. */
type Whole = readonly [subject: string, heavy: string];

function notWhole(m: Medians, whole: Whole | undefined): { note: string } | undefined {
  if (whole === undefined || m.truncated(whole[0], whole[1]) !== true) return undefined;
  return { note: `not comparable: ${whole[0]} ${whole[1]} returned a truncated result` };
}

/** `value <= factor * reference`, both read from the medians. */
function atMostRatio(
  label: string,
  value: (m: Medians) => number | undefined,
  reference: (m: Medians) => number | undefined,
  factor: number,
  unit: string,
  whole?: Whole,
): Target {
  return {
    label,
    check: (m) => {
      const v = value(m);
      const r = reference(m);
      if (v === undefined || r === undefined) return undefined;
      return notWhole(m, whole) ?? { value: v, limit: factor * r, unit };
    },
  };
}

function atMost(
  label: string,
  value: (m: Medians) => number | undefined,
  limit: number,
  unit: string,
): Target {
  return {
    label,
    check: (m) => {
      const v = value(m);
      return v === undefined ? undefined : { value: v, limit, unit };
    },
  };
}

const protocolSuite: Suite = {
  id: 'protocol',
  title: 'Protocol overhead: our fixture vs the official SDK server vs bare node',
  owner: 'fixture',
  needs: [],
  coldBaseline: 'node',
  subjects: [
    {
      id: 'fixture',
      label: 'fixture (ours)',
      role: 'ours',
      sources: OURS_PROTOCOL,
      args: () => [],
      calls: () => [ping, { name: 'tool', request: toolCall('test_simple_text', {}) }],
    },
    {
      id: 'everything',
      label: 'server-everything',
      role: 'peer',
      sources: [PEERS.everything],
      args: () => ['stdio'],
      calls: () => [ping, { name: 'tool', request: toolCall('echo', { message: 'hello world' }) }],
    },
  ],
  baselines: [nodeBaseline],
  targets: [
    atMostRatio(
      "fixture cold start to tools/list <= 1.3x node -e ''",
      (m) => m.server('fixture', 'toolsListMs'),
      (m) => m.baseline('node', 'wallMs'),
      1.3,
      'ms',
    ),
    atMost('fixture idle RSS <= 45 MB', (m) => m.server('fixture', 'idleRssMb'), 45, 'MB'),
    atMost(
      'fixture CPU per pipelined ping <= 5 us',
      (m) => m.server('fixture', 'call.ping.pipeCpuUs'),
      5,
      'us',
    ),
    atMost(
      'fixture CPU per pipelined tool call <= 5 us',
      (m) => m.server('fixture', 'call.tool.pipeCpuUs'),
      5,
      'us',
    ),
  ],
};

/** Ours is asked for whole results (as the official server returns), not its default 64 KiB page. */
const WHOLE_RESULTS = 256 * 1024 * 1024;
const MANY = 1_000_000;

function filesystemSubject(
  id: string,
  label: string,
  role: 'ours' | 'peer',
  source: Source,
  options: { flags: readonly string[]; heavy: (t: TreeFixture) => HeavySpec[] },
): ServerSubject {
  return {
    id,
    label,
    role,
    sources: [source],
    args: (env) => [...options.flags, tree(env).root],
    calls: (env) => [
      ping,
      {
        name: 'read_text_file',
        request: toolCall('read_text_file', { path: tree(env).smallFile }),
      },
      {
        name: 'list_directory',
        request: toolCall('list_directory', { path: tree(env).smallDirectory }),
      },
    ],
    heavy: (env) => options.heavy(tree(env)),
  };
}

const filesystemSuite: Suite = {
  id: 'filesystem',
  title:
    'Filesystem: ours vs @modelcontextprotocol/server-filesystem on 50,000 files in 5,000 directories',
  owner: 'filesystem',
  needs: ['tree'],
  coldBaseline: 'node',
  subjects: [
    filesystemSubject(
      'filesystem',
      'filesystem (ours)',
      'ours',
      {
        from: 'workspace',
        package: '@plugboard/server-filesystem',
        dir: 'servers/filesystem',
        entry: 'dist/main.js',
      },
      {
        flags: ['--max-output-bytes', String(WHOLE_RESULTS)],
        heavy: (t) => [
          {
            name: 'directory_tree',
            request: toolCall('directory_tree', { path: t.root, maxEntries: MANY }),
          },
          {
            name: 'search_files',
            request: toolCall('search_files', {
              path: t.root,
              pattern: '**/*.md',
              maxResults: MANY,
            }),
          },
          {
            name: 'search_file_contents',
            request: toolCall('search_file_contents', {
              path: t.root,
              query: t.needle,
              maxResults: MANY,
            }),
          },
        ],
      },
    ),
    filesystemSubject('filesystem-official', 'server-filesystem', 'peer', PEERS.filesystem, {
      flags: [],
      heavy: (t) => [
        { name: 'directory_tree', request: toolCall('directory_tree', { path: t.root }) },
        {
          name: 'search_files',
          request: toolCall('search_files', { path: t.root, pattern: '**/*.md' }),
        },
      ],
    }),
  ],
  baselines: [
    nodeBaseline,
    {
      id: 'walk-tree',
      label: 'node walk: tree',
      kind: 'heavy',
      command: (env) => ({
        argv: [env.node, join(env.harness, 'src/floor/walk.js'), 'tree', tree(env).root],
      }),
    },
    {
      id: 'walk-find',
      label: 'node walk: *.md',
      kind: 'heavy',
      command: (env) => ({
        argv: [env.node, join(env.harness, 'src/floor/walk.js'), 'find', tree(env).root, '.md'],
      }),
    },
    {
      id: 'grep',
      label: 'grep -r',
      kind: 'heavy',
      command: (env) => ({ argv: ['grep', '-rn', '--', tree(env).needle, tree(env).root] }),
    },
  ],
  targets: [
    atMostRatio(
      "filesystem cold start to tools/list <= 1.5x node -e ''",
      (m) => m.server('filesystem', 'toolsListMs'),
      (m) => m.baseline('node', 'wallMs'),
      1.5,
      'ms',
    ),
    atMostRatio(
      'directory_tree <= 2x an in-process node walk',
      (m) => m.server('filesystem', 'heavy.directory_tree.ms'),
      (m) => m.baseline('walk-tree', 'inProcessMs'),
      2,
      'ms',
      ['filesystem', 'directory_tree'],
    ),
    atMostRatio(
      'directory_tree response <= 1.5x compact JSON of the tree',
      (m) => m.server('filesystem', 'heavy.directory_tree.bytes'),
      (m) => m.baseline('walk-tree', 'stdoutBytes'),
      1.5,
      'B',
      ['filesystem', 'directory_tree'],
    ),
    atMostRatio(
      'search_files <= 2x an in-process node walk',
      (m) => m.server('filesystem', 'heavy.search_files.ms'),
      (m) => m.baseline('walk-find', 'inProcessMs'),
      2,
      'ms',
      ['filesystem', 'search_files'],
    ),
    atMostRatio(
      'search_file_contents <= 3x grep -r',
      (m) => m.server('filesystem', 'heavy.search_file_contents.ms'),
      (m) => m.baseline('grep', 'wallMs'),
      3,
      'ms',
      ['filesystem', 'search_file_contents'],
    ),
    atMostRatio(
      'read_text_file CPU per call <= 0.5x the official server',
      (m) => m.server('filesystem', 'call.read_text_file.pipeCpuUs'),
      (m) => m.server('filesystem-official', 'call.read_text_file.pipeCpuUs'),
      0.5,
      'us',
    ),
    atMostRatio(
      'list_directory CPU per call <= 0.5x the official server',
      (m) => m.server('filesystem', 'call.list_directory.pipeCpuUs'),
      (m) => m.server('filesystem-official', 'call.list_directory.pipeCpuUs'),
      0.5,
      'us',
    ),
  ],
};

const BIG_QUERY = 'SELECT g AS n, md5(g::text) AS hash FROM generate_series(1, 100000) AS g';

function postgresSubject(
  id: string,
  label: string,
  role: 'ours' | 'peer',
  source: Source,
): ServerSubject {
  return {
    id,
    label,
    role,
    sources: [source],
    args: (env) => [need(env.databaseUrl, 'a database')],
    calls: () => [
      ping,
      {
        name: 'query',
        request: toolCall('query', { sql: 'SELECT 1' }),
        sequential: 200,
        pipelined: 1000,
      },
    ],
    heavy: () => [
      { name: 'select_1', request: toolCall('query', { sql: 'SELECT 1' }), reps: 20 },
      { name: 'rows_100k', request: toolCall('query', { sql: BIG_QUERY }), reps: 2 },
    ],
  };
}

const postgresSuite: Suite = {
  id: 'postgres',
  title: 'Postgres: ours vs @modelcontextprotocol/server-postgres on a local PostgreSQL',
  owner: 'postgres',
  needs: ['postgres'],
  coldBaseline: 'node',
  subjects: [
    postgresSubject('postgres', 'postgres (ours)', 'ours', {
      from: 'workspace',
      package: '@plugboard/server-postgres',
      dir: 'servers/postgres',
      entry: 'dist/main.js',
    }),
    postgresSubject('postgres-official', 'server-postgres', 'peer', PEERS.postgres),
  ],
  baselines: [
    nodeBaseline,
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
    atMostRatio(
      "postgres cold start to tools/list <= 1.5x node -e ''",
      (m) => m.server('postgres', 'toolsListMs'),
      (m) => m.baseline('node', 'wallMs'),
      1.5,
      'ms',
    ),
    atMostRatio(
      'query round trip (SELECT 1) <= 1.5x psql -c',
      (m) => m.server('postgres', 'heavy.select_1.ms'),
      (m) => m.baseline('psql', 'wallMs'),
      1.5,
      'ms',
    ),
    atMost(
      '100,000-row result within the 64 KiB budget (<= 128 KiB on the wire)',
      (m) => m.server('postgres', 'heavy.rows_100k.bytes'),
      128 * 1024,
      'B',
    ),
    atMost(
      'RSS growth during the 100,000-row query <= 32 MB',
      (m) => m.server('postgres', 'heavy.rows_100k.rssGrowthMb'),
      32,
      'MB',
    ),
  ],
};

function gitSubject(
  id: string,
  label: string,
  role: 'ours' | 'peer',
  source: Source,
): ServerSubject {
  return {
    id,
    label,
    role,
    sources: [source],
    args: (env) => ['--repository', need(env.gitRepo, 'the generated repository')],
    calls: () => [ping],
    heavy: (env) => {
      const repo = need(env.gitRepo, 'the generated repository');
      return [
        {
          name: 'git_log',
          request: toolCall('git_log', { repo_path: repo, max_count: 10 }),
          reps: 10,
        },
        { name: 'git_status', request: toolCall('git_status', { repo_path: repo }), reps: 10 },
        {
          name: 'git_diff_unstaged',
          request: toolCall('git_diff_unstaged', { repo_path: repo }),
          reps: 10,
        },
      ];
    },
  };
}

function gitBaseline(id: string, args: readonly string[]): Baseline {
  return {
    id,
    label: `git ${args.join(' ')}`,
    kind: 'heavy',
    reps: 10,
    command: (env) => ({
      argv: ['git', '-C', need(env.gitRepo, 'the generated repository'), ...args],
    }),
  };
}

const gitSuite: Suite = {
  id: 'git',
  title: 'Git: ours vs the official Python mcp-server-git on 10,000 commits and 5,000 files',
  owner: 'git',
  needs: ['git-repo'],
  coldBaseline: 'node',
  subjects: [
    gitSubject('git', 'git (ours)', 'ours', {
      from: 'workspace',
      package: '@plugboard/server-git',
      dir: 'servers/git',
      entry: 'dist/main.js',
    }),
    gitSubject('git-official', 'mcp-server-git (Python)', 'peer', {
      from: 'python',
      module: 'mcp_server_git',
      uvx: 'mcp-server-git',
    }),
  ],
  baselines: [
    nodeBaseline,
    gitBaseline('git-log', ['log', '-n', '10']),
    gitBaseline('git-status', ['status']),
    gitBaseline('git-diff', ['diff']),
  ],
  targets: [
    atMostRatio(
      "git cold start to tools/list <= 1.5x node -e ''",
      (m) => m.server('git', 'toolsListMs'),
      (m) => m.baseline('node', 'wallMs'),
      1.5,
      'ms',
    ),
    ...(
      [
        ['git_log', 'git-log'],
        ['git_status', 'git-status'],
        ['git_diff_unstaged', 'git-diff'],
      ] as const
    ).map(([tool, baseline]) =>
      atMostRatio(
        `${tool} <= 1.5x running git directly`,
        (m) => m.server('git', `heavy.${tool}.ms`),
        (m) => m.baseline(baseline, 'wallMs'),
        1.5,
        'ms',
      ),
    ),
  ],
};

function workspace(name: string): Source {
  return {
    from: 'workspace',
    package: `@plugboard/server-${name}`,
    dir: `servers/${name}`,
    entry: 'dist/main.js',
  };
}

function coldStartTarget(id: string): Target {
  return atMostRatio(
    `${id} cold start to tools/list <= 1.5x node -e ''`,
    (m) => m.server(id, 'toolsListMs'),
    (m) => m.baseline('node', 'wallMs'),
    1.5,
    'ms',
  );
}

const CHROMIUM = '/usr/bin/chromium';

const puppeteerSuite: Suite = {
  id: 'puppeteer',
  title:
    'Puppeteer: ours vs @modelcontextprotocol/server-puppeteer on a generated 5,000-element page',
  owner: 'puppeteer',
  needs: ['page'],
  coldBaseline: 'node',
  subjects: [
    {
      id: 'puppeteer',
      label: 'puppeteer (ours)',
      role: 'ours',
      sources: [workspace('puppeteer')],
      args: () => [],
      envVars: () => ({ PUPPETEER_EXECUTABLE_PATH: CHROMIUM }),
      calls: () => [ping],
      heavy: (env) => [
        // The first navigation starts the browser.
        {
          name: 'navigate',
          request: toolCall('puppeteer_navigate', { url: need(env.pageUrl, 'the page') }),
          reps: 1,
        },
        { name: 'snapshot', request: toolCall('puppeteer_snapshot', {}), reps: 3 },
        {
          name: 'screenshot',
          request: toolCall('puppeteer_screenshot', { name: 'bench', fullPage: true }),
          reps: 3,
        },
      ],
    },
    {
      id: 'puppeteer-official',
      label: 'server-puppeteer',
      role: 'peer',
      sources: [PEERS.puppeteer],
      args: () => [],
      envVars: () => ({
        PUPPETEER_LAUNCH_OPTIONS: JSON.stringify({
          headless: true,
          executablePath: CHROMIUM,
          args: ['--no-sandbox'],
        }),
        // It refuses --no-sandbox (needed as root) without this.
        ALLOW_DANGEROUS: 'true',
      }),
      calls: () => [ping],
      heavy: (env) => [
        {
          name: 'navigate',
          request: toolCall('puppeteer_navigate', { url: need(env.pageUrl, 'the page') }),
          reps: 1,
        },
        {
          name: 'screenshot',
          request: toolCall('puppeteer_screenshot', { name: 'bench', width: 800, height: 600 }),
          reps: 3,
        },
      ],
    },
  ],
  baselines: [nodeBaseline],
  targets: [
    coldStartTarget('puppeteer'),
    atMost(
      'snapshot text of the 5,000-element page within the 64 KiB budget',
      (m) => m.server('puppeteer', 'heavy.snapshot.textBytes'),
      64 * 1024,
      'B',
    ),
    atMostRatio(
      'snapshot faster than our full-page screenshot',
      (m) => m.server('puppeteer', 'heavy.snapshot.ms'),
      (m) => m.server('puppeteer', 'heavy.screenshot.ms'),
      1,
      'ms',
    ),
    atMostRatio(
      "snapshot faster than the official server's screenshot",
      (m) => m.server('puppeteer', 'heavy.snapshot.ms'),
      (m) => m.server('puppeteer-official', 'heavy.screenshot.ms'),
      1,
      'ms',
    ),
  ],
};

/** What github/github-mcp-server's default tools/list weighs; servers/github's contract test uses it. */
const GITHUB_MCP_SERVER_DEFAULT_BYTES = 112_251;

const githubEnv = (): Record<string, string> => ({
  GITHUB_PERSONAL_ACCESS_TOKEN: 'github_pat_bench',
  // A closed loopback port: listing tools makes no API call.
  GITHUB_API_URL: 'http://127.0.0.1:9/',
});

const githubSuite: Suite = {
  id: 'github',
  title: 'GitHub: ours (default toolsets) vs @modelcontextprotocol/server-github, no API calls',
  owner: 'github',
  needs: [],
  coldBaseline: 'node',
  subjects: [
    {
      id: 'github',
      label: 'github (ours)',
      role: 'ours',
      sources: [workspace('github')],
      args: () => [],
      envVars: githubEnv,
      calls: () => [ping],
    },
    {
      id: 'github-official',
      label: 'server-github',
      role: 'peer',
      sources: [PEERS.github],
      args: () => [],
      envVars: githubEnv,
      calls: () => [ping],
    },
  ],
  baselines: [nodeBaseline],
  targets: [
    coldStartTarget('github'),
    atMost(
      `default tools/list <= 1/3 of github-mcp-server's (${String(GITHUB_MCP_SERVER_DEFAULT_BYTES)} B, not runnable here)`,
      (m) => m.server('github', 'toolsListBytes'),
      GITHUB_MCP_SERVER_DEFAULT_BYTES / 3,
      'B',
    ),
  ],
};

const slackEnv = (): Record<string, string> => ({
  SLACK_BOT_TOKEN: 'xoxb-bench',
  SLACK_TEAM_ID: 'T01234567',
  SLACK_API_URL: 'http://127.0.0.1:9/api/',
});

const slackSuite: Suite = {
  id: 'slack',
  title: 'Slack: ours vs @modelcontextprotocol/server-slack, dummy token, no API calls',
  owner: 'slack',
  needs: [],
  coldBaseline: 'node',
  subjects: [
    {
      id: 'slack',
      label: 'slack (ours)',
      role: 'ours',
      sources: [workspace('slack')],
      args: () => [],
      envVars: slackEnv,
      calls: () => [ping],
    },
    {
      id: 'slack-official',
      label: 'server-slack',
      role: 'peer',
      sources: [PEERS.slack],
      args: () => [],
      envVars: slackEnv,
      calls: () => [ping],
    },
  ],
  baselines: [nodeBaseline],
  targets: [coldStartTarget('slack')],
};

function google(env: SuiteEnv): NonNullable<SuiteEnv['google']> {
  if (env.google === undefined) throw new Error('the gdrive suite needs the generated credentials');
  return env.google;
}

const gdriveSuite: Suite = {
  id: 'gdrive',
  title: 'Google Drive: ours vs @modelcontextprotocol/server-gdrive, throw-away credentials',
  owner: 'gdrive',
  needs: ['google-credentials'],
  coldBaseline: 'node',
  subjects: [
    {
      id: 'gdrive',
      label: 'gdrive (ours)',
      role: 'ours',
      sources: [workspace('gdrive')],
      args: () => [],
      envVars: (env) => ({
        GOOGLE_APPLICATION_CREDENTIALS: google(env).serviceAccountKey,
        // No saved sign-in: the service-account key is used.
        GDRIVE_CREDENTIALS_PATH: join(env.cache, 'google-credentials', 'absent.json'),
      }),
      calls: () => [ping],
    },
    {
      id: 'gdrive-official',
      label: 'server-gdrive',
      role: 'peer',
      sources: [PEERS.gdrive],
      args: () => [],
      envVars: (env) => ({ GDRIVE_CREDENTIALS_PATH: google(env).officialCredentials }),
      calls: () => [ping],
    },
  ],
  baselines: [nodeBaseline],
  targets: [coldStartTarget('gdrive')],
};

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
