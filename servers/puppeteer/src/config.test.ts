import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FlagValue } from '@plugboard/kit/cli';
import { tmpDir } from '@plugboard/testing';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

const flags = (values: Record<string, FlagValue>) => new Map(Object.entries(values));

describe('parseConfig', () => {
  it('defaults to a closed private network, open loopback, no evaluate, no uploads, no downloads', () => {
    const config = parseConfig(flags({}), {}, '/');
    expect(config).toMatchObject({
      policy: {
        allowOrigins: [],
        blockOrigins: [],
        onlyAllowedOrigins: false,
        allowPrivateNetwork: false,
        blockLoopback: false,
      },
      allowEvaluate: false,
      uploadDirs: [],
      downloadsDir: undefined,
      noSandbox: false,
      timeoutMs: 30_000,
      maxTabs: 8,
      outputBudget: 65_536,
      dangerous: [],
    });
  });

  it('reads the operator switches and canonicalises directories', async () => {
    await using dir = await tmpDir();
    await mkdir(join(dir.path, 'up'));
    await symlink(join(dir.path, 'up'), join(dir.path, 'link'));
    const config = parseConfig(
      flags({
        'allow-origin': ['http://intranet:8080', '*.corp.example'],
        'block-origin': ['ads.example'],
        'allow-private-network': true,
        'block-loopback': true,
        'upload-dir': ['link'],
        'downloads-dir': 'up',
        'profiles-dir': 'link',
        'allow-evaluate': true,
        timeout: 5000,
      }),
      { PUPPETEER_EXECUTABLE_PATH: '/opt/chrome', HOME: '/root' },
      dir.path,
    );
    expect(config.policy.allowOrigins.map((pattern) => pattern.text)).toEqual([
      'http://intranet:8080',
      '*.corp.example',
    ]);
    expect(config.policy.allowPrivateNetwork).toBe(true);
    expect(config.uploadDirs).toEqual([join(dir.path, 'up')]);
    expect(config.downloadsDir).toBe(join(dir.path, 'up'));
    expect(config.profilesDir).toBe(join(dir.path, 'up'));
    expect(config.discoveryEnv.PUPPETEER_EXECUTABLE_PATH).toBe('/opt/chrome');
    expect(config.discoveryEnv).not.toHaveProperty('HOME');
  });

  it('fails on bad configuration with a message naming the fix', async () => {
    await using dir = await tmpDir();
    await writeFile(join(dir.path, 'file'), 'x');
    expect(() =>
      parseConfig(flags({ 'allow-origin': ['https://x.example/path'] }), {}, '/'),
    ).toThrow('--allow-origin');
    expect(() => parseConfig(flags({ 'only-allowed-origins': true }), {}, '/')).toThrow(
      'needs at least one --allow-origin',
    );
    expect(() => parseConfig(flags({ 'upload-dir': ['missing'] }), {}, dir.path)).toThrow(
      'does not exist',
    );
    expect(() => parseConfig(flags({ 'upload-dir': ['file'] }), {}, dir.path)).toThrow(
      'is not a directory',
    );
    expect(() => parseConfig(flags({ 'profiles-dir': 'missing' }), {}, dir.path)).toThrow(
      '--profiles-dir missing does not exist',
    );
    expect(() =>
      parseConfig(
        flags({ 'profiles-dir': '.' }),
        { PUPPETEER_LAUNCH_OPTIONS: '{"userDataDir":"/tmp/p"}', ALLOW_DANGEROUS: 'true' },
        dir.path,
      ),
    ).toThrow('--profiles-dir and a userDataDir');
    expect(() => parseConfig(flags({ timeout: 10 }), {}, '/')).toThrow('--timeout must be between');
    expect(() =>
      parseConfig(flags({}), { PUPPETEER_LAUNCH_OPTIONS: '{"args":["--no-sandbox"]}' }, '/'),
    ).toThrow('ALLOW_DANGEROUS=true');
    expect(
      parseConfig(
        flags({}),
        { PUPPETEER_LAUNCH_OPTIONS: '{"args":["--no-sandbox"]}', ALLOW_DANGEROUS: 'true' },
        '/',
      ).dangerous,
    ).toEqual(['--no-sandbox']);
  });
});
