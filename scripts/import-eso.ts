/**
 * Regenerates constructs/imports/external-secrets.io.ts from the vendored ESO CRDs with `cdk8s import`.
 *
 * The CRD files still embed the unserved, deprecated v1beta1 schema; cdk8s would generate classes for it
 * too, so only the served `v1` version is kept. cdk8s-cli is run through npx at a pinned version rather
 * than being a dependency: it is needed only when the CRDs change, and it is large.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

const CDK8S_CLI = 'cdk8s-cli@2.207.60';
const crdDir = join(__dirname, '..', 'constructs', 'crds');
const outDir = join(__dirname, '..', 'constructs', 'imports');

const servedV1 = readdirSync(crdDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((f) => parseAllDocuments(readFileSync(join(crdDir, f), 'utf8')).map((d) => d.toJS()))
  .map((crd) => ({ ...crd, spec: { ...crd.spec, versions: crd.spec.versions.filter((v: { name: string }) => v.name === 'v1') } }));

const file = join(mkdtempSync(join(tmpdir(), 'eso-crds-')), 'external-secrets-v1.yaml');
writeFileSync(file, servedV1.map((d) => stringify(d)).join('---\n'));
console.log(`importing ${servedV1.length} CRDs (v1 only) with ${CDK8S_CLI}`);
execFileSync('npx', ['--yes', CDK8S_CLI, 'import', file, '--language', 'typescript', '--output', outDir], { stdio: 'inherit' });
