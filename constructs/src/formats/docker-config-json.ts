import { type RenderedFormat, goString, key } from './template';

/**
 * `kubernetes.io/dockerconfigjson` for every registry (docs/catalogue.md, "Credential kinds and formats"):
 * `auths.<registry>.{username,password,auth}`, where auth is base64 of `username:password`. The document is
 * built with `dict` and `toJson`, so a quote or backslash in a value cannot break the JSON.
 */
export function dockerConfigJson(registries: readonly string[]): RenderedFormat {
  const auth = `dict "username" ${key('username')} "password" ${key('password')} "auth" (printf "%s:%s" ${key('username')} ${key('password')} | b64enc)`;
  const entries = registries.map((r) => `${goString(r)} $auth`).join(' ');
  return {
    secretType: 'kubernetes.io/dockerconfigjson',
    labels: {},
    data: { '.dockerconfigjson': `{{- $auth := ${auth} -}}{{ dict "auths" (dict ${entries}) | toJson }}` },
  };
}
