/**
 * The Key Vault stand-in (key-vault-stand-in.ts) as a backend of the shared cases: one flat namespace of secret
 * names, read by ESO's webhook provider in place of azurekv. It knows no identity per tenant, so what keeps
 * tenants apart on it is the product alone (store conditions and admission), which the shared cases check on
 * every backend.
 */
import { join } from 'node:path';
import { type Catalogue, canaryKeyVaultSecretName } from '../../../tenants/lib';
import type { KubeObject } from '../../support/kube-client';
import { BACKEND_CLUSTER, BACKEND_CREDENTIALS, type BackendCredential, writeBackendCatalogue } from './backend-catalogue';
import type { BackendUnderTest, OwnValues, SharedValues } from './backend-under-test';
import { KeyVaultStandIn } from './key-vault-stand-in';
import { adaptForNode } from './node-adaptations';
import type { NodeSuite } from './node-suite';

const sharedName = (credential: string, key: string) => `${credential}-${key}`;
/** A tenant's own secret lives in its space of names, `<tenant>--`. */
const ownName = (tenant: string, secret: string, key: string) => `${tenant}--${secret}-${key}`;

export class KeyVaultBackend implements BackendUnderTest {
  readonly name = 'the Key Vault stand-in';
  private readonly standIn = new KeyVaultStandIn();
  private values: Record<string, string> = {};
  /** Reads of each secret name when the last rotation was written. */
  private readsAtRotation: Record<string, number> = {};

  async start(dir: string): Promise<Catalogue> {
    await this.standIn.start();
    return writeBackendCatalogue(join(dir, 'catalogue'), {
      environment: { keyVault: { name: 'kv-css-backend-e2e', tenantId: '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f' } },
      field: 'keyVault',
      shared: sharedName,
      own: ownName,
    });
  }

  get addresses(): readonly string[] {
    return [this.standIn.address];
  }

  adapt(objects: readonly KubeObject[], suite: NodeSuite, masterRefreshInterval: string): KubeObject[] {
    return adaptForNode(objects, { server: suite.cp.server, vaultUrl: this.standIn.webhookUrl, masterRefreshInterval });
  }

  async configure(_suite: NodeSuite, shared: SharedValues, own: OwnValues): Promise<void> {
    for (const [credential, values] of Object.entries(shared))
      for (const [key, value] of Object.entries(values)) this.values[sharedName(credential, key)] = value;
    for (const [tenant, secrets] of Object.entries(own)) {
      for (const [secret, values] of Object.entries(secrets))
        for (const [key, value] of Object.entries(values)) this.values[ownName(tenant, secret, key)] = value;
    }
    this.values[canaryKeyVaultSecretName(BACKEND_CLUSTER)] = 'deployment-0123abcd';
    this.standIn.set(this.values);
  }

  async rotate(credential: string, values: Readonly<Record<string, string>>): Promise<void> {
    for (const [key, value] of Object.entries(values)) this.values[sharedName(credential, key)] = value;
    this.readsAtRotation = this.standIn.readCounts();
    this.standIn.set(this.values);
  }

  /** The stand-in counts reads per name; a credential's master reads each of its keys once per sync. */
  masterReadsSinceRotation(credential: string): number {
    const [key] = BACKEND_CREDENTIALS[credential as BackendCredential].keys;
    const name = sharedName(credential, key);
    return (this.standIn.readCounts()[name] ?? 0) - (this.readsAtRotation[name] ?? 0);
  }

  stop(): Promise<void> {
    return this.standIn.stop();
  }
}
