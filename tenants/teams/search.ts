// A tenant written in TypeScript: the same schema as the YAML tenants, with type checking in the editor.
import { defineTenant } from 'central-secret-store/catalogue';

const requests = ['ghcr-pull', 'acr-pull', 'entra-oauth-client', 'datadog-api'];

export default defineTenant({
  name: 'search',
  description: 'Search indexing and query services',
  owners: [{ kind: 'Group', name: 'search-team' }],
  clusters: {
    'aks-weu-staging': {
      namespaces: [{ name: 'search-staging', requests }],
    },
    'aks-weu-prod': {
      namespaces: [
        { name: 'search-api', requests: [...requests, 'wildcard-tls'] },
        {
          name: 'search-indexer',
          requests,
          secrets: [
            {
              name: 'indexer-identity',
              type: 'workload',
              serviceAccount: 'indexer',
              spiffeId: 'spiffe://aks-weu-prod.prod.local/ns/search-indexer/sa/indexer',
              keyVault: { 'client.key': 'search--indexer-client-key' },
              labels: { 'app.kubernetes.io/name': 'indexer' },
            },
          ],
        },
      ],
      globalSecrets: [{ name: 'search-opensearch', type: 'kubernetes', keyVault: { password: 'search--opensearch-password' } }],
    },
  },
});
