/**
 * A grant gained or lost, as one sentence a reviewer can read without knowing ESO: who, gains or loses, what.
 * The cluster is not repeated; the plan lists grants under their cluster.
 */
import type { Backend, DestinationKind, Grant } from '../../tenants/lib';

export type Change = 'added' | 'removed';

const BACKEND: Readonly<Record<Backend, string>> = { keyVault: 'Key Vault', vault: 'HashiCorp Vault' };

/** Who sends a credential to a destination of each kind, and what the destination is. */
const DESTINATION: Readonly<Record<DestinationKind, { readonly who: string; readonly what: string }>> = {
  registry: { who: 'the kubelet and other registry clients', what: 'the registry' },
  'argocd-repository': { who: 'Argo CD', what: 'the repository' },
  'argocd-repo-creds': { who: 'Argo CD', what: 'every repository under' },
  'kargo-image': { who: 'Kargo', what: 'the image repository' },
  'kargo-git': { who: 'Kargo', what: 'the git repository' },
  'kargo-helm': { who: 'Kargo', what: 'the Helm chart repository' },
  'oauth-issuer': { who: 'OAuth clients', what: 'the issuer' },
  'oauth-token': { who: 'OAuth clients', what: 'the token endpoint' },
};

export function describeGrant(grant: Grant, change: Change): string {
  const gains = change === 'added' ? 'gains' : 'loses';
  switch (grant.kind) {
    case 'delivery':
      return `namespace ${grant.namespace} (tenant ${grant.tenant}) ${gains} credential ${grant.credential} as ${grant.format}`;
    case 'pull-secret':
      return `ServiceAccount ${grant.serviceAccount} in namespace ${grant.namespace} (tenant ${grant.tenant}) ${change === 'added' ? 'now pulls' : 'no longer pulls'} images with credential ${grant.credential} as ${grant.format}`;
    case 'own-secret': {
      const what = grant.global ? 'global secret' : 'own secret';
      const readers =
        grant.serviceAccount === null ? `anyone who may read Secrets in ${grant.namespace}` : `ServiceAccount ${grant.serviceAccount} only`;
      return `namespace ${grant.namespace} (tenant ${grant.tenant}) ${gains} ${what} ${grant.secret} from ${BACKEND[grant.backend]} ${grant.vault}: ${grant.vaultSecrets.join(', ')}, readable by ${readers}`;
    }
    case 'allowed-tenant':
      return `tenant ${grant.tenant} ${change === 'added' ? 'may now request' : 'may no longer request'} credential ${grant.credential}`;
    case 'credential-store':
      return `store ${grant.store} ${change === 'added' ? 'now admits' : 'no longer admits'} namespaces of tenant ${grant.tenant}`;
    case 'tenant-store':
      return `store ${grant.store} ${change === 'added' ? 'now admits' : 'no longer admits'} namespace ${grant.namespace}`;
    case 'master':
      return `the cluster ${change === 'added' ? 'now reads' : 'no longer reads'} ${grant.vaultSecret} from ${BACKEND[grant.backend]} ${grant.vault} as ${grant.key} of credential ${grant.credential}`;
    case 'deployer':
      return `${grant.identity === 'User' ? 'user' : 'group'} ${grant.name} ${change === 'added' ? 'may now' : 'may no longer'} deploy: set tenant and request labels, use the shared stores`;
    case 'owner':
      return `${grant.identity === 'User' ? 'user' : 'group'} ${grant.name}, an owner of tenant ${grant.tenant}, ${change === 'added' ? 'may now' : 'may no longer'} see the ExternalSecrets of namespace ${grant.namespace} and whether they synced`;
    case 'destination': {
      const { who, what } = DESTINATION[grant.via];
      return `${who} ${change === 'added' ? 'may now' : 'may no longer'} send credential ${grant.credential} (format ${grant.format}) to ${what} ${grant.url}`;
    }
    case 'vault-trust': {
      const authority =
        grant.authority === null ? 'any certificate authority of the system roots' : `the certificate authority ${grant.authority}`;
      return `ESO ${change === 'added' ? 'now trusts' : 'no longer trusts'} ${authority} to be HashiCorp Vault ${grant.vault}, and ${change === 'added' ? 'sends' : 'no longer sends'} it its logins and reads`;
    }
  }
}
