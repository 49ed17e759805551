/**
 * A fake cluster for the operational commands: ESO, Reloader and workload controllers modelled closely enough
 * to test rotate and recover. Every `sleep` of the fake clock is one round of reconciles: an ExternalSecret
 * whose annotations changed is re-read (unless it is made to fail), writing the master from the vault or a
 * copy from the master as it is at that moment; a workload whose template changed finishes rolling.
 */
import { createHash } from 'node:crypto';
import type { Condition, ExternalSecretState } from '../../../cli/operations/resync';
import type { Clock, Distribution, ForceSyncTarget, RotationCluster, SecretVersion } from '../../../cli/operations/rotation';
import type { RecoveryCluster } from '../../../cli/operations/recovery';
import type { WorkloadKind, WorkloadState } from '../../../cli/operations/workloads';

interface FakeExternalSecret {
  namespace: string;
  name: string;
  target: string;
  annotations: Record<string, string>;
  syncedResourceVersion: string;
  refreshTime: string;
  conditions: Condition[];
  /** Fails every reconcile with this message. */
  failing?: string;
}

interface FakeSecret {
  value: string;
  resourceVersion: number;
}

interface FakeWorkload {
  state: WorkloadState;
  annotations: Record<string, string>;
  /** Never finishes rolling. */
  stuck?: boolean;
  /** Its controller gives up rolling it, with this reason. */
  fails?: string;
}

export interface FakeOptions {
  readonly namespaces: readonly string[];
  readonly credential?: string;
  /** The value in the vault, which the master holds at the start. */
  readonly value?: string;
  readonly reloader?: boolean;
  /**
   * ESO mirrors a distribution's force-sync onto its copies and re-reads them before the command patches the
   * copies itself (whose patch then changes nothing and comes two seconds later).
   */
  readonly mirrorFirst?: boolean;
  /**
   * Within a round of reconciles, the copies before the master: ESO keeps no order between them, and this is
   * the order in which a copy asked together with its master reads the master's old value.
   * @default false
   */
  readonly copiesFirst?: boolean;
}

const meta = (annotations: Record<string, string>) =>
  `1-${createHash('sha256').update(JSON.stringify(annotations)).digest('hex').slice(0, 8)}`;

export class FakeCluster implements RotationCluster, RecoveryCluster {
  readonly centralNamespace = 'central-secret-store';
  readonly credential: string;
  /** What the command did, in order. */
  readonly events: string[] = [];
  vaultValue: string;
  readonly externalSecrets = new Map<string, FakeExternalSecret>();
  readonly secrets = new Map<string, FakeSecret>();
  readonly workloadsById = new Map<string, FakeWorkload>();
  readonly stores = new Map<string, { conditions: Condition[]; annotations: Record<string, string>; failing?: string }>();
  readonly distributionNames: string[];
  private version = 100;
  readonly clock: Clock & { time: number };
  reloader: boolean;
  private readonly mirrorFirst: boolean;
  private readonly copiesFirst: boolean;

  constructor(options: FakeOptions) {
    this.mirrorFirst = options.mirrorFirst ?? false;
    this.copiesFirst = options.copiesFirst ?? false;
    this.credential = options.credential ?? 'registry';
    this.vaultValue = options.value ?? 'OLD-SECRET-VALUE';
    this.reloader = options.reloader ?? false;
    const fake = this;
    this.clock = {
      time: Date.parse('2026-11-23T12:00:00Z'),
      now() {
        return this.time;
      },
      async sleep(ms: number) {
        this.time += ms;
        fake.reconcile();
      },
    };
    const started = new Date(this.clock.time - 60_000).toISOString();
    const es = (namespace: string, name: string): FakeExternalSecret => ({
      namespace,
      name,
      target: name,
      annotations: {},
      syncedResourceVersion: meta({}),
      refreshTime: started,
      conditions: [{ type: 'Ready', status: 'True', reason: 'SecretSynced' }],
    });
    this.externalSecrets.set(`${this.centralNamespace}/${this.credential}`, es(this.centralNamespace, this.credential));
    this.secrets.set(`${this.centralNamespace}/${this.credential}`, { value: this.vaultValue, resourceVersion: this.version++ });
    this.distributionNames = [`${this.credential}-dockerconfigjson`];
    for (const namespace of options.namespaces) {
      const copy = es(namespace, this.distributionNames[0]);
      this.externalSecrets.set(`${namespace}/${copy.name}`, copy);
      this.secrets.set(`${namespace}/${copy.target}`, { value: `rendered(${this.vaultValue})`, resourceVersion: this.version++ });
    }
    for (const name of ['keyvault', `central-${this.credential}`])
      this.stores.set(name, { conditions: [{ type: 'Ready', status: 'True' }], annotations: {} });
  }

  /** The most workloads rolling at one time, as a controller would see them. */
  maxRolling = 0;

  addWorkload(
    namespace: string,
    name: string,
    options: { optedIn: boolean; secrets: string[]; kind?: WorkloadKind; stuck?: boolean; fails?: string },
  ): void {
    const kind = options.kind ?? 'Deployment';
    this.workloadsById.set(`${kind}/${namespace}/${name}`, {
      state: { kind, namespace, name, optedIn: options.optedIn, secrets: options.secrets, generation: 1, rolledOut: true },
      annotations: {},
      stuck: options.stuck || options.fails !== undefined,
      fails: options.fails,
    });
  }

  copySecretName(): string {
    return this.distributionNames[0];
  }

  /** One round of reconciles. */
  reconcile(): void {
    for (const store of this.stores.values()) {
      store.conditions = store.failing
        ? [{ type: 'Ready', status: 'False', reason: 'InvalidProviderConfig', message: store.failing }]
        : [{ type: 'Ready', status: 'True' }];
    }
    // Copies read whatever the master holds at that moment of the round.
    const masterFirst = (a: FakeExternalSecret, b: FakeExternalSecret) =>
      Number(b.namespace === this.centralNamespace) - Number(a.namespace === this.centralNamespace);
    const ordered = [...this.externalSecrets.values()].sort((a, b) => (this.copiesFirst ? -1 : 1) * masterFirst(a, b));
    for (const es of ordered) {
      const wanted = meta(es.annotations);
      if (es.syncedResourceVersion === wanted && !es.failing) continue;
      if (es.failing) {
        es.conditions = [{ type: 'Ready', status: 'False', reason: 'SecretSyncedError', message: es.failing }];
        continue;
      }
      const value =
        es.namespace === this.centralNamespace
          ? this.vaultValue
          : `rendered(${this.secrets.get(`${this.centralNamespace}/${this.credential}`)!.value})`;
      const secret = this.secrets.get(`${es.namespace}/${es.target}`)!;
      if (secret.value !== value) {
        secret.value = value;
        secret.resourceVersion = this.version++;
        if (this.reloader) this.reloaderRolls(es.namespace, es.target);
      }
      es.syncedResourceVersion = wanted;
      es.refreshTime = new Date(this.clock.time).toISOString();
      es.conditions = [{ type: 'Ready', status: 'True', reason: 'SecretSynced' }];
    }
    for (const workload of this.workloadsById.values())
      if (!workload.state.rolledOut && !workload.stuck) workload.state = { ...workload.state, rolledOut: true };
  }

  private reloaderRolls(namespace: string, secret: string): void {
    for (const workload of this.workloadsById.values()) {
      if (workload.state.namespace !== namespace || !workload.state.optedIn || !workload.state.secrets.includes(secret)) continue;
      workload.annotations['reloader.stakater.com/last-reloaded-from'] = secret;
      workload.state = { ...workload.state, generation: workload.state.generation + 1, rolledOut: false };
    }
  }

  private view(es: FakeExternalSecret): ExternalSecretState {
    const distribution = es.namespace === this.centralNamespace ? undefined : this.distributionNames[0];
    return {
      namespace: es.namespace,
      name: es.name,
      target: es.target,
      syncedResourceVersion: es.syncedResourceVersion,
      refreshTime: es.refreshTime,
      conditions: es.conditions,
      distribution,
    };
  }

  async readExternalSecret(namespace: string, name: string) {
    const es = this.externalSecrets.get(`${namespace}/${name}`);
    return es ? this.view(es) : undefined;
  }

  async distributions(credential: string): Promise<Distribution[]> {
    if (credential !== this.credential) return [];
    const namespaces = [...this.externalSecrets.values()].filter((e) => e.namespace !== this.centralNamespace).map((e) => e.namespace);
    return this.distributionNames.map((name) => ({ name, provisionedNamespaces: namespaces, failedNamespaces: [] }));
  }

  async copies(credential: string) {
    return [...this.externalSecrets.values()]
      .filter((e) => e.namespace !== this.centralNamespace && credential === this.credential)
      .map((e) => this.view(e));
  }

  async listExternalSecrets() {
    return [...this.externalSecrets.values()].map((e) => this.view(e));
  }

  async clusterExternalSecretNames() {
    return [...this.distributionNames];
  }

  /** The most requests for copies (force-sync, Secret versions) that rotate had in flight at once. */
  maxInFlight = 0;
  #inFlight = 0;
  /** Holds a request open for a turn of the event loop, as the API server would, counting those in flight. */
  async #request(): Promise<void> {
    this.maxInFlight = Math.max(this.maxInFlight, ++this.#inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.#inFlight--;
  }

  async forceSync(target: ForceSyncTarget, value: string): Promise<string> {
    await this.#request();
    this.events.push(`force-sync ${target.kind} ${target.kind === 'ExternalSecret' ? `${target.namespace}/` : ''}${target.name}`);
    const at = new Date(this.clock.time).toISOString();
    if (target.kind === 'ExternalSecret')
      this.externalSecrets.get(`${target.namespace}/${target.name}`)!.annotations['external-secrets.io/force-sync'] = value;
    else if (this.mirrorFirst) {
      for (const es of this.externalSecrets.values()) if (es.name === target.name) es.annotations['external-secrets.io/force-sync'] = value;
      this.reconcile();
      this.clock.time += 2000;
    }
    return at;
  }

  async clusterSecretStores() {
    return [...this.stores].map(([name, s]) => ({ name, conditions: s.conditions }));
  }

  async annotateClusterSecretStore(name: string, annotations: Record<string, string>) {
    this.events.push(`annotate ClusterSecretStore ${name}`);
    Object.assign(this.stores.get(name)!.annotations, annotations);
  }

  async secretVersion(namespace: string, name: string): Promise<SecretVersion | undefined> {
    await this.#request();
    const secret = this.secrets.get(`${namespace}/${name}`);
    return secret
      ? { resourceVersion: String(secret.resourceVersion), dataHash: createHash('md5').update(secret.value).digest('hex') }
      : undefined;
  }

  async workloads(namespace: string) {
    return [...this.workloadsById.values()].filter((w) => w.state.namespace === namespace).map((w) => w.state);
  }

  async readWorkload(kind: WorkloadKind, namespace: string, name: string) {
    return this.workloadsById.get(`${kind}/${namespace}/${name}`)?.state;
  }

  async annotatePodTemplate(kind: WorkloadKind, namespace: string, name: string, annotations: Record<string, string>) {
    this.events.push(`annotate ${kind} ${namespace}/${name}`);
    const workload = this.workloadsById.get(`${kind}/${namespace}/${name}`)!;
    Object.assign(workload.annotations, annotations);
    workload.state = {
      ...workload.state,
      generation: workload.state.generation + 1,
      rolledOut: false,
      ...(workload.fails ? { failed: workload.fails } : {}),
    };
    this.maxRolling = Math.max(this.maxRolling, [...this.workloadsById.values()].filter((w) => !w.state.rolledOut).length);
  }

  async reloaderRunning() {
    return this.reloader;
  }
}
