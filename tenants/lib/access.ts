/**
 * The access model: who gets which secret, where, as a flat set of grants, collected from the objects of
 * every cluster's plan (cluster-plan.ts: each object carries the grants it enforces) and the catalogue-wide
 * `allowedTenants`. A test checks each kind of grant against what synth writes, so the model cannot drift
 * from the objects that enforce it.
 */
import type { Catalogue } from './catalogue';
import { clusterPlans } from './cluster-plan';
import { type Grant, grantKey, sortGrants } from './grants';

/** Every grant the catalogue makes (a validated one), sorted and without duplicates. */
export function accessGrants(catalogue: Catalogue): Grant[] {
  const grants: Grant[] = catalogue.credentials.flatMap((credential) =>
    credential.allowedTenants.map((tenant): Grant => ({ kind: 'allowed-tenant', credential: credential.name, tenant })),
  );
  for (const plan of clusterPlans(catalogue)) {
    for (const object of plan.objects) grants.push(...object.grants);
  }
  const unique = new Map(grants.map((g) => [grantKey(g), g]));
  return sortGrants([...unique.values()]);
}
