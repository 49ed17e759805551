/**
 * Every Kubernetes object a cluster of the catalogue gives rise to, with the catalogue entry that produces it:
 * what synth writes, and what ESO then writes into tenant namespaces from the ClusterExternalSecrets. Two
 * producers of one object would overwrite each other at run time, so validation checks this list for
 * collisions; a test checks it against the synthesized objects.
 */
import { type Catalogue, tenantFileAt, writtenIndex } from './catalogue';
import {
  CANARY_CREDENTIAL,
  CENTRAL_NAMESPACE,
  CENTRAL_READER,
  KEY_VAULT_STORE,
  NAMESPACE_LABEL_POLICY,
  STORE_REFERENCE_POLICY,
  TENANT_OWNER_BINDING,
  TENANT_OWNER_ROLE,
  VAULT_STORE,
  centralStoreName,
  distributionName,
  globalSecretDistributionName,
  tenantStoreName,
  workloadReaderName,
} from './object-names';
import { canaryOf, credentialsOfferedOn, formatsOf, pullSecretsOf } from './resolve';

export interface GeneratedObject {
  readonly cluster: string;
  readonly kind: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly name: string;
  /** What produces the object, in words, for error messages. */
  readonly producer: string;
  /** Where the catalogue declares the producer. */
  readonly file: string;
  readonly path: readonly PropertyKey[];
  /**
   * Objects of one owner are checked by that owner's own rules (duplicate credentials, formats and tenants),
   * so two of them are not reported again as a collision.
   */
  readonly owner?: string;
  /** Written by ESO from a ClusterExternalSecret rather than by synth. */
  readonly writtenByEso: boolean;
}

export function generatedObjects(catalogue: Catalogue): GeneratedObject[] {
  return catalogue.clusters.flatMap((cluster, c) => {
    // A cluster defined twice is reported as such; its second definition generates nothing new.
    if (catalogue.clusters.findIndex((other) => other.name === cluster.name) !== c) return [];
    const objects: GeneratedObject[] = [];
    const add = (o: Omit<GeneratedObject, 'cluster' | 'writtenByEso'> & { writtenByEso?: boolean }) =>
      objects.push({ ...o, cluster: cluster.name, writtenByEso: o.writtenByEso ?? false });

    const platform = { producer: 'the platform', file: catalogue.sources.clusters, path: ['clusters', writtenIndex(catalogue, 'clusters', c), 'name'], owner: 'platform' };
    add({ ...platform, kind: 'Namespace', name: CENTRAL_NAMESPACE });
    for (const kind of ['ServiceAccount', 'Role', 'RoleBinding']) add({ ...platform, kind, namespace: CENTRAL_NAMESPACE, name: CENTRAL_READER });
    const environment = catalogue.environments.find((e) => e.name === cluster.environment);
    add({ ...platform, kind: 'ClusterSecretStore', name: environment?.vault ? VAULT_STORE : KEY_VAULT_STORE });
    add({ ...platform, kind: 'ClusterRole', name: TENANT_OWNER_ROLE });
    for (const policy of [NAMESPACE_LABEL_POLICY, STORE_REFERENCE_POLICY]) {
      add({ ...platform, kind: 'ValidatingAdmissionPolicy', name: policy });
      add({ ...platform, kind: 'ValidatingAdmissionPolicyBinding', name: policy });
    }

    // The canary's objects come before the credentials' and tenants', so that a collision is reported at theirs.
    const canary = canaryOf(cluster);
    if (canary) {
      const at = ['clusters', writtenIndex(catalogue, 'clusters', c)];
      const own = { producer: `the canary of cluster ${cluster.name}`, file: catalogue.sources.clusters, path: cluster.canary?.namespace ? [...at, 'canary', 'namespace'] : [...at, 'name'], owner: 'canary' };
      const copy = distributionName(CANARY_CREDENTIAL, 'opaque');
      add({ ...own, kind: 'Namespace', name: canary.namespace });
      add({ ...own, kind: 'ClusterSecretStore', name: centralStoreName(CANARY_CREDENTIAL) });
      add({ ...own, kind: 'ExternalSecret', namespace: CENTRAL_NAMESPACE, name: CANARY_CREDENTIAL });
      add({ ...own, kind: 'Secret', namespace: CENTRAL_NAMESPACE, name: CANARY_CREDENTIAL, writtenByEso: true });
      add({ ...own, kind: 'ClusterExternalSecret', name: copy });
      add({ ...own, kind: 'ExternalSecret', namespace: canary.namespace, name: copy, writtenByEso: true });
      add({ ...own, kind: 'Secret', namespace: canary.namespace, name: copy, writtenByEso: true });
    }

    const offered = new Set(credentialsOfferedOn(catalogue, cluster).map((credential) => credential.name));
    catalogue.credentials.forEach((credential, i) => {
      if (!offered.has(credential.name)) return;
      const at = ['credentials', writtenIndex(catalogue, 'credentials', i)];
      const master = { producer: `credential ${credential.name}`, file: catalogue.sources.credentials, path: [...at, 'name'], owner: `credential:${credential.name}` };
      add({ ...master, kind: 'ClusterSecretStore', name: centralStoreName(credential.name) });
      add({ ...master, kind: 'ExternalSecret', namespace: CENTRAL_NAMESPACE, name: credential.name });
      add({ ...master, kind: 'Secret', namespace: CENTRAL_NAMESPACE, name: credential.name, writtenByEso: true });
      formatsOf(credential).forEach((format, f) => {
        const path = credential.formats ? [...at, 'formats', f, 'name'] : [...at, 'name'];
        add({ ...master, producer: `credential ${credential.name}, format ${format.id}`, path, kind: 'ClusterExternalSecret', name: distributionName(credential.name, format.id) });
      });
    });

    const credentials = new Map(catalogue.credentials.map((credential) => [credential.name, credential]));
    catalogue.tenants.forEach((tenant, t) => {
      const placement = tenant.clusters[cluster.name];
      if (!placement) return;
      const file = tenantFileAt(catalogue, t);
      const at = ['clusters', cluster.name];
      add({ kind: 'ClusterSecretStore', name: tenantStoreName(tenant.name), producer: `tenant ${tenant.name}`, file, path: ['name'], owner: `tenant:${tenant.name}` });
      const globals = (placement.globalSecrets ?? []).map((secret, g) => ({ secret, path: [...at, 'globalSecrets', g, 'name'] }));
      for (const { secret, path } of globals) {
        add({ kind: 'ClusterExternalSecret', name: globalSecretDistributionName(tenant.name, secret.name), producer: `global secret ${secret.name} of tenant ${tenant.name}`, file, path });
      }

      placement.namespaces.forEach((namespace, n) => {
        const ns = namespace.name;
        const nsPath = [...at, 'namespaces', n];
        add({ kind: 'Namespace', name: ns, producer: `namespace ${ns} of tenant ${tenant.name}`, file, path: [...nsPath, 'name'] });
        add({ kind: 'RoleBinding', namespace: ns, name: TENANT_OWNER_BINDING, producer: `the owners of namespace ${ns}`, file, path: [...nsPath, 'name'] });

        (namespace.requests ?? []).forEach((request, r) => {
          const credential = credentials.get(request);
          // Requests that are refused get nothing from ESO; they are reported by their own rule.
          if (!credential || !credential.allowedTenants.includes(tenant.name)) return;
          for (const format of formatsOf(credential)) {
            const delivered = { producer: `credential ${credential.name} (format ${format.id})`, file, path: [...nsPath, 'requests', r], owner: `credential:${credential.name}`, namespace: ns, writtenByEso: true };
            add({ ...delivered, kind: 'ExternalSecret', name: distributionName(credential.name, format.id) });
            add({ ...delivered, kind: 'Secret', name: format.secretName });
          }
        });

        // One ServiceAccount per name, however many entries name it: they share one imagePullSecrets list.
        for (const serviceAccount of pullSecretsOf(namespace, catalogue.credentials).keys()) {
          const p = (namespace.imagePullSecrets ?? []).findIndex((entry) => entry.serviceAccounts.includes(serviceAccount));
          add({ kind: 'ServiceAccount', namespace: ns, name: serviceAccount, producer: `the pull secrets of ServiceAccount ${serviceAccount}`, file, path: [...nsPath, 'imagePullSecrets', p, 'serviceAccounts'] });
        }

        (namespace.secrets ?? []).forEach((secret, s) => {
          const own = { producer: `own secret ${secret.name}`, file, path: [...nsPath, 'secrets', s, 'name'], namespace: ns };
          add({ ...own, kind: 'ExternalSecret', name: secret.name });
          add({ ...own, kind: 'Secret', name: secret.name, writtenByEso: true });
          if (secret.type === 'workload') {
            add({ ...own, kind: 'Role', name: workloadReaderName(secret.name) });
            add({ ...own, kind: 'RoleBinding', name: workloadReaderName(secret.name) });
          }
        });

        for (const { secret, path } of globals) {
          const global = { producer: `global secret ${secret.name}`, file, path, namespace: ns, writtenByEso: true };
          add({ ...global, kind: 'ExternalSecret', name: secret.name });
          add({ ...global, kind: 'Secret', name: secret.name });
        }
      });
    });
    return objects;
  });
}

/** How many ExternalSecrets ESO writes on the cluster from its distributions: the copies ESO keeps in sync. */
export function copiesOn(catalogue: Catalogue, cluster: string): number {
  return generatedObjects(catalogue).filter((o) => o.cluster === cluster && o.writtenByEso && o.kind === 'ExternalSecret').length;
}
