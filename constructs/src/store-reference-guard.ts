import { Construct } from 'constructs';
import { type PlatformIdentities, addAdmissionPolicy, celString, requireIdentities } from './admission';
import { TENANT_LABEL } from './vocabulary/labels';
import { listNames, requireNames } from './name-checks';
import { refuseDuplicateObjects } from './unique-objects';

export interface StoreReferenceGuardProps {
  /**
   * Users and groups exempt from the policy: the platform deployer, and the ESO controller, which creates the
   * distributions' ExternalSecrets itself.
   */
  readonly platformIdentities: PlatformIdentities;

  /** Stores no tenant may reference directly: the Key Vault bridge. */
  readonly sharedStores: readonly string[];

  /** Prefix of the per-credential central stores, e.g. `central-`. */
  readonly centralStorePrefix: string;

  /** Prefix of the per-tenant stores, e.g. `tenant-`; a tenant may use only its own. */
  readonly tenantStorePrefix: string;

  /** The central namespace, which no tenant SecretStore may read. */
  readonly centralNamespace: string;

  /**
   * Name of the policy and its binding.
   * @default 'central-secret-store-store-references'
   */
  readonly name?: string;
}

/**
 * A tenant who can write ExternalSecrets could point one at a shared store and read any credential. This
 * policy refuses tenant ExternalSecrets that reference the Key Vault bridge, a central credential store or
 * another tenant's store, and tenant SecretStores that read the central namespace. It judges creates and
 * changes of the spec (where store references and the keys read through them live); updates of metadata
 * alone, such as the garbage collector removing its `foregroundDeletion` finalizer, are never judged, so
 * deletion completes.
 */
export class StoreReferenceGuard extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: StoreReferenceGuardProps) {
    super(scope, id);
    refuseDuplicateObjects(this);
    requireIdentities(props.platformIdentities, 'StoreReferenceGuard: platformIdentities');
    this.name = props.name ?? 'central-secret-store-store-references';
    requireNames('StoreReferenceGuard', [
      ['name', this.name, 'dns1123Subdomain'],
      ['centralNamespace', props.centralNamespace, 'dns1123Label'],
      ...listNames('sharedStores', props.sharedStores, 'dns1123Subdomain'),
    ]);
    const storeRefs = (field: string) =>
      `object.spec.?${field}.orValue([]).filter(d, has(d.sourceRef) && has(d.sourceRef.storeRef)).map(d, d.sourceRef.storeRef.name)`;
    addAdmissionPolicy(this, {
      name: this.name,
      rules: [
        {
          apiGroups: ['external-secrets.io'],
          apiVersions: ['*'],
          resources: ['externalsecrets', 'secretstores'],
          operations: ['CREATE', 'UPDATE'],
        },
      ],
      exempt: props.platformIdentities,
      changesGuardedFields: "request.operation == 'CREATE' || object.?spec.orValue({}) != oldObject.?spec.orValue({})",
      variables: [
        { name: 'tenant', expression: `namespaceObject.metadata.?labels.orValue({})[?${celString(TENANT_LABEL)}].orValue('')` },
        {
          name: 'storeNames',
          expression: `[object.spec.?secretStoreRef.?name.orValue('')] + ${storeRefs('data')} + ${storeRefs('dataFrom')}`,
        },
      ],
      validations: [
        {
          expression:
            `request.resource.resource != 'externalsecrets' || variables.storeNames.all(n, !(n in [${props.sharedStores.map(celString).join(', ')}]) && ` +
            `!n.startsWith(${celString(props.centralStorePrefix)}) && (!n.startsWith(${celString(props.tenantStorePrefix)}) || n == ${celString(props.tenantStorePrefix)} + variables.tenant))`,
          message:
            "tenant ExternalSecrets may not use the Key Vault bridge, the central credential stores or another tenant's store; request shared credentials through the catalogue",
          reason: 'Forbidden',
        },
        {
          expression: `request.resource.resource != 'secretstores' || object.spec.provider.?kubernetes.?remoteNamespace.orValue('') != ${celString(props.centralNamespace)}`,
          message: `a SecretStore may not read the ${props.centralNamespace} namespace`,
          reason: 'Forbidden',
        },
      ],
    });
  }
}
