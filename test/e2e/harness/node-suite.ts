/**
 * What every suite on the real node does first and last, once: note the host's state, build the toolchain
 * (noting what each build took), start the single-node cluster, install ESO by its chart; at the end stop the
 * cluster and the suite's own servers by PID, print the figures and check the host is as it was
 * (host.ts). The state lives in the object, so `end()` cleans up whatever `start()` got to, also when a
 * step of it failed.
 *
 *   const suite = new NodeSuite('operations');
 *   beforeAll(() => suite.start(), SUITE_SETUP_MS);
 *   afterAll(() => suite.end(keyVault));
 */
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { EsoValuesOptions } from '../../../stacks/eso-release';
import type { KubeClient } from '../../support/kube-client';
import type { ControlPlane } from './control-plane';
import { installEso } from './eso-install';
import { type HostSnapshot, hostSnapshot } from './host';
import { NodeCluster } from './node-cluster';
import { buildSeconds, buildTargets } from './toolchain';

/** How long a suite's setup may take: the first run on a machine builds the toolchain. */
export const SUITE_SETUP_MS = 60 * 60 * 1000;

/** The toolchain of a node suite with ESO: the cluster's programs and images, ESO's controller and helm. */
export type NodeSuiteTools = Record<'kube' | 'eso' | 'helm' | 'node' | 'images', string>;

export interface NodeSuiteOptions {
  /**
   * Install ESO by its chart with the stack's values.
   * @default true
   */
  readonly eso?: boolean;
  /**
   * The stack settings ESO is installed with (esoChartValues' options).
   * @default - a stack's defaults without a catalogue
   */
  readonly esoValues?: EsoValuesOptions;
}

export class NodeSuite {
  readonly figures: string[] = [];
  #tools?: NodeSuiteTools;
  #cluster?: NodeCluster;
  #before?: HostSnapshot;

  constructor(readonly title: string) {}

  /** Builds what is missing, starts the cluster and installs ESO; records each step's time in the figures. */
  async start(options: NodeSuiteOptions = {}): Promise<void> {
    this.#before = hostSnapshot();
    let t = Date.now();
    const tools = buildTargets('kube', 'eso', 'helm', 'node', 'images');
    this.#tools = tools;
    this.figures.push(
      `toolchain ready in ${seconds(t)} s (the builds that filled the cache took: ${Object.entries(tools)
        .map(([target, dir]) => `${target} ${buildSeconds(dir)} s`)
        .join(', ')})`,
    );
    this.#cluster = new NodeCluster(tools);
    await this.#cluster.start();
    this.figures.push(
      `cluster up: ${Object.entries(this.#cluster.startup)
        .map(([step, s]) => `${step} ${s.toFixed(1)} s`)
        .join(', ')}`,
    );
    if (options.eso ?? true) {
      t = Date.now();
      await installEso(this.#cluster, join(tools.helm, 'helm'), options.esoValues);
      this.figures.push(`ESO installed by its chart, controller Ready in ${seconds(t)} s`);
    }
  }

  get tools(): NodeSuiteTools {
    return started(this.#tools);
  }

  get cluster(): NodeCluster {
    return started(this.#cluster);
  }

  get cp(): ControlPlane {
    return this.cluster.controlPlane;
  }

  /** The cluster's administrator (system:masters). */
  get admin(): KubeClient {
    return this.cluster.client('admin');
  }

  /** The product's deployer, as the stack deploys: only what the deployers' groups may do. */
  get deployer(): KubeClient {
    return this.cluster.client('deployer');
  }

  /** Stops the cluster and `servers` by PID, prints the figures, and checks the host is as before (in jest). */
  async end(...servers: readonly ({ stop(): Promise<void> } | undefined)[]): Promise<void> {
    const problems = await this.#stopAll(servers);
    console.log(`${this.title} figures:\n  ${this.figures.join('\n  ')}`);
    expect(problems).toEqual([]);
    if (this.#before) expect(hostSnapshot()).toEqual(this.#before);
  }

  /**
   * The same outside jest (the benchmarks): stops everything by PID and returns what is not as it was, empty
   * when the host is back as before.
   */
  async stop(...servers: readonly ({ stop(): Promise<void> } | undefined)[]): Promise<string[]> {
    const problems = await this.#stopAll(servers);
    if (this.#before && !isDeepStrictEqual(hostSnapshot(), this.#before))
      problems.push('the host differs from before the run (hostSnapshot)');
    return problems;
  }

  /** Stops the cluster, then the suite's servers; returns what the cluster could not undo. */
  async #stopAll(servers: readonly ({ stop(): Promise<void> } | undefined)[]): Promise<string[]> {
    const problems = (await this.#cluster?.stop()) ?? [];
    for (const server of servers) await server?.stop();
    return problems;
  }
}

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('NodeSuite: start() has not finished');
  return value;
}
