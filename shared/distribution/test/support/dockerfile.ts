/**
 * @module
 * The repository's one Dockerfile as the build for one server sees it: instructions parsed
 * (continuation lines joined, comments dropped), `${SERVER}` replaced by the build argument, and
 * only the stages that build reaches (`FROM os-${SERVER} AS runtime` picks the server's own system
 * stage). No image can be built on this machine, so this is what the tests read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './workspace.js';

export const dockerfilePath = join(repoRoot, 'Dockerfile');

/** One parsed instruction. */
export interface Instruction {
  readonly op: string;
  readonly rest: string;
}

/** One stage: its `FROM` (what it starts from, its name) and the instructions after it. */
export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly steps: readonly Instruction[];
}

export interface ServerDockerfile {
  /** The ARG instructions before the first FROM (the global build arguments). */
  readonly globals: readonly Instruction[];
  /** Every stage, in file order. */
  readonly stages: readonly Stage[];
  /** The stage named `name`, or undefined. */
  stage(name: string): Stage | undefined;
  /** The instructions of the final image: its system stage's, then the runtime stage's. */
  readonly runtime: readonly Instruction[];
}

function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), rest: rest.join(' ') };
    });
}

/** The Dockerfile as `docker build --build-arg SERVER=<id>` reads it. */
export function dockerfileFor(id: string): ServerDockerfile {
  const all = instructions(readFileSync(dockerfilePath, 'utf8').replaceAll('${SERVER}', id));
  const first = all.findIndex((step) => step.op === 'FROM');
  const stages: Stage[] = [];
  for (const step of all.slice(first)) {
    if (step.op === 'FROM') {
      const [from = '', , name] = step.rest.split(/\s+/);
      stages.push({ from, name, steps: [] });
    } else (stages.at(-1)?.steps as Instruction[]).push(step);
  }
  const stage = (name: string): Stage | undefined => stages.find((entry) => entry.name === name);
  const runtime = stage('runtime');
  const system = runtime === undefined ? undefined : stage(runtime.from);
  return {
    globals: all.slice(0, first),
    stages,
    stage,
    runtime: [...(system?.steps ?? []), ...(runtime?.steps ?? [])],
  };
}
