/**
 * Vendors the Kubernetes OpenAPI v3 component schemas the tests validate core objects against, from the
 * k8s.io/kubernetes Go module (the same release the end-to-end suite builds its API server from).
 * Descriptions are dropped to keep the file small; nothing else is changed.
 *
 *   npx tsx scripts/vendor-kubernetes-schemas.ts
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KUBERNETES_VERSION = 'v1.34.4';
const GROUPS = ['api__v1', 'apis__rbac.authorization.k8s.io__v1', 'apis__admissionregistration.k8s.io__v1', 'apis__batch__v1'];

const moduleDir = JSON.parse(
  execFileSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${KUBERNETES_VERSION}`], { encoding: 'utf8' }),
).Dir as string;

function stripDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripDescriptions);
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k]) => k !== 'description')
        .map(([k, v]) => [k, stripDescriptions(v)]),
    );
  }
  return node;
}

const schemas: Record<string, unknown> = {};
for (const group of GROUPS) {
  const spec = JSON.parse(readFileSync(join(moduleDir, 'api', 'openapi-spec', 'v3', `${group}_openapi.json`), 'utf8'));
  Object.assign(schemas, spec.components.schemas);
}
const sorted = Object.fromEntries(
  Object.keys(schemas)
    .sort()
    .map((k) => [k, stripDescriptions(schemas[k])]),
);
const out = join(__dirname, '..', 'test', 'schemas', `kubernetes-${KUBERNETES_VERSION}.json`);
writeFileSync(
  out,
  JSON.stringify({
    kubernetesVersion: KUBERNETES_VERSION,
    source: `k8s.io/kubernetes@${KUBERNETES_VERSION}/api/openapi-spec/v3`,
    schemas: sorted,
  }) + '\n',
);
console.log(`wrote ${Object.keys(sorted).length} schemas to ${out}`);
