import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../support/kube-client';

/** The module of the ESO release the controller is built from (v0.20.4), in the Go module cache. */
export function esoModuleDir(): string {
  const wrapper = join(__dirname, '..', '..', 'toolchain', 'eso');
  return JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', 'github.com/external-secrets/external-secrets'], { cwd: wrapper, encoding: 'utf8' }),
  ).Dir;
}

/**
 * The CRDs of the ESO release the controller was built from (v0.20.4, from its module in the Go module
 * cache), so the API server validates our objects with the schema the running controller understands.
 */
export function esoControllerCrds(): KubeObject[] {
  return parseAllDocuments(readFileSync(join(esoModuleDir(), 'deploy', 'crds', 'bundle.yaml'), 'utf8'))
    .map((d) => d.toJS())
    .filter((d) => d?.kind === 'CustomResourceDefinition');
}
