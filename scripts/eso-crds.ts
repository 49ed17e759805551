/**
 * Where the ESO CRDs come from. The project carries no copy: by default they are read from the ESO 2.9.0 CRDs
 * beside the repository (../shared/schemas/external-secrets), and `CSS_ESO_CRDS` (or `--crds` of
 * `npm run import:eso`) points at the CRDs of another ESO version: a folder of CRD files, or one bundle such
 * as ESO's deploy/crds/bundle.yaml.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const DEFAULT_ESO_CRDS = resolve(__dirname, '..', '..', 'shared', 'schemas', 'external-secrets');

export interface CustomResourceDefinition {
  readonly kind: 'CustomResourceDefinition';
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: readonly {
      readonly name: string;
      readonly served: boolean;
      readonly schema: { readonly openAPIV3Schema: Record<string, unknown> };
    }[];
  };
}

/** The external-secrets.io CRDs in a folder of YAML files or in one multi-document file. */
export function readEsoCrds(location: string = process.env.CSS_ESO_CRDS ?? DEFAULT_ESO_CRDS): CustomResourceDefinition[] {
  let files: string[];
  try {
    files = statSync(location).isDirectory()
      ? readdirSync(location)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(location, f))
      : [location];
  } catch {
    throw new Error(`ESO CRDs not found at ${location}: set CSS_ESO_CRDS to a folder of ESO's CRD files or to its deploy/crds/bundle.yaml`);
  }
  const crds = files
    .flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS()))
    .filter((d): d is CustomResourceDefinition => d?.kind === 'CustomResourceDefinition' && d.spec?.group === 'external-secrets.io');
  if (crds.length === 0) throw new Error(`no external-secrets.io CustomResourceDefinition in ${location}`);
  return crds;
}
