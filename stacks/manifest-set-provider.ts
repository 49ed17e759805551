/**
 * How a ManifestSet reaches the cluster: server-side apply of many objects under one field manager, pruning
 * by label, deletion that waits until everything is gone. Pulumi serializes this module's provider into each
 * ManifestSet's state and runs it in its dynamic-provider process, so the module imports npm packages only
 * and nothing of the repository.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type * as pulumi from '@pulumi/pulumi';

/** A Kubernetes object as the plane writes it. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** The label that marks an object as applied by a set; its value is the set's name. */
export const MANIFEST_SET_LABEL = 'central-secret-store.io/manifest-set';

/** The state of a ManifestSet: its inputs, and the same as its outputs. */
export interface ManifestSetState {
  /** kubeconfig of the cluster (secret). */
  readonly kubeconfig: string;
  /** Field manager of every apply. */
  readonly fieldManager: string;
  /** The set's name: the value of MANIFEST_SET_LABEL on its objects. */
  readonly set: string;
  /** Kinds in the order they are applied (reverse order for deletion); other kinds come last. */
  readonly kindOrder: readonly string[];
  /** Objects the product owns, by objectKey: applied, labelled, pruned and deleted. */
  readonly objects: Readonly<Record<string, ManifestObject>>;
  /** Objects of which the product owns only the fields it gives, by objectKey: applied, never deleted; their fields are given back when they go. */
  readonly shared: Readonly<Record<string, ManifestObject>>;
}

/** The key an object has in a set: what `pulumi preview --diff` names. */
export function objectKey(o: Pick<ManifestObject, 'kind' | 'metadata'>): string {
  return o.metadata.namespace ? `${o.kind} ${o.metadata.namespace}/${o.metadata.name}` : `${o.kind} ${o.metadata.name}`;
}

/** Requests in flight per process: enough to keep an API server busy, well below its max-in-flight limits. */
const MAX_IN_FLIGHT = 32;
/** How long deletion waits for finalizers (ESO's, the namespace controller's) before it names what is left. */
const DELETE_TIMEOUT_SECONDS = 15 * 60;

/**
 * Runs the tasks with at most MAX_IN_FLIGHT at once in this process, across every set Pulumi updates in
 * parallel, and reports every failure, not only the first.
 */
async function inParallel<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  const slots = ((globalThis as any)[Symbol.for('central-secret-store.manifest-set.slots')] ??= {
    free: MAX_IN_FLIGHT,
    waiting: [] as (() => void)[],
  });
  const acquire = () => (slots.free > 0 ? (slots.free--, Promise.resolve()) : new Promise<void>((resolve) => slots.waiting.push(resolve)));
  const release = () => (slots.waiting.length > 0 ? slots.waiting.shift()!() : slots.free++);
  const failures: string[] = [];
  await Promise.all(
    items.map(async (item) => {
      await acquire();
      try {
        await task(item);
      } catch (error) {
        failures.push((error as Error).message);
      } finally {
        release();
      }
    }),
  );
  if (failures.length > 0) throw new Error(`${failures.length} of ${items.length} requests failed:\n  ${failures.sort().join('\n  ')}`);
}

/**
 * The few API calls a set makes, as plain JSON over HTTPS with the kubeconfig's credentials. Not
 * @kubernetes/client-node's object API: it passes known kinds through its typed models, which drop fields it
 * does not model (a CRD's schema loses its `type`s).
 */
class Cluster {
  private readonly config: KubeConfig;
  private readonly resources: Map<string, Promise<{ name: string; namespaced: boolean }[]>>;

  // Assigned here, not as field initializers, which Pulumi's serialization of the class does not keep.
  constructor(kubeconfig: string) {
    this.config = new KubeConfig();
    this.config.loadFromString(kubeconfig);
    this.resources = new Map();
  }

  /** Server-side apply; returns nothing, throws the API server's message. */
  async apply(o: ManifestObject, fieldManager: string): Promise<void> {
    const query = `?fieldManager=${encodeURIComponent(fieldManager)}&force=false`;
    await this.call(
      'PATCH',
      `${await this.path(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name)}${query}`,
      o,
      'application/apply-patch+yaml',
    );
  }

  /** Deletes; an object already gone is not an error. */
  async delete(o: ManifestObject, propagationPolicy: 'Background' | 'Foreground'): Promise<void> {
    await this.call(
      'DELETE',
      `${await this.path(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name)}?propagationPolicy=${propagationPolicy}`,
      undefined,
      undefined,
      [404],
    );
  }

  /** Every object of a kind, in every namespace, with the label selector if given. */
  async list(apiVersion: string, kind: string, labelSelector?: string): Promise<ManifestObject[]> {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const list = await this.call('GET', `${await this.path(apiVersion, kind)}${query}`);
    return (list.items as ManifestObject[]).map((item) => ({ ...item, apiVersion, kind }));
  }

  private async path(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string> {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    if (!this.resources.has(apiVersion))
      this.resources.set(
        apiVersion,
        this.call('GET', base).then((r) => r.resources),
      );
    const resource = (await this.resources.get(apiVersion)!).find((r: any) => r.kind === kind && !r.name.includes('/'));
    if (!resource) throw new Error(`the cluster does not serve ${kind} in ${apiVersion} (are its CRDs installed?)`);
    const scope = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${base}${scope}/${resource.name}${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  private async call(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    tolerated: number[] = [],
  ): Promise<any> {
    const server = new URL(this.config.getCurrentCluster()?.server ?? '');
    const options: https.RequestOptions = {
      method,
      hostname: server.hostname,
      port: server.port,
      path,
      headers: { Accept: 'application/json', ...(body ? { 'Content-Type': contentType } : {}) },
    };
    await this.config.applyToHTTPSOptions(options);
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = (server.protocol === 'http:' ? http : https).request(options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body === undefined ? undefined : JSON.stringify(body));
    });
    if (tolerated.includes(status)) return undefined;
    if (status >= 300) {
      let message = text;
      try {
        message = JSON.parse(text).message ?? text;
      } catch {
        // not a Status: the text is the message
      }
      throw new Error(`${status} ${message}`);
    }
    return JSON.parse(text);
  }
}

/** Groups objects by kind in apply order. */
function inKindOrder<T extends Pick<ManifestObject, 'kind'>>(objects: readonly T[], kindOrder: readonly string[]): T[][] {
  const rank = (kind: string) => (kindOrder.includes(kind) ? kindOrder.indexOf(kind) : kindOrder.length);
  const groups = new Map<number, T[]>();
  for (const o of objects) groups.set(rank(o.kind), [...(groups.get(rank(o.kind)) ?? []), o]);
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/**
 * Server-side applies the objects, kind by kind in `kindOrder`, under one field manager and without forcing:
 * a field another manager owns with another value is a conflict to resolve, not to overwrite.
 */
export async function applyObjects(
  kubeconfig: string,
  objects: readonly ManifestObject[],
  options: { fieldManager: string; kindOrder: readonly string[] },
): Promise<void> {
  const cluster = new Cluster(kubeconfig);
  for (const group of inKindOrder(objects, options.kindOrder)) {
    await inParallel(group, async (o) => {
      try {
        await cluster.apply(o, options.fieldManager);
      } catch (error) {
        throw new Error(`apply ${objectKey(o)}: ${(error as Error).message}`);
      }
    });
  }
}

/** What a set has applied and not yet deleted, found by its label: the truth even after an interrupted run. */
async function labelled(
  cluster: Cluster,
  set: string,
  kinds: readonly Pick<ManifestObject, 'apiVersion' | 'kind'>[],
): Promise<ManifestObject[]> {
  const found: ManifestObject[] = [];
  const unique = [...new Map(kinds.map((k) => [`${k.apiVersion} ${k.kind}`, k])).values()];
  await inParallel(unique, async ({ apiVersion, kind }) => {
    found.push(...(await cluster.list(apiVersion, kind, `${MANIFEST_SET_LABEL}=${set}`)));
  });
  return found;
}

/**
 * Deletes the objects in reverse kind order and waits until none is left. ESO's objects are deleted in the
 * background: ESO's own finalizers clean up what they wrote, so deletion need not also wait on the garbage
 * collector across every tenant namespace.
 */
export async function deleteObjects(kubeconfig: string, objects: readonly ManifestObject[], kindOrder: readonly string[]): Promise<void> {
  const cluster = new Cluster(kubeconfig);
  const background = new Set(['ExternalSecret', 'ClusterExternalSecret']);
  for (const group of inKindOrder(objects, kindOrder).reverse()) {
    await inParallel(group, async (o) => {
      try {
        await cluster.delete(o, background.has(o.kind) ? 'Background' : 'Foreground');
      } catch (error) {
        throw new Error(`delete ${objectKey(o)}: ${(error as Error).message}`);
      }
    });
  }
  const deadline = Date.now() + DELETE_TIMEOUT_SECONDS * 1000;
  const wanted = new Set(objects.map(objectKey));
  const kinds = [...new Map(objects.map((o) => [`${o.apiVersion} ${o.kind}`, o])).values()];
  for (;;) {
    // One list per kind, not a read per object: thousands of reads a second would slow the deletion itself.
    const left: string[] = [];
    await inParallel(kinds, async ({ apiVersion, kind }) => {
      for (const o of await cluster.list(apiVersion, kind)) if (wanted.has(objectKey(o))) left.push(objectKey(o));
    });
    if (left.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `${left.length} objects still present after ${DELETE_TIMEOUT_SECONDS} s (finalizers?): ${left.sort().slice(0, 20).join(', ')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The set's own objects as applied: each carries the set's label. */
function owned(state: ManifestSetState): ManifestObject[] {
  return Object.values(state.objects).map((o) => ({
    ...o,
    metadata: { ...o.metadata, labels: { ...(o.metadata.labels as Record<string, string> | undefined), [MANIFEST_SET_LABEL]: state.set } },
  }));
}

/** An apply that holds no field: the field manager gives back every field it held on a shared object. */
function emptied(o: ManifestObject): ManifestObject {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) },
  };
}

/** JSON with sorted keys, so that two equal objects compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Applies a set's objects and shared fields that are new or changed since the last apply (all of them on
 * create), then prunes what it labelled before and no longer holds. Objects deleted behind Pulumi's back are not
 * in the old state after a refresh (see read), so they are applied again.
 */
async function converge(olds: ManifestSetState | undefined, news: ManifestSetState): Promise<void> {
  const objects = owned(news);
  // Against another cluster or under another field manager, everything is applied.
  const sameTarget = olds !== undefined && olds.kubeconfig === news.kubeconfig && olds.fieldManager === news.fieldManager;
  const before = new Map(sameTarget ? [...owned(olds), ...Object.values(olds.shared)].map((o) => [objectKey(o), canonical(o)]) : []);
  const toApply = [...objects, ...Object.values(news.shared)].filter((o) => before.get(objectKey(o)) !== canonical(o));
  await applyObjects(news.kubeconfig, toApply, news);
  const kinds = [...objects, ...(olds ? Object.values(olds.objects) : [])];
  const stale = (await labelled(new Cluster(news.kubeconfig), news.set, kinds)).filter((o) => news.objects[objectKey(o)] === undefined);
  if (stale.length > 0) await deleteObjects(news.kubeconfig, stale, news.kindOrder);
  const released = Object.values(olds?.shared ?? {}).filter((o) => news.shared[objectKey(o)] === undefined);
  if (released.length > 0) await applyObjects(news.kubeconfig, released.map(emptied), news);
}

/** The dynamic provider behind ManifestSet. */
export const manifestSetProvider: pulumi.dynamic.ResourceProvider<ManifestSetState, ManifestSetState> = {
  async diff(_id, olds, news) {
    return {
      changes: canonical({ ...olds, __provider: undefined }) !== canonical({ ...news, __provider: undefined }),
      replaces: [],
      deleteBeforeReplace: false,
    };
  },
  async create(inputs) {
    await converge(undefined, inputs);
    return { id: inputs.set, outs: inputs };
  },
  async update(_id, olds, news) {
    await converge(olds, news);
    return { outs: news };
  },
  async delete(_id, props) {
    await deleteObjects(
      props.kubeconfig,
      await labelled(new Cluster(props.kubeconfig), props.set, Object.values(props.objects)),
      props.kindOrder,
    );
    const shared = Object.values(props.shared);
    if (shared.length > 0) await applyObjects(props.kubeconfig, shared.map(emptied), props);
  },
  /** Refresh: objects deleted behind Pulumi's back leave the state, so the next `up` puts them back. */
  async read(id, props) {
    if (!props) throw new Error(`ManifestSet ${id} cannot be imported: it has no state to read from`);
    const present = new Set((await labelled(new Cluster(props.kubeconfig), props.set, Object.values(props.objects))).map(objectKey));
    const objects = Object.fromEntries(Object.entries(props.objects).filter(([key]) => present.has(key)));
    return { id, props: { ...props, objects } };
  },
};
