/**
 * The access plan over random pairs of catalogues: applying its grants to the base gives the head's access,
 * an unchanged catalogue plans nothing, edits that only take access away never widen it, and adding one
 * request plans exactly that request's deliveries.
 */
import fc from 'fast-check';
import { planAccess } from '../../cli/review/access-plan';
import { type Catalogue, type Grant, accessGrants, formatsOf, grantKey, loadCatalogue } from '../../tenants/lib';
import { NARROWING_EDITS, WIDENING_EDITS, catalogueArb, editedCatalogueArb } from '../support/arbitraries';
import { FIXTURE_CATALOGUE_DIR } from '../support/fixture-catalogue';

const RUNS = { numRuns: 100 };
const OPTIONS = { baseLabel: 'base', headLabel: 'head', now: new Date('2026-06-01T00:00:00Z'), expiringWithinDays: 30 };
const richCatalogueArb = catalogueArb({ ownSecrets: true, deployers: true, withVault: true });
const keys = (grants: readonly Grant[]) => grants.map(grantKey).sort();

/** The base's grants with the plan applied: every removed grant must be there, every added one must not. */
function applyPlan(base: Catalogue, plan: ReturnType<typeof planAccess>): string[] {
  const access = new Set(keys(accessGrants(base)));
  for (const key of keys(plan.removed)) {
    expect(access.has(key)).toBe(true);
    access.delete(key);
  }
  for (const key of keys(plan.added)) {
    expect(access.has(key)).toBe(false);
    access.add(key);
  }
  return [...access].sort();
}

const pairs = fc.oneof(
  fc.tuple(richCatalogueArb, richCatalogueArb),
  richCatalogueArb.chain((base) => fc.tuple(fc.constant(base), editedCatalogueArb(base, { ...NARROWING_EDITS, ...WIDENING_EDITS }))),
);

describe('access plan', () => {
  test("applying the plan to the base gives the head's access, and it widens exactly when it adds a grant (random pairs, 100 runs)", () => {
    fc.assert(
      fc.property(pairs, ([base, head]) => {
        const plan = planAccess(base, head, OPTIONS);
        expect(applyPlan(base, plan)).toEqual(keys(accessGrants(head)));
        expect(plan.widened).toBe(plan.added.length > 0);
      }),
      RUNS,
    );
  });

  test('an unchanged catalogue plans nothing, also when it is a copy (100 runs)', () => {
    fc.assert(
      fc.property(richCatalogueArb, (catalogue) => {
        for (const head of [catalogue, structuredClone(catalogue)]) {
          const plan = planAccess(catalogue, head, OPTIONS);
          expect({
            added: plan.added,
            removed: plan.removed,
            widened: plan.widened,
            clusters: plan.clusters,
            tenants: plan.tenants,
          }).toEqual({
            added: [],
            removed: [],
            widened: false,
            clusters: { added: [], removed: [] },
            tenants: { added: [], removed: [] },
          });
          expect(plan.vaultReads.every((r) => JSON.stringify(r.before) === JSON.stringify(r.after))).toBe(true);
        }
      }),
      RUNS,
    );
  });

  test('edits that only take access away never widen it (100 runs)', () => {
    fc.assert(
      fc.property(
        richCatalogueArb.chain((base) => fc.tuple(fc.constant(base), editedCatalogueArb(base, NARROWING_EDITS))),
        ([base, head]) => {
          const plan = planAccess(base, head, OPTIONS);
          expect(plan.added).toEqual([]);
          expect(plan.widened).toBe(false);
        },
      ),
      RUNS,
    );
  });

  test("adding one request plans exactly that request's deliveries, one per format, and widens (100 runs)", () => {
    fc.assert(
      fc.property(
        richCatalogueArb.chain((base) => fc.tuple(fc.constant(base), fc.nat())),
        ([base, pick]) => {
          const head = structuredClone(base) as any;
          if (!WIDENING_EDITS['add a request'](head, pick)) return;
          const plan = planAccess(base, head, OPTIONS);
          expect(plan.removed).toEqual([]);
          expect(plan.widened).toBe(true);
          const [first] = plan.added as Grant[];
          if (first.kind !== 'delivery') throw new Error(`expected a delivery, got ${JSON.stringify(first)}`);
          const credential = base.credentials.find((c) => c.name === first.credential)!;
          expect(plan.added).toEqual(
            formatsOf(credential)
              .map((f) => ({ ...first, format: f.id }))
              .sort((a, b) => (a.format < b.format ? -1 : 1)),
          );
        },
      ),
      RUNS,
    );
  });

  test('moving a cluster to another environment widens access: it reads the same secret names from another vault', () => {
    const base = loadCatalogue(FIXTURE_CATALOGUE_DIR);
    const head = structuredClone(base) as any;
    head.clusters.find((c: any) => c.name === 'edge-k3s-ams-01').environment = 'staging';
    const plan = planAccess(base, head, OPTIONS);
    expect(plan.widened).toBe(true);
    const vaults = (grants: readonly Grant[]) => [
      ...new Set(grants.flatMap((g) => (g.kind === 'master' || g.kind === 'own-secret' ? [g.vault] : []))),
    ];
    expect(vaults(plan.added)).toEqual(['contoso-css-staging']);
    expect(vaults(plan.removed)).toEqual(['contoso-css-prod']);
    expect(
      plan.added
        .map((g) => g.kind === 'master' && g.vaultSecret)
        .filter(Boolean)
        .sort(),
    ).toEqual(
      plan.removed
        .map((g) => g.kind === 'master' && g.vaultSecret)
        .filter(Boolean)
        .sort(),
    );
  });
});
