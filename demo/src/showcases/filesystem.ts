/**
 * @module
 * The filesystem stop: a small project in a temp directory, the only directory the server may
 * touch. It lists, reads, searches names and contents, previews an edit as a diff, writes a file,
 * and shows that a path outside the sandbox is refused.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Showcase } from '../showcase.js';

const FILES: Readonly<Record<string, string>> = {
  'README.md': [
    '# Pocket notes',
    '',
    'A tiny note-taking library the demo creates for the filesystem server to explore.',
    '',
    '- `src/notes.ts`: the library',
    '- `docs/guide.md`: how to use it',
  ].join('\n'),
  'src/notes.ts': [
    'export interface Note {',
    '  id: string;',
    '  text: string;',
    '}',
    '',
    'export function createNote(id: string, text: string): Note {',
    '  return { id, text };',
    '}',
  ].join('\n'),
  'src/notes.test.ts': "import { createNote } from './notes.js';\n\ncreateNote('a', 'first');\n",
  'docs/guide.md': '# Guide\n\nCall `createNote(id, text)` and keep the result.\n',
  'data/settings.json': JSON.stringify({ theme: 'dark', autosave: true }, null, 2),
};

export const filesystemShowcase: Showcase = {
  name: 'filesystem',
  packageName: '@plugboard/server-filesystem',
  folder: 'servers/filesystem',
  summary: 'File access confined to the directories you allow.',
  async prepare(workDir) {
    const project = join(workDir, 'project');
    for (const [path, text] of Object.entries(FILES)) {
      await mkdir(join(project, path, '..'), { recursive: true });
      await writeFile(join(project, path), `${text}\n`);
    }
    const at = (path: string): string => join(project, path);
    return {
      args: [project],
      notes: [
        `allowed directory: ${project} (${Object.keys(FILES).length} files created for the demo)`,
      ],
      async run(session) {
        await session.call(
          'list_allowed_directories',
          {},
          'Which directories may this server touch?',
        );
        await session.call('directory_tree', { path: project }, 'The whole project as a tree.');
        await session.call(
          'read_text_file',
          { path: at('README.md'), head: 3 },
          'The first lines of a file.',
        );
        await session.call(
          'search_files',
          { path: project, pattern: '**/*.ts' },
          'Find files by glob.',
        );
        await session.call(
          'search_file_contents',
          { path: project, query: 'createNote' },
          'Find text inside files.',
        );
        await session.call(
          'edit_file',
          {
            path: at('src/notes.ts'),
            edits: [{ oldText: '  text: string;', newText: '  text: string;\n  tags: string[];' }],
            dryRun: true,
          },
          'Preview an edit as a diff without writing it (dryRun).',
        );
        await session.call(
          'write_file',
          { path: at('docs/changelog.md'), content: '# Changelog\n\n- 0.1.0: first release\n' },
          'Create a file.',
        );
        await session.call(
          'get_file_info',
          { path: at('docs/changelog.md') },
          'Metadata of the new file.',
        );
        await session.call(
          'read_text_file',
          { path: '/etc/passwd' },
          'Outside the allowed directory: the server must refuse.',
        );
      },
    };
  },
};
