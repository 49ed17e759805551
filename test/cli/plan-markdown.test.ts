/**
 * The parts of the plan's Markdown that the example catalogue never reaches: a Key Vault over its limit, a new
 * HashiCorp Vault environment, new and removed clusters and tenants, an expired secret, a change that only narrows.
 */
import type { AccessPlan } from '../../cli/review/access-plan';
import { planMarkdown } from '../../cli/review/plan-markdown';

const plan: AccessPlan = {
  base: 'origin/main',
  head: 'tenants',
  widened: false,
  securityChanges: [],
  reviewNeeded: false,
  clusters: { added: ['aks-neu-prod'], removed: [] },
  tenants: { added: [], removed: ['legacy', 'old-search'] },
  added: [],
  removed: [
    {
      kind: 'delivery',
      cluster: 'aks-neu-prod',
      tenant: 'legacy',
      namespace: 'legacy-api',
      credential: 'acr-pull',
      format: 'dockerconfigjson',
    },
  ],
  vaultLimit: { requests: 4000, seconds: 10 },
  vaultReads: [
    { environment: 'dr', backend: 'vault', vault: 'https://vault.dr.example:8200', before: null, after: { perHour: 120, peak: 10 } },
    {
      environment: 'prod',
      backend: 'keyVault',
      vault: 'kv-prod',
      before: { perHour: 47_988, peak: 3999 },
      after: { perHour: 48_036, peak: 4003 },
    },
  ],
  expiring: {
    now: '2028-02-15T00:00:00.000Z',
    withinDays: 1,
    secrets: [
      {
        cluster: 'aks-neu-prod',
        tenant: 'payments',
        namespace: null,
        secret: 'flags',
        expires: '2028-02-01T00:00:00Z',
        daysLeft: -14,
        expired: true,
        file: 'tenants/teams/payments.yaml',
      },
    ],
  },
};

test('the Markdown of a plan that narrows access, with a vault over its limit and an expired secret', () => {
  expect(planMarkdown(plan)).toBe(`## Access plan: \`origin/main\` → \`tenants\`

**Access narrows only** (0 grants added, 1 removed): nothing is granted that was not before.

* New cluster: \`aks-neu-prod\`
* Removed tenants: \`legacy\`, \`old-search\`

### aks-neu-prod

\`\`\`diff
- namespace legacy-api (tenant legacy) loses credential acr-pull as dockerconfigjson
\`\`\`

### Vault reads

| vault (environment) | GETs per hour | peak GETs at once | peak, of Key Vault's limit (4,000 GETs per 10 s) |
|---|---:|---:|---:|
| \`https://vault.dr.example:8200\` (dr) | – → 120 | – → 10 | no fixed limit |
| \`kv-prod\` (prod) | 47,988 → 48,036 | 3,999 → 4,003 | **100.1 %: over the limit, expect throttling** |

Each cluster reads the master of every credential it offers from its environment's vault every 5m0s, one GET per master key, and its canary's one value; tenant copies read the cluster's API server, never the vault. Each namespace reads its own secrets, and its tenant's global secrets on that cluster, every 5m0s, one GET per key. The peak is all of them refreshing at once, as after ESO restarts. HashiCorp Vault has no fixed limit: the peak is for sizing the server.

### Own secrets expiring within 1 day of 2028-02-15

| expires | days left | cluster | tenant | namespace | secret |
|---|---:|---|---|---|---|
| 2028-02-01T00:00:00Z | **expired** | aks-neu-prod | payments | every namespace of payments | flags |
`);
});
