import type { Credential, Format } from '../../tenants/lib';
import { argocd } from './argocd';
import { basicAuth } from './basic-auth';
import { dockerConfigJson } from './docker-config-json';
import { kargo } from './kargo';
import { mapping } from './mapping';
import { oauth } from './oauth';
import { opaque } from './opaque';
import { sshAuth } from './ssh-auth';
import type { RenderedFormat } from './template';
import { tls } from './tls';

export type { RenderedFormat } from './template';

/** Renders one output format of a credential into the Secret type, labels and templates ESO applies. */
export function renderFormat(credential: Credential, format: Format): RenderedFormat {
  switch (format.type) {
    case 'dockerconfigjson':
      return dockerConfigJson(credential, format);
    case 'basic-auth':
      return basicAuth(credential, format);
    case 'ssh-auth':
      return sshAuth(credential, format);
    case 'oauth':
      return oauth(credential, format);
    case 'tls':
      return tls(credential, format);
    case 'opaque':
      return opaque(credential, format);
    case 'argocd':
      return argocd(credential, format);
    case 'kargo':
      return kargo(credential, format);
    case 'mapping':
      return mapping(credential, format);
  }
}
