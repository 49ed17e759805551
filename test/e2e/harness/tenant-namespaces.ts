import { App, Chart } from 'cdk8s';
import { TenantNamespace } from '../../../constructs/src';
import type { KubeObject } from '../../support/kube-client';

/**
 * Namespaces of a tenant exactly as the catalogue would declare them (the TenantNamespace construct), each
 * requesting `requests` and owned by the group `<tenant>-admins`: how the suites add namespaces by the hundred.
 */
export function tenantNamespaces(names: readonly string[], tenant: string, requests: string[]): KubeObject[] {
  const chart = new Chart(new App(), 'ns', { disableResourceNameHashes: true });
  for (const name of names)
    new TenantNamespace(chart, name, { name, tenant, requests, owners: [{ kind: 'Group', name: `${tenant}-admins` }] });
  return chart.toJson() as KubeObject[];
}
