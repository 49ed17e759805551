/**
 * Validates synthesized objects the way the API server does with strict field validation: ESO objects
 * against the v1 schemas of the ESO 2.9.0 CRDs (read from ../shared, see scripts/eso-crds.ts), core and RBAC
 * objects against the Kubernetes 1.34 OpenAPI schemas. Unknown fields are rejected everywhere except where a
 * schema preserves them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { KubeObject } from '../../plane';
import { readEsoCrds } from '../../scripts/eso-crds';

const ROOT = join(__dirname, '..', '..');
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

type Schema = Record<string, unknown>;

/** Adds `additionalProperties: false` to every object schema that lists its properties and keeps no unknowns. */
function rejectUnknownFields(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rejectUnknownFields);
  if (!node || typeof node !== 'object') return node;
  const schema = Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === 'default' || k === 'example' ? v : rejectUnknownFields(v)]),
  ) as Schema;
  if (schema.properties && schema.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    schema.additionalProperties = false;
  }
  return schema;
}

function createAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'byte', 'double', 'float', 'int-or-string', 'duration']) ajv.addFormat(f, true);
  return ajv;
}

class SchemaRegistry {
  private readonly ajv = createAjv();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    const kube = JSON.parse(readFileSync(join(ROOT, 'test', 'schemas', 'kubernetes-v1.34.4.json'), 'utf8'));
    const components = rejectUnknownFields(kube.schemas) as Record<string, Schema>;
    this.ajv.addSchema({ $id: 'kubernetes', components: { schemas: components } });
    for (const [name, schema] of Object.entries(components)) {
      for (const gvk of (schema['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[]) ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        this.validators.set(`${apiVersion}/${gvk.kind}`, this.ajv.getSchema(`kubernetes#/components/schemas/${name}`)!);
      }
    }

    for (const crd of readEsoCrds()) {
      for (const version of crd.spec.versions.filter((v) => v.served)) {
        const schema = rejectUnknownFields(version.schema.openAPIV3Schema) as Schema & { properties: Schema };
        // The API server validates metadata as ObjectMeta, whatever the CRD says.
        schema.properties = { ...schema.properties, metadata: { $ref: `kubernetes#/components/schemas/${OBJECT_META}` } };
        this.validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, this.ajv.compile(schema));
      }
    }
  }

  /** Returns the schema errors of an object; throws when no schema is known for its kind. */
  errors(object: KubeObject): string[] {
    const validate = this.validators.get(`${object.apiVersion}/${object.kind}`);
    if (!validate) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
    const name = `${object.kind}/${object.metadata?.name}`;
    if (validate(object)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${name}${e.instancePath}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`,
    );
  }
}

let registry: SchemaRegistry | undefined;

/** Schema errors of an object, as strict server-side validation would report them. */
export function schemaErrors(object: KubeObject): string[] {
  registry ??= new SchemaRegistry();
  return registry.errors(object);
}
