/**
 * Rules that span entries or files and so cannot be expressed in the per-file schemas: references between
 * clusters, credentials and tenants, ownership of namespaces and vault secrets, reserved keys, collisions of
 * generated objects and validity windows. Every problem is reported, each at the entry as it is written.
 */
import { type Catalogue, lineAt, tenantFileAt, writtenIndex } from './catalogue';
import type { CatalogueIssue } from './errors';
import { formatPath } from './errors';
import { type PlannedObject, plannedObjects } from './cluster-plan';
import { NAME_RULES, isDns1123Subdomain, isInTenantSpace, tenantVaultPrefix } from './names';
import {
  CANARY_CREDENTIAL,
  FORMATS_BY_KIND,
  canaryKeyVaultSecretName,
  canaryVaultPath,
  formatFits,
} from '@central-secret-store/constructs/vocabulary';
import { quoted } from './secret-like';
import { reservedNamespaceReason } from './system-names';
import { reservedNamespaceLabel, reservedSecretAnnotation, reservedSecretLabel } from './reserved-keys';
import {
  backendNameOf,
  pullSecretNameOf,
  canaryOf,
  credentialUrlOf,
  credentialsOfferedOn,
  formatsOf,
  masterKeysOf,
  trustDomainOf,
} from './resolve';
import type { Credential, Environment, Format, ImagePullSecret, OwnSecret, TenantNamespace } from './schema';
import { parseVaultReference, sharedSpaceOf, tenantSpaceOf } from './vault-layout';

type Report = (file: string, path: readonly PropertyKey[], message: string) => void;

/**
 * Which parts of the catalogue were read completely. When a file failed its schema, references into it are
 * not checked, so one broken file does not bury its own error under "unknown ..." errors everywhere else.
 */
export interface CompleteParts {
  readonly clusters: boolean;
  readonly credentials: boolean;
  readonly tenants: boolean;
}

export function validateCatalogue(
  catalogue: Catalogue,
  complete: CompleteParts = { clusters: true, credentials: true, tenants: true },
): CatalogueIssue[] {
  const lineOf = (file: string, path: readonly PropertyKey[]) => lineAt(catalogue.sources, file, path);
  const issues: CatalogueIssue[] = [];
  const reported = new Set<string>();
  // One problem shows up under several rules (a credential defined twice also collides with itself); the
  // first, most specific report of a field is kept.
  const report: Report = (file, path, message) => {
    const key = `${file}\0${formatPath(path)}`;
    if (reported.has(key)) return;
    reported.add(key);
    issues.push({ file, path: formatPath(path), line: lineOf(file, path), message });
  };
  const where = (file: string, path: readonly PropertyKey[]) => {
    const line = lineOf(file, path);
    return `${file}${line === undefined ? '' : `:${line}`} ${formatPath(path)}`;
  };
  const { sources } = catalogue;
  const clusterAt = (i: number) => ['clusters', writtenIndex(catalogue, 'clusters', i)];
  const credentialAt = (i: number) => ['credentials', writtenIndex(catalogue, 'credentials', i)];

  reportDuplicates(
    catalogue.environments.map((e) => e.name),
    (i, name) =>
      report(
        sources.clusters,
        ['environments', writtenIndex(catalogue, 'environments', i), 'name'],
        `duplicate environment ${quoted(name)}`,
      ),
  );
  reportDuplicates(
    catalogue.clusters.map((c) => c.name),
    (i, name) => report(sources.clusters, [...clusterAt(i), 'name'], `duplicate cluster ${quoted(name)}`),
  );
  reportDuplicates(
    catalogue.credentials.map((c) => c.name),
    (i, name) => report(sources.credentials, [...credentialAt(i), 'name'], `duplicate credential ${quoted(name)}`),
  );
  reportDuplicates(
    catalogue.tenants.map((t) => t.name),
    (i, name) => {
      const first = catalogue.tenants.findIndex((t) => t.name === name);
      report(tenantFileAt(catalogue, i), ['name'], `duplicate tenant ${quoted(name)} (also defined in ${tenantFileAt(catalogue, first)})`);
    },
  );

  const environments = new Set(catalogue.environments.map((e) => e.name));
  catalogue.clusters.forEach((cluster, i) => {
    if (!environments.has(cluster.environment)) {
      report(
        sources.clusters,
        [...clusterAt(i), 'environment'],
        `unknown environment ${quoted(cluster.environment)} (known: ${[...environments].join(', ')})`,
      );
    }
    const canary = canaryOf(cluster);
    const reserved = canary && reservedNamespaceReason(canary.namespace);
    if (canary && reserved) {
      report(
        sources.clusters,
        [...clusterAt(i), 'canary', 'namespace'],
        `namespace ${quoted(canary.namespace)} is reserved: ${reserved}; the canary needs a namespace of its own`,
      );
    }
  });
  catalogue.credentials.forEach((credential, i) => {
    if (credential.name === CANARY_CREDENTIAL) {
      report(
        sources.credentials,
        [...credentialAt(i), 'name'],
        `credential name "${CANARY_CREDENTIAL}" is reserved: it names every cluster's canary (its master, store and distribution); choose another name`,
      );
    }
  });

  catalogue.environments.forEach((environment, i) => {
    const backend = environment.keyVault ? 'keyVault' : 'vault';
    const owner = (environment.keyVault ?? environment.vault)?.managedBy;
    if (owner !== undefined && !catalogue.clusters.some((c) => c.name === owner && c.environment === environment.name)) {
      report(
        sources.clusters,
        ['environments', writtenIndex(catalogue, 'environments', i), backend, 'managedBy'],
        `${quoted(owner)} is not a cluster of environment ${environment.name}`,
      );
    }
  });

  const tenantNames = new Set(catalogue.tenants.map((t) => t.name));
  catalogue.credentials.forEach((credential, i) => {
    credential.allowedTenants.forEach((tenant, j) => {
      if (complete.tenants && !tenantNames.has(tenant)) {
        report(sources.credentials, [...credentialAt(i), 'allowedTenants', j], `unknown tenant ${quoted(tenant)}`);
      }
    });
    validateFormats(credential, (path, message) => report(sources.credentials, [...credentialAt(i), ...path], message));
    validateMasterBackends(credential, (path, message) => report(sources.credentials, [...credentialAt(i), ...path], message));
  });
  if (complete.tenants) {
    catalogue.clusters.forEach((cluster) => {
      const environment = catalogue.environments.find((e) => e.name === cluster.environment);
      if (!environment) return;
      for (const credential of credentialsOfferedOn(catalogue, cluster)) {
        const i = catalogue.credentials.indexOf(credential);
        validateMasterIn(environment, cluster.name, credential, (path, message) =>
          report(sources.credentials, [...credentialAt(i), ...path], message),
        );
      }
    });
  }

  reportCanaryMasters(catalogue, complete, (i, path, message) => report(sources.credentials, [...credentialAt(i), ...path], message));
  validateTenants(catalogue, complete, report);
  reportCollisions(plannedObjects(catalogue), report, where);
  return issues;
}

/**
 * Every cluster's canary has a master of its own in its environment's vault (`css-canary-<cluster>` in Key
 * Vault, `canary/<cluster>` in the shared mount), which the stack overwrites at every deployment. A credential
 * offered in that environment may not name it as its master, whichever cluster of the environment it is
 * offered on: they all share the vault. Reserved whether or not the canary is enabled, as enabling it would
 * overwrite the credential.
 */
function reportCanaryMasters(
  catalogue: Catalogue,
  complete: CompleteParts,
  report: (credential: number, path: PropertyKey[], message: string) => void,
): void {
  const overwritten = 'the stack writes a new value to it at every deployment, so the credential would be overwritten';
  for (const environment of catalogue.environments) {
    const clusters = catalogue.clusters.filter((c) => c.environment === environment.name);
    // With tenants unread, which credentials are offered is unknown: check them all.
    const offered = new Set(complete.tenants ? clusters.flatMap((c) => credentialsOfferedOn(catalogue, c)) : catalogue.credentials);
    catalogue.credentials.forEach((credential, i) => {
      if (!offered.has(credential)) return;
      for (const cluster of clusters) {
        const canary = `the canary of cluster ${cluster.name} in environment ${environment.name}: ${overwritten}`;
        if (environment.keyVault) {
          for (const [key, name] of Object.entries(credential.keyVault ?? {})) {
            if (name.toLowerCase() === canaryKeyVaultSecretName(cluster.name).toLowerCase())
              report(i, ['keyVault', key], `Key Vault secret ${quoted(name)} is ${canary}; name another secret`);
          }
        } else {
          for (const [key, reference] of Object.entries(credential.vault ?? {})) {
            if (parseVaultReference(reference, key).path === canaryVaultPath(cluster.name))
              report(i, ['vault', key], `Vault path ${quoted(reference)} is ${canary}; name another path`);
          }
        }
      }
    });
  }
}

function reportDuplicates(names: readonly string[], onDuplicate: (index: number, name: string) => void): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (seen.has(name)) onDuplicate(i, name);
    seen.add(name);
  });
}

/** Which master keys a format reads, as alternatives: one of the sets must be present. */
function requiredKeys(format: Format): string[][] {
  switch (format.type) {
    case 'dockerconfigjson':
    case 'basic-auth':
      return [['username', 'password']];
    case 'ssh-auth':
      return [['sshPrivateKey']];
    case 'oauth':
      return [['clientId', 'clientSecret']];
    case 'tls':
      return [['tls.crt', 'tls.key'], ['bundle']];
    case 'argocd':
    case 'kargo':
      return [['username', 'password'], ['sshPrivateKey']];
    case 'mapping':
      return [format.keys.map((k) => k.from)];
    case 'opaque':
      return [[]];
  }
}

function validateFormats(credential: Credential, report: (path: PropertyKey[], message: string) => void): void {
  const keys = new Set(masterKeysOf(credential));
  const formats = formatsOf(credential);
  reportDuplicates(
    formats.map((f) => f.id),
    (i, id) => report(['formats', i, 'name'], `two formats are named ${quoted(id)}; give one a distinct name`),
  );
  reportDuplicates(
    formats.map((f) => f.secretName),
    (i, name) => report(['formats', i, 'secretName'], `two formats write the Secret ${quoted(name)}; set a distinct secretName`),
  );
  formats.forEach(({ format }, i) => {
    const alternatives = requiredKeys(format);
    if (!alternatives.some((set) => set.every((k) => keys.has(k)))) {
      const wanted = alternatives.map((set) => set.join(' + ')).join(' or ');
      report(
        ['formats', i, 'type'],
        `format ${quoted(format.type)} needs the master key(s) ${wanted}, but credential ${quoted(credential.name)} has ${[...keys].join(', ')}`,
      );
    }
    if (!formatFits(credential.kind, format.type)) {
      report(
        ['formats', i, 'type'],
        `format ${quoted(format.type)} does not fit a ${credential.kind} credential; it offers ${FORMATS_BY_KIND[credential.kind].join(', ')}`,
      );
    }
    if (format.type === 'argocd' && format.url === undefined && credentialUrlOf(credential) === undefined) {
      report(['formats', i, 'url'], `format "argocd" needs a url: credential kind ${credential.kind} has none to default to`);
    }
    if (format.type === 'kargo' && format.repoURL === undefined && credentialUrlOf(credential) === undefined) {
      report(['formats', i, 'repoURL'], `format "kargo" needs a repoURL: credential kind ${credential.kind} has none to default to`);
    }
  });
}

/** A credential that names both backends names the same master keys in each. */
function validateMasterBackends(credential: Credential, report: (path: PropertyKey[], message: string) => void): void {
  if (!credential.keyVault || !credential.vault) return;
  const inKeyVault = Object.keys(credential.keyVault).sort();
  const inVault = Object.keys(credential.vault).sort();
  if (inKeyVault.join() !== inVault.join()) {
    report(
      ['vault'],
      `must name the same master keys as keyVault (${inKeyVault.join(', ')}), got ${inVault.join(', ')}: the master Secret has one set of keys`,
    );
  }
}

/** A credential offered on a cluster names its master in the backend of the cluster's environment. */
function validateMasterIn(
  environment: Environment,
  cluster: string,
  credential: Credential,
  report: (path: PropertyKey[], message: string) => void,
): void {
  const where = `credential ${quoted(credential.name)} is offered on cluster ${cluster}, whose environment ${environment.name} keeps its secrets in ${backendNameOf(environment)}`;
  if (environment.keyVault && !credential.keyVault) {
    report(['keyVault'], `${where}; add keyVault: with the Key Vault secret names of its master`);
  }
  if (environment.vault) {
    if (!credential.vault) {
      report(['vault'], `${where}; add vault: with the paths of its master in the shared mount ${environment.vault.sharedMount}`);
      return;
    }
    reportMountPrefixed(credential.vault, sharedSpaceOf(environment.vault).mount, 'the shared mount', (key, message) =>
      report(['vault', key], message),
    );
  }
}

/**
 * ESO drops a leading `<mount>/` from a path it reads through a store of that mount, so a path written that
 * way would be read from somewhere other than where the policies point; paths are written relative to it.
 */
function reportMountPrefixed(
  references: Readonly<Record<string, string>>,
  mount: string,
  what: string,
  report: (key: string, message: string) => void,
): void {
  for (const [key, reference] of Object.entries(references)) {
    const { path } = parseVaultReference(reference, key);
    if (path.startsWith(`${mount}/`))
      report(
        key,
        `Vault path ${quoted(reference)} starts with ${what} ${quoted(`${mount}/`)}; write it relative to the mount: ${quoted(reference.slice(mount.length + 1))}`,
      );
  }
}

function validateTenants(catalogue: Catalogue, complete: CompleteParts, report: Report): void {
  const clusters = new Set(catalogue.clusters.map((c) => c.name));
  const trustDomainOn = (name: string) => {
    const cluster = catalogue.clusters.find((c) => c.name === name);
    return cluster ? trustDomainOf(cluster) : undefined;
  };
  const environmentOn = (name: string) => {
    const cluster = catalogue.clusters.find((c) => c.name === name);
    return catalogue.environments.find((e) => e.name === cluster?.environment);
  };
  const canaryNamespaceOn = (name: string) => {
    const i = catalogue.clusters.findIndex((c) => c.name === name);
    if (i < 0) return undefined;
    const field = `${catalogue.sources.clusters} ${formatPath(['clusters', writtenIndex(catalogue, 'clusters', i), 'canary', 'namespace'])}`;
    const cluster = catalogue.clusters[i];
    return { namespace: canaryOf(cluster)?.namespace, at: cluster.canary?.namespace ? field : `the default; ${field} moves it` };
  };
  const credentials = new Map(catalogue.credentials.map((c) => [c.name, c]));
  // cluster -> namespace -> tenant that claimed it first
  const claims = new Map<string, Map<string, string>>();

  catalogue.tenants.forEach((tenant, t) => {
    const file = tenantFileAt(catalogue, t);
    for (const [clusterName, placement] of Object.entries(tenant.clusters)) {
      const at = ['clusters', clusterName];
      if (complete.clusters && !clusters.has(clusterName)) {
        report(file, at, `unknown cluster ${quoted(clusterName)} (known: ${[...clusters].join(', ')})`);
      }
      const claimed = claims.get(clusterName) ?? new Map<string, string>();
      claims.set(clusterName, claimed);

      placement.namespaces.forEach((namespace, n) => {
        const nsPath = [...at, 'namespaces', n];
        const reserved = reservedNamespaceReason(namespace.name);
        if (reserved) {
          report(
            file,
            [...nsPath, 'name'],
            `namespace ${quoted(namespace.name)} is ${reserved}; the product creates and labels a tenant's namespaces, so it would take this one over for tenant ${tenant.name}; choose another name`,
          );
        }
        const canary = canaryNamespaceOn(clusterName);
        if (canary?.namespace === namespace.name) {
          report(
            file,
            [...nsPath, 'name'],
            `namespace ${quoted(namespace.name)} is the canary namespace of cluster ${clusterName} (${canary.at}); choose another name`,
          );
        }
        const owner = claimed.get(namespace.name);
        if (owner !== undefined) {
          const who = owner === tenant.name ? 'this tenant already' : `tenant ${quoted(owner)}`;
          report(file, [...nsPath, 'name'], `namespace ${quoted(namespace.name)} on cluster ${clusterName} is already claimed by ${who}`);
        } else {
          claimed.set(namespace.name, tenant.name);
        }
        for (const key of Object.keys(namespace.labels ?? {})) {
          const reason = reservedNamespaceLabel(key);
          if (reason) report(file, [...nsPath, 'labels', key], `label ${quoted(key)} ${reason}`);
        }

        reportDuplicates(namespace.requests ?? [], (r, name) =>
          report(file, [...nsPath, 'requests', r], `credential ${quoted(name)} is requested twice`),
        );
        (namespace.requests ?? []).forEach((name, r) => {
          const path = [...nsPath, 'requests', r];
          const credential = credentials.get(name);
          if (!credential) {
            if (complete.credentials)
              report(file, path, `unknown credential ${quoted(name)} (known: ${[...credentials.keys()].join(', ')})`);
            return;
          }
          if (!credential.allowedTenants.includes(tenant.name)) {
            report(
              file,
              path,
              `tenant ${quoted(tenant.name)} may not request credential ${quoted(name)}; it is allowed for: ${credential.allowedTenants.join(', ')} (see ${catalogue.sources.credentials})`,
            );
          }
        });

        const pulled = new Set<string>();
        (namespace.imagePullSecrets ?? []).forEach((entry, p) => {
          // One entry per credential and Secret, as one request per credential: a second is refused, not merged.
          const secretName = pullSecretNameOf(entry, namespace, catalogue.credentials);
          const id = secretName ?? `${entry.credential}\0${entry.format ?? ''}`;
          if (pulled.has(id)) {
            const what = secretName === undefined ? '' : ` (its dockerconfigjson Secret ${secretName})`;
            report(
              file,
              [...nsPath, 'imagePullSecrets', p, 'credential'],
              `credential ${quoted(entry.credential)} is listed twice under imagePullSecrets${what}; name all its ServiceAccounts in one entry`,
            );
          }
          pulled.add(id);
          validatePullSecret(entry, namespace, credentials.get(entry.credential), (q, m) =>
            report(file, [...nsPath, 'imagePullSecrets', p, ...q], m),
          );
        });

        (namespace.secrets ?? []).forEach((secret, s) => {
          const on = { cluster: clusterName, environment: environmentOn(clusterName) };
          validateOwnSecret(tenant.name, on, { name: namespace.name, trustDomain: trustDomainOn(clusterName) }, secret, (p, m) =>
            report(file, [...nsPath, 'secrets', s, ...p], m),
          );
        });
      });

      (placement.globalSecrets ?? []).forEach((secret, g) => {
        const on = { cluster: clusterName, environment: environmentOn(clusterName) };
        validateOwnSecret(tenant.name, on, undefined, secret, (p, m) => report(file, [...at, 'globalSecrets', g, ...p], m));
      });
    }
  });
}

/** Seed 003: a pull secret must be a dockerconfigjson Secret the namespace receives. */
function validatePullSecret(
  entry: ImagePullSecret,
  namespace: TenantNamespace,
  credential: Credential | undefined,
  report: (path: PropertyKey[], message: string) => void,
): void {
  reportDuplicates(entry.serviceAccounts, (i, name) => report(['serviceAccounts', i], `ServiceAccount ${quoted(name)} is listed twice`));
  if (!(namespace.requests ?? []).includes(entry.credential)) {
    report(
      ['credential'],
      `namespace ${namespace.name} does not request credential ${quoted(entry.credential)}; add it to requests, so that its Secret is delivered here`,
    );
    return;
  }
  // An unknown or refused request is reported at the request.
  if (!credential) return;
  if (credential.kind !== 'docker-registry') {
    report(
      ['credential'],
      `credential ${quoted(credential.name)} is a ${credential.kind} credential; only docker-registry credentials can be image pull secrets`,
    );
    return;
  }
  const docker = formatsOf(credential).filter((f) => f.format.type === 'dockerconfigjson');
  const offered = docker.map((f) => f.id).join(', ');
  if (entry.format !== undefined) {
    if (!docker.some((f) => f.id === entry.format)) {
      report(
        ['format'],
        docker.length === 0
          ? `credential ${quoted(credential.name)} has no dockerconfigjson format; add one to its formats`
          : `credential ${quoted(credential.name)} has no dockerconfigjson format named ${quoted(entry.format)}; it has ${offered}`,
      );
    }
  } else if (docker.length !== 1) {
    report(
      ['credential'],
      docker.length === 0
        ? `credential ${quoted(credential.name)} has no dockerconfigjson format; add one to its formats`
        : `credential ${quoted(credential.name)} has ${docker.length} dockerconfigjson formats (${offered}); name one in format`,
    );
  }
}

function validateOwnSecret(
  tenant: string,
  on: { readonly cluster: string; readonly environment?: Environment },
  namespace: { readonly name: string; readonly trustDomain?: string } | undefined,
  secret: OwnSecret,
  report: (path: PropertyKey[], message: string) => void,
): void {
  if (secret.notBefore && secret.expires && Date.parse(secret.notBefore) >= Date.parse(secret.expires)) {
    report(['notBefore'], `notBefore (${secret.notBefore}) must be before expires (${secret.expires})`);
  }
  for (const [key, vaultName] of Object.entries(secret.keyVault ?? {})) {
    if (!isInTenantSpace(tenant, vaultName)) {
      report(
        ['keyVault', key],
        `Key Vault secret ${quoted(vaultName)} must start with ${quoted(tenantVaultPrefix(tenant))}: a tenant reads only the secrets in its own vault space`,
      );
    }
  }
  const { environment } = on;
  if (environment) {
    // The cluster's environment decides the backend: a reference to the other one could never be read.
    const where = `cluster ${on.cluster} is in environment ${environment.name}, which keeps its secrets in ${backendNameOf(environment)}`;
    const [wanted, other] = environment.vault ? (['vault', 'keyVault'] as const) : (['keyVault', 'vault'] as const);
    if (secret[other] !== undefined) report([other], `${where}; name the secret's values under ${wanted}, not ${other}`);
    else if (secret[wanted] === undefined) report([wanted], `${where}; name the secret's values under ${wanted}`);
    if (environment.vault && secret.vault) {
      const space = tenantSpaceOf(environment.vault, tenant);
      reportMountPrefixed(secret.vault, space.mount, `the tenant's mount`, (key, message) => report(['vault', key], message));
    }
  }
  for (const key of Object.keys(secret.labels ?? {})) {
    const reason = reservedSecretLabel(key);
    if (reason) report(['labels', key], `label ${quoted(key)} ${reason}`);
  }
  for (const key of Object.keys(secret.annotations ?? {})) {
    const reason = reservedSecretAnnotation(key);
    if (reason) report(['annotations', key], `annotation ${quoted(key)} ${reason}`);
  }
  if (secret.type === 'workload') {
    if (namespace === undefined) {
      report(['type'], 'a workload secret belongs to one workload, so it cannot be a global secret; put it under a namespace');
      return;
    }
    // The ID must name exactly this workload: the cluster's trust domain, this namespace, this ServiceAccount.
    const expected = `spiffe://${namespace.trustDomain ?? '<trust-domain>'}/ns/${namespace.name}/sa/${secret.serviceAccount}`;
    const matches = namespace.trustDomain
      ? secret.spiffeId === expected
      : secret.spiffeId.endsWith(expected.slice(expected.indexOf('/ns/')));
    if (!matches) {
      report(['spiffeId'], `SPIFFE ID ${quoted(secret.spiffeId)} must name this workload: ${expected}`);
    }
  }
}

/**
 * Two producers of one object would overwrite each other, whether synth writes the object or ESO does; and a
 * generated name the API server would refuse fails the deploy. Each is reported at the later producer, naming
 * the earlier one.
 */
function reportCollisions(
  objects: readonly PlannedObject[],
  report: Report,
  where: (file: string, path: readonly PropertyKey[]) => string,
): void {
  const first = new Map<string, PlannedObject>();
  for (const object of objects) {
    const place =
      object.namespace === undefined ? `on cluster ${object.cluster}` : `in namespace ${object.namespace} on cluster ${object.cluster}`;
    if (!isDns1123Subdomain(object.name)) {
      report(
        object.file,
        object.path,
        `the generated ${object.kind} name ${quoted(object.name)} (${object.producer}) ${NAME_RULES.dns1123Subdomain}; shorten the names it is made of`,
      );
    }
    const key = [object.cluster, object.kind, object.namespace ?? '', object.name].join('\0');
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, object);
      continue;
    }
    if (earlier.owner !== undefined && earlier.owner === object.owner) continue;
    report(
      object.file,
      object.path,
      `${object.kind} ${quoted(object.name)} ${place} would be written twice: by ${earlier.producer} (${where(earlier.file, earlier.path)}) and by ${object.producer}; rename one of them`,
    );
  }
}
