/**
 * @module
 * Registry entries: each server's `server.json` validates against the MCP registry's documented
 * schema (kept as test data in `test/data/server.schema.json`, never fetched), names the same
 * server as `mcpName` in package.json and the image label, lists the npm package at its current
 * version and the OCI image, and marks secrets. Changesets version each package independently.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { dockerfileFor } from './support/dockerfile.js';
import { listServers, repoRoot } from './support/workspace.js';

interface EnvVar {
  readonly name: string;
  readonly isSecret?: boolean;
  readonly isRequired?: boolean;
}
interface RegistryPackage {
  readonly registryType: string;
  readonly identifier: string;
  readonly version?: string;
  readonly transport: { readonly type: string };
  readonly environmentVariables?: readonly EnvVar[];
}
interface ServerJson {
  readonly name: string;
  readonly version: string;
  readonly packages: readonly RegistryPackage[];
}

const schema = JSON.parse(
  readFileSync(new URL('data/server.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** Env names that carry credentials and must be marked secret. */
const secretName = /TOKEN|SECRET|PASSWORD|DATABASE_URL/;

describe('the schema test data', () => {
  it('rejects the snake_case fields the registry dropped and a version range', () => {
    expect(validate({ name: 'io.github.x/y', description: 'd', version: '^1.0.0' })).toBe(false);
    expect(
      validate({
        name: 'io.github.x/y',
        description: 'd',
        version: '1.0.0',
        packages: [{ registry_type: 'npm', identifier: 'y', transport: { type: 'stdio' } }],
      }),
    ).toBe(false);
    expect(validate({ name: 'no-slash', description: 'd', version: '1.0.0' })).toBe(false);
  });
});

for (const server of listServers()) {
  describe(`${server.pkg.name} server.json`, () => {
    const path = join(server.dir, 'server.json');
    it('exists and validates against the registry schema', () => {
      expect(existsSync(path)).toBe(true);
      const doc: unknown = JSON.parse(readFileSync(path, 'utf8'));
      const valid = validate(doc);
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(valid).toBe(true);
    });
    if (!existsSync(path)) return;
    const doc = JSON.parse(readFileSync(path, 'utf8')) as ServerJson;

    it('names the same server as mcpName in package.json and the Dockerfile label', () => {
      expect(server.pkg.mcpName).toBe(doc.name);
      expect(doc.name).toMatch(/^io\.github\.[^/]+\/server-/);
      const labels = dockerfileFor(server.id)
        .runtime.filter((step) => step.op === 'LABEL')
        .map((step) => step.rest)
        .join(' ');
      expect(labels).toContain(`io.modelcontextprotocol.server.name="${doc.name}"`);
    });

    it('lists the npm package at the package version and the OCI image, both over stdio', () => {
      expect(doc.version).toBe(server.pkg.version);
      const npm = doc.packages.find((entry) => entry.registryType === 'npm');
      expect(npm).toMatchObject({
        identifier: server.pkg.name,
        version: server.pkg.version,
        transport: { type: 'stdio' },
      });
      const oci = doc.packages.find((entry) => entry.registryType === 'oci');
      expect(oci?.identifier).toMatch(
        new RegExp(
          `^docker\\.io/plugboard/server-${server.id}:${server.pkg.version.replace(/\./g, '\\.')}$`,
        ),
      );
      expect(oci?.transport.type).toBe('stdio');
    });

    it('marks every credential variable secret, the same way in every package', () => {
      const lists = doc.packages.map((entry) => entry.environmentVariables ?? []);
      for (const list of lists) {
        for (const variable of list) {
          if (secretName.test(variable.name)) expect(variable.isSecret, variable.name).toBe(true);
          expect(typeof variable.isRequired, variable.name).toBe('boolean');
        }
        expect(list).toEqual(lists[0]);
      }
    });
  });
}

describe('changesets', () => {
  const config = JSON.parse(readFileSync(join(repoRoot, '.changeset/config.json'), 'utf8')) as {
    fixed: unknown[];
    linked: unknown[];
    access: string;
    privatePackages: { version: boolean; tag: boolean };
  };
  it('versions each package independently, publishes publicly and leaves private packages alone', () => {
    expect(config.fixed).toEqual([]);
    expect(config.linked).toEqual([]);
    expect(config.access).toBe('public');
    expect(config.privatePackages).toEqual({ version: false, tag: false });
  });

  it('finds every server as a publishable (non-private) package', () => {
    for (const server of listServers()) expect(server.pkg.private, server.pkg.name).not.toBe(true);
  });
});
