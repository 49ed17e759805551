/**
 * npm run import:eso [-- --crds <folder or bundle.yaml>]
 *
 * Regenerates constructs/imports/external-secrets.io.ts from ESO's CRDs with `cdk8s import` (see eso-crds.ts
 * for where they are read from). The CRDs still embed the unserved, deprecated v1beta1 schema; cdk8s would
 * generate classes for it too, so only the served `v1` version is kept, and CRDs without one (PushSecret,
 * v1alpha1) are left out. cdk8s-cli runs through npx at a pinned version rather than being a dependency: it
 * is needed only when the CRDs change, and it is large.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { DEFAULT_ESO_CRDS, readEsoCrds } from './eso-crds';

const CDK8S_CLI = 'cdk8s-cli@2.207.60';
const outDir = join(__dirname, '..', 'constructs', 'imports');

const { crds } = new Command()
  .name('import:eso')
  .option('--crds <path>', 'a folder of ESO CRD files or one bundle file', process.env.CSS_ESO_CRDS ?? DEFAULT_ESO_CRDS)
  .parse()
  .opts<{ crds: string }>();

const servedV1 = readEsoCrds(resolve(crds))
  .map((crd) => ({ ...crd, spec: { ...crd.spec, versions: crd.spec.versions.filter((v) => v.name === 'v1') } }))
  .filter((crd) => crd.spec.versions.length > 0)
  .sort((a, b) => a.spec.names.kind.localeCompare(b.spec.names.kind));

const file = join(mkdtempSync(join(tmpdir(), 'eso-crds-')), 'external-secrets-v1.yaml');
writeFileSync(file, servedV1.map((d) => stringify(d)).join('---\n'));
console.log(`importing ${servedV1.length} CRDs (v1 only) from ${crds} with ${CDK8S_CLI}`);
execFileSync('npx', ['--yes', CDK8S_CLI, 'import', file, '--language', 'typescript', '--output', outDir], { stdio: 'inherit' });
