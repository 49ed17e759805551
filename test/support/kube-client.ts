/**
 * The end-to-end suite's REST helper: server-side apply, get, list, patch, delete, raw requests (to assert
 * status codes) and access reviews, with a bearer token or a client certificate against the local API server.
 * A test utility only; the product's commands connect through @kubernetes/client-node (cli/operations/kube.ts).
 */
import { request } from 'node:https';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    [k: string]: unknown;
  };
  [key: string]: any;
}

/** One key of a Secret's data as text, or undefined when the Secret or the key is missing. */
export function secretText(secret: KubeObject | undefined, key: string): string | undefined {
  return secret?.data?.[key] === undefined ? undefined : Buffer.from(secret.data[key], 'base64').toString('utf8');
}

/** Plural resource names of the kinds the suite touches, and whether they are namespaced. */
const RESOURCES: Record<string, { plural: string; namespaced: boolean }> = {
  Namespace: { plural: 'namespaces', namespaced: false },
  Secret: { plural: 'secrets', namespaced: true },
  ConfigMap: { plural: 'configmaps', namespaced: true },
  ServiceAccount: { plural: 'serviceaccounts', namespaced: true },
  Pod: { plural: 'pods', namespaced: true },
  Role: { plural: 'roles', namespaced: true },
  RoleBinding: { plural: 'rolebindings', namespaced: true },
  ClusterRole: { plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { plural: 'clusterrolebindings', namespaced: false },
  CustomResourceDefinition: { plural: 'customresourcedefinitions', namespaced: false },
  ValidatingAdmissionPolicy: { plural: 'validatingadmissionpolicies', namespaced: false },
  ValidatingAdmissionPolicyBinding: { plural: 'validatingadmissionpolicybindings', namespaced: false },
  ExternalSecret: { plural: 'externalsecrets', namespaced: true },
  SecretStore: { plural: 'secretstores', namespaced: true },
  ClusterExternalSecret: { plural: 'clusterexternalsecrets', namespaced: false },
  ClusterSecretStore: { plural: 'clustersecretstores', namespaced: false },
  SubjectAccessReview: { plural: 'subjectaccessreviews', namespaced: false },
  CronJob: { plural: 'cronjobs', namespaced: true },
  Job: { plural: 'jobs', namespaced: true },
};

export interface ApplyOptions {
  /** @default 'central-secret-store' */
  readonly fieldManager?: string;
  /** Take over fields other managers own. @default true */
  readonly force?: boolean;
  /** Validate and return the result without persisting it. @default false */
  readonly dryRun?: boolean;
}

export class KubeError extends Error {
  constructor(
    readonly status: number,
    readonly body: any,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body?.message ?? JSON.stringify(body)}`);
  }
}

/** How the client proves who it is. */
export type KubeCredentials = { readonly token: string } | { readonly cert: string; readonly key: string };

export class KubeClient {
  private readonly credentials: KubeCredentials;

  constructor(
    private readonly server: string,
    private readonly ca: string,
    credentials: KubeCredentials | string,
  ) {
    this.credentials = typeof credentials === 'string' ? { token: credentials } : credentials;
  }

  static path(apiVersion: string, kind: string, namespace?: string, name?: string): string {
    const resource = RESOURCES[kind];
    if (!resource) throw new Error(`KubeClient: unknown kind ${kind}`);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = resource.namespaced && namespace ? `/namespaces/${namespace}` : '';
    return `${base}${ns}/${resource.plural}${name ? `/${name}` : ''}`;
  }

  async request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any }> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.server}${path}`,
        {
          method,
          ca: this.ca,
          ...('cert' in this.credentials ? { cert: this.credentials.cert, key: this.credentials.key } : {}),
          headers: {
            ...('token' in this.credentials ? { authorization: `Bearer ${this.credentials.token}` } : {}),
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType } : {}),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => {
            let parsed: any = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  private async ok(method: string, path: string, body?: unknown, contentType?: string): Promise<any> {
    const res = await this.request(method, path, body, contentType);
    if (res.status >= 300) throw new KubeError(res.status, res.body, `${method} ${path}`);
    return res.body;
  }

  /**
   * Server-side apply with strict field validation, by default as the field manager `central-secret-store`
   * taking over conflicting fields. `force: false` fails on a conflict instead; `dryRun` changes nothing and
   * returns what the object would become.
   */
  apply(object: KubeObject, options: ApplyOptions = {}): Promise<KubeObject> {
    const path = KubeClient.path(object.apiVersion, object.kind, object.metadata.namespace, object.metadata.name);
    const query = new URLSearchParams({
      fieldManager: options.fieldManager ?? 'central-secret-store',
      force: String(options.force ?? true),
      fieldValidation: 'Strict',
    });
    if (options.dryRun) query.set('dryRun', 'All');
    return this.ok('PATCH', `${path}?${query}`, object, 'application/apply-patch+yaml');
  }

  async get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<KubeObject | undefined> {
    const res = await this.request('GET', KubeClient.path(apiVersion, kind, namespace, name));
    if (res.status === 404) return undefined;
    if (res.status >= 300) throw new KubeError(res.status, res.body, `GET ${kind} ${name}`);
    return res.body;
  }

  async list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<KubeObject[]> {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    return (await this.ok('GET', `${KubeClient.path(apiVersion, kind, namespace)}${query}`)).items;
  }

  create(object: KubeObject): Promise<KubeObject> {
    return this.ok('POST', KubeClient.path(object.apiVersion, object.kind, object.metadata.namespace), object);
  }

  /** JSON merge patch. */
  patch(apiVersion: string, kind: string, name: string, patch: unknown, namespace?: string): Promise<KubeObject> {
    return this.ok('PATCH', KubeClient.path(apiVersion, kind, namespace, name), patch, 'application/merge-patch+json');
  }

  async delete(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
    propagationPolicy?: 'Foreground' | 'Background' | 'Orphan',
  ): Promise<void> {
    const query = propagationPolicy ? `?propagationPolicy=${propagationPolicy}` : '';
    const res = await this.request('DELETE', `${KubeClient.path(apiVersion, kind, namespace, name)}${query}`);
    if (res.status >= 300 && res.status !== 404) throw new KubeError(res.status, res.body, `DELETE ${kind} ${name}`);
  }

  /** Asks the API server (SubjectAccessReview) whether `user` (with `groups`) may do `verb` on `resource`. */
  async canI(
    user: string,
    groups: readonly string[],
    verb: string,
    resource: string,
    namespace?: string,
    group = '',
    name?: string,
  ): Promise<boolean> {
    const review = await this.ok('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user, groups: [...groups], resourceAttributes: { verb, resource, namespace, group, name } },
    });
    return review.status.allowed === true;
  }
}
