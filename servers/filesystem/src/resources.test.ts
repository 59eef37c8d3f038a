import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, startHarness, type Fixture, type Harness } from '../test/harness.js';

let fixture: Fixture;
let harness: Harness;
const uri = (file: string): string => pathToFileURL(file).href;

beforeEach(async () => {
  fixture = await createFixture();
  await fs.mkdir(path.join(fixture.allowed, 'src'));
  await fs.writeFile(path.join(fixture.allowed, 'src', 'main.ts'), 'export {};\n');
  await fs.writeFile(path.join(fixture.allowed, 'logo.png'), Buffer.from([0x89, 0x50, 0, 1]));
  await fs.symlink(path.join(fixture.outside, 'canary.txt'), path.join(fixture.allowed, 'flink'));
  harness = await startHarness({ directories: [fixture.allowed] });
});

afterEach(async () => {
  await harness.close();
  await fixture.cleanup();
});

describe('file:// resources', () => {
  it('publish one template and list the files directly inside each allowed directory', async () => {
    const { resourceTemplates } = await harness.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual(['file://{+path}']);
    const { resources } = await harness.client.listResources();
    expect(resources.map((resource) => resource.name)).toEqual(['hello.txt', 'logo.png']);
    expect(resources[0]).toMatchObject({
      uri: uri(path.join(fixture.allowed, 'hello.txt')),
      mimeType: 'text/plain',
    });
  });

  it('read text as text, binary as base64 and directories as a listing', async () => {
    const text = await harness.client.readResource({
      uri: uri(path.join(fixture.allowed, 'src', 'main.ts')),
    });
    expect(text.contents).toEqual([
      {
        uri: uri(path.join(fixture.allowed, 'src', 'main.ts')),
        mimeType: 'text/x-typescript',
        text: 'export {};\n',
      },
    ]);
    const binary = await harness.client.readResource({
      uri: uri(path.join(fixture.allowed, 'logo.png')),
    });
    expect(binary.contents[0]).toMatchObject({
      mimeType: 'image/png',
      blob: Buffer.from([0x89, 0x50, 0, 1]).toString('base64'),
    });
    const directory = await harness.client.readResource({ uri: uri(fixture.allowed) });
    expect(directory.contents[0]).toMatchObject({
      text: '[LINK] flink\n[FILE] hello.txt\n[FILE] logo.png\n[DIR] src',
    });
  });

  it('refuse what the tools refuse, and say when a file is missing', async () => {
    await expect(
      harness.client.readResource({ uri: uri(path.join(fixture.allowed, 'flink')) }),
    ).rejects.toMatchObject({ code: -32602 });
    await expect(
      harness.client.readResource({ uri: uri(path.join(fixture.outside, 'canary.txt')) }),
    ).rejects.toMatchObject({ code: -32602 });
    await expect(
      harness.client.readResource({ uri: `${uri(fixture.allowed)}/%2e%2e/outside/canary.txt` }),
    ).rejects.toMatchObject({ code: -32602 });
    await expect(
      harness.client.readResource({ uri: 'file://otherhost/etc/passwd' }),
    ).rejects.toMatchObject({ code: -32602 });
    await expect(
      harness.client.readResource({ uri: uri(path.join(fixture.allowed, 'nope.txt')) }),
    ).rejects.toMatchObject({ code: -32002 });
  });

  it('complete paths inside the allowed directories only', async () => {
    const complete = async (value: string): Promise<string[]> =>
      (
        await harness.client.complete({
          ref: { type: 'ref/resource', uri: 'file://{+path}' },
          argument: { name: 'path', value },
        })
      ).completion.values;
    expect(await complete('')).toEqual([`${fixture.allowed}/`]);
    expect(await complete(`${fixture.allowed}/`)).toEqual(
      ['flink', 'hello.txt', 'logo.png', 'src/'].map((name) => `${fixture.allowed}/${name}`),
    );
    expect(await complete(`${fixture.allowed}/s`)).toEqual([`${fixture.allowed}/src/`]);
    expect(await complete(`${fixture.outside}/`)).toEqual([]);
    expect(await complete(`${fixture.allowed}/flink/`)).toEqual([]);
  });
});
