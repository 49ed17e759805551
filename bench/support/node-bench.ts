/**
 * What the benchmarks on the node share (bench:e2e, bench:eso): the e2e catalogue's secret plane applied as the
 * stack applies it, the Key Vault stand-in holding a value for each of its vault secrets, the masters re-reading
 * it every MASTER_REFRESH_SECONDS; a table printer; and a runner that stops every process it started and says
 * when the host is not as it was.
 */
import { join } from 'node:path';
import { synthesizeCluster } from '../../plane';
import { withDeletionPropagation } from '../../stacks/deletion-propagation';
import { type Catalogue, loadCatalogue } from '../../tenants/lib';
import type { KubeObject } from '../../test/support/kube-client';
import { KeyVaultStandIn } from '../../test/e2e/harness/key-vault-stand-in';
import type { Relay } from '../../test/e2e/harness/node-cluster';
import { adaptForNode } from '../../test/e2e/harness/node-adaptations';
import type { NodeSuite } from '../../test/e2e/harness/node-suite';
import { applyAsPulumi } from '../../test/e2e/harness/pulumi-apply';

/** The catalogue the benchmarks deploy: the e2e suite's (one cluster, `e2e`; tenant `payments` requests `rotation`). */
export const BENCH_CATALOGUE = join(__dirname, '..', '..', 'test', 'e2e', 'catalogue');
export const MASTER_REFRESH_SECONDS = 5;

/** A value for every vault secret the catalogue reads; `rotation-token` is the one the benchmarks rotate. */
const VAULT: Readonly<Record<string, string>> = {
  'registry-username': 'u',
  'registry-password': 'p',
  'gitops-username': 'g',
  'gitops-token': 't',
  'deploy-key-private': 'k',
  'oauth-client-id': 'c',
  'oauth-client-secret': 's',
  'wildcard-crt': 'c',
  'wildcard-key': 'k',
  'wildcard-ca': 'a',
  'rotation-token': 'v0',
  'payments--signing-key': 'sk',
};

export interface BenchNode {
  readonly keyVault: KeyVaultStandIn;
  /** The stand-in's relay into the pods' namespace, which an outage cuts. */
  readonly relay: Relay;
  /** The objects applied: the catalogue's, adapted to the node. */
  readonly objects: KubeObject[];
  /** Writes values into the stand-in, over those it holds (`rotation-token` is the rotated credential's). */
  readonly setVault: (entries: Readonly<Record<string, string>>) => void;
}

/** Starts the node and the stand-in and applies `catalogue`'s cluster `e2e` as the stack would. */
export async function startBenchNode(
  suite: NodeSuite,
  log: (line: string) => void,
  catalogue: Catalogue = loadCatalogue(BENCH_CATALOGUE),
): Promise<BenchNode> {
  log('starting the node cluster (the first run on a machine builds the toolchain)');
  await suite.start();
  const keyVault = new KeyVaultStandIn();
  await keyVault.start();
  const values = { ...VAULT };
  keyVault.set(values);
  const relay = await suite.cluster.forward([keyVault.address]);
  const manifests = synthesizeCluster(catalogue, 'e2e');
  const objects = adaptForNode([...manifests.clusterScoped, ...manifests.namespaced].map(withDeletionPropagation) as KubeObject[], {
    server: suite.cp.server,
    vaultUrl: keyVault.webhookUrl,
    masterRefreshInterval: `${MASTER_REFRESH_SECONDS}s`,
  });
  await applyAsPulumi(suite.deployer, objects);
  return { keyVault, relay, objects, setVault: (entries) => keyVault.set(Object.assign(values, entries)) };
}

/** Seconds since `t` (from Date.now()). */
export const since = (t: number) => (Date.now() - t) / 1000;

/** Progress lines on stderr, prefixed with the benchmark's name; the table goes to stdout. */
export const benchLog = (name: string) => (line: string) => process.stderr.write(`[${name}] ${line}\n`);

/** A table with a header row, each column right-aligned to its widest cell. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => cell.padStart(widths[c])).join('  ')).join('\n');
}

/** Runs a benchmark; whatever happens, stops the suite and `servers` and exits non-zero if the host is not as it was. */
export function runBench(
  suite: NodeSuite,
  main: () => Promise<void>,
  servers: () => readonly ({ stop(): Promise<void> } | undefined)[],
): void {
  main()
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(async () => {
      const problems = await suite.stop(...servers());
      if (problems.length > 0) {
        console.error(`the host is not as it was: ${problems.join('; ')}`);
        process.exitCode = 1;
      }
    });
}
