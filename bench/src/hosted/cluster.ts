/**
 * @module
 * The hosted deployment the load run measures: a throwaway Redis, several instances of one
 * server with `--transport http --store redis://…` and the same request-state key, and nginx in
 * front of them with the site file of `deploy/` as it is written there (round robin, no
 * affinity). One instance can be killed with SIGKILL, as a crash would.
 */
import { freePort, startNginx, startRedis, type Nginx, type RedisServer } from '@plugboard/peers';
import { randomBytes } from 'node:crypto';
import { launch, terminate, type ChildRegistry, type Launched } from '../launch.js';
import { waitForPort } from '../ports.js';

export interface ClusterPlan {
  /** The server's command (node and its entry); the HTTP and store flags are added. */
  argv: readonly string[];
  instances: number;
  redisBinary: string;
  nginxBinary: string;
  /** The text of the nginx site file. */
  site: string;
}

export interface Cluster {
  /** nginx's port on 127.0.0.1. */
  readonly port: number;
  /** Kills instance `index` with SIGKILL and waits until it is gone. */
  kill(index: number): Promise<void>;
  stop(): Promise<void>;
}

interface Instance {
  readonly launched: Launched;
  readonly port: number;
}

async function startInstance(
  plan: ClusterPlan,
  store: string,
  key: string,
  registry: ChildRegistry,
): Promise<Instance> {
  const port = await freePort();
  const launched = launch(
    {
      argv: [
        ...plan.argv,
        ...['--transport', 'http', '--port', String(port), '--store', store],
        ...['--log-level', 'warn'],
      ],
      env: { MCP_REQUEST_STATE_KEY: key },
    },
    registry,
  );
  launched.child.stdout.resume();
  let exited = false;
  void launched.exited.then(() => (exited = true));
  if (!(await waitForPort(port, 20_000, () => exited))) {
    await terminate(launched);
    throw new Error(`an instance did not listen on ${port}: ${launched.stderrTail()}`);
  }
  return { launched, port };
}

export async function startCluster(plan: ClusterPlan, registry: ChildRegistry): Promise<Cluster> {
  const redis: RedisServer = await startRedis(plan.redisBinary);
  const instances: Instance[] = [];
  let nginx: Nginx | undefined;
  const stop = async (): Promise<void> => {
    await nginx?.close();
    await Promise.all(instances.map((instance) => terminate(instance.launched)));
    await redis.close();
  };
  try {
    // One key for every instance, as the deployment's secret would be.
    const key = randomBytes(32).toString('base64url');
    for (let i = 0; i < plan.instances; i++)
      instances.push(await startInstance(plan, redis.url, key, registry));
    nginx = await startNginx(
      plan.nginxBinary,
      plan.site,
      instances.map((instance) => instance.port),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port: Number(new URL(nginx.url).port),
    async kill(index) {
      const victim = instances[index]?.launched;
      if (victim === undefined) throw new Error(`no instance ${index}`);
      victim.child.kill('SIGKILL');
      await victim.exited;
    },
    stop,
  };
}
