/**
 * The access plan as Markdown for a pull-request comment: the verdict first, then per cluster every grant
 * gained (+) or lost (-) in plain words, in `diff` blocks that GitHub colours, then the vault reads and
 * the secrets that expire soon.
 */
import { type Grant, MASTER_REFRESH_INTERVAL, OWN_SECRET_REFRESH_INTERVAL, grantOrder } from '../../tenants/lib';
import type { AccessPlan, Membership, VaultReadsChange } from './access-plan';
import { type Change, describeGrant } from './grant-sentences';

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function planMarkdown(plan: AccessPlan): string {
  const lines = [`## Access plan: \`${plan.base}\` → \`${plan.head}\``, '', verdict(plan), ''];
  if (plan.securityChanges.length > 0) lines.push('**Security changes:**', '', ...plan.securityChanges.map((c) => `* ${c.sentence}`), '');
  const membership = [...membershipLines('cluster', plan.clusters), ...membershipLines('tenant', plan.tenants)];
  if (membership.length > 0) lines.push(...membership, '');
  for (const [cluster, changes] of changesByCluster(plan)) {
    lines.push(
      `### ${cluster === '' ? 'All clusters' : cluster}`,
      '',
      '```diff',
      ...changes.map(({ grant, change }) => `${change === 'added' ? '+' : '-'} ${describeGrant(grant, change)}`),
      '```',
      '',
    );
  }
  lines.push(...vaultReadsSection(plan), ...expiringSection(plan));
  return `${lines.join('\n').trimEnd()}\n`;
}

function verdict(plan: AccessPlan): string {
  const counts = `${plan.added.length} ${plural(plan.added.length, 'grant')} added, ${plan.removed.length} removed`;
  if (plan.widened) return `**Access widens** (${counts}): this change needs a security review.`;
  if (plan.reviewNeeded)
    return `**Security change** (${counts}): the ${[...new Set(plan.securityChanges.map((c) => c.subject))].join(' and ')} change; this change needs a security review.`;
  if (plan.removed.length > 0) return `**Access narrows only** (${counts}): nothing is granted that was not before.`;
  return '**No access changes.**';
}

function membershipLines(what: string, { added, removed }: Membership): string[] {
  const names = (list: readonly string[]) => list.map((n) => `\`${n}\``).join(', ');
  return [
    ...(added.length > 0 ? [`* New ${plural(added.length, what)}: ${names(added)}`] : []),
    ...(removed.length > 0 ? [`* Removed ${plural(removed.length, what)}: ${names(removed)}`] : []),
  ];
}

/** Added and removed grants together, grouped by cluster ('' for catalogue-wide), in grant order. */
function changesByCluster(plan: AccessPlan): Map<string, { grant: Grant; change: Change }[]> {
  // A grant is added or removed, never both, so grant order alone orders the changes.
  const changes = [
    ...plan.added.map((grant) => ({ grant, change: 'added' as const })),
    ...plan.removed.map((grant) => ({ grant, change: 'removed' as const })),
  ]
    .map((entry) => ({ ...entry, order: grantOrder(entry.grant) }))
    .sort((a, b) => (a.order < b.order ? -1 : 1));
  const byCluster = new Map<string, { grant: Grant; change: Change }[]>();
  for (const entry of changes) {
    const cluster = 'cluster' in entry.grant ? entry.grant.cluster : '';
    const list = byCluster.get(cluster) ?? [];
    list.push(entry);
    byCluster.set(cluster, list);
  }
  return byCluster;
}

function vaultReadsSection(plan: AccessPlan): string[] {
  const { requests, seconds } = plan.vaultLimit;
  const limit = `${number.format(requests)} GETs per ${seconds} s`;
  const cell = (change: VaultReadsChange, field: 'perHour' | 'peak') => {
    const [b, a] = [change.before?.[field], change.after?.[field]];
    const show = (v: number | undefined) => (v === undefined ? '–' : number.format(v));
    return b === a ? show(a) : `${show(b)} → ${show(a)}`;
  };
  const share = (change: VaultReadsChange) => {
    if (!change.after) return '–';
    if (change.backend === 'vault') return 'no fixed limit';
    const percent = `${number.format((change.after.peak / requests) * 100)} %`;
    return change.after.peak > requests ? `**${percent}: over the limit, expect throttling**` : percent;
  };
  return [
    '### Vault reads',
    '',
    `| vault (environment) | GETs per hour | peak GETs at once | peak, of Key Vault's limit (${limit}) |`,
    '|---|---:|---:|---:|',
    ...plan.vaultReads.map((r) => `| \`${r.vault}\` (${r.environment}) | ${cell(r, 'perHour')} | ${cell(r, 'peak')} | ${share(r)} |`),
    '',
    `Each cluster reads the master of every credential it offers from its environment's vault every ${MASTER_REFRESH_INTERVAL}, one GET per master key, and its canary's one value; tenant copies read the cluster's API server, never the vault. ` +
      `Each namespace reads its own secrets, and its tenant's global secrets on that cluster, every ${OWN_SECRET_REFRESH_INTERVAL}, one GET per key. ` +
      'The peak is all of them refreshing at once, as after ESO restarts. HashiCorp Vault has no fixed limit: the peak is for sizing the server.',
    '',
  ];
}

function expiringSection(plan: AccessPlan): string[] {
  const { now, withinDays, secrets } = plan.expiring;
  const heading = `### Own secrets expiring within ${withinDays} ${plural(withinDays, 'day')} of ${now.slice(0, 10)}`;
  if (secrets.length === 0) return [heading, '', 'None.', ''];
  return [
    heading,
    '',
    '| expires | days left | cluster | tenant | namespace | secret |',
    '|---|---:|---|---|---|---|',
    ...secrets.map(
      (s) =>
        `| ${s.expires} | ${s.expired ? '**expired**' : s.daysLeft} | ${s.cluster} | ${s.tenant} | ${s.namespace ?? `every namespace of ${s.tenant}`} | ${s.secret} |`,
    ),
    '',
  ];
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
