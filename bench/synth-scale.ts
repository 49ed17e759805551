/**
 * npm run bench: synthesizes catalogues of growing size, up to 50 clusters, 500 tenants, 5,000 namespaces
 * and 10 credentials, and prints for each: load + validation time, synth time, write time, objects written,
 * the time of an access plan (the catalogue against a copy of itself: both access models, their difference,
 * the vault reads and the Markdown) and of the access report page, the page's size, and peak memory. Each
 * size runs in a fresh process so that peak RSS belongs to that size alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planAccess } from '../cli/review/access-plan';
import { planMarkdown } from '../cli/review/plan-markdown';
import { reportData } from '../cli/review/report-data';
import { reportPage } from '../cli/review/report-page';
import { writeManifests } from '../cli/support/write-manifests';
import { synthesizeCluster } from '../plane';
import { loadCatalogue } from '../tenants/lib';
import { type CatalogueSize, writeCatalogue } from './generate-catalogue';

const SIZES: CatalogueSize[] = [
  { clusters: 5, tenants: 50, namespaces: 500, credentials: 10 },
  { clusters: 10, tenants: 100, namespaces: 1000, credentials: 10 },
  { clusters: 10, tenants: 150, namespaces: 2000, credentials: 10 },
  { clusters: 25, tenants: 250, namespaces: 2500, credentials: 10 },
  { clusters: 50, tenants: 500, namespaces: 5000, credentials: 10 },
];

interface Figures {
  readonly objects: number;
  readonly loadMs: number;
  readonly synthMs: number;
  readonly writeMs: number;
  readonly planMs: number;
  readonly reportMs: number;
  readonly reportKb: number;
  readonly peakRssMb: number;
}

function measure(size: CatalogueSize): Figures {
  const work = mkdtempSync(join(tmpdir(), 'css-bench-'));
  try {
    writeCatalogue(join(work, 'catalogue'), size);
    const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
    let t = process.hrtime.bigint();
    const catalogue = loadCatalogue(join(work, 'catalogue'));
    const loadMs = ms(t);
    t = process.hrtime.bigint();
    const manifests = catalogue.clusters.map((c) => synthesizeCluster(catalogue, c.name));
    const synthMs = ms(t);
    t = process.hrtime.bigint();
    writeManifests(join(work, 'dist'), manifests);
    const writeMs = ms(t);
    const objects = manifests.reduce((n, m) => n + m.clusterScoped.length + m.namespaced.length, 0);
    t = process.hrtime.bigint();
    planMarkdown(
      planAccess(catalogue, structuredClone(catalogue), { baseLabel: 'base', headLabel: 'head', now: new Date(), expiringWithinDays: 30 }),
    );
    const planMs = ms(t);
    t = process.hrtime.bigint();
    const page = reportPage(reportData(catalogue, 'catalogue', { generatedAt: new Date(), commit: null, uncommittedChanges: false }));
    const reportMs = ms(t);
    return {
      objects,
      loadMs,
      synthMs,
      writeMs,
      planMs,
      reportMs,
      reportKb: Buffer.byteLength(page) / 1024,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.env.CSS_BENCH_SIZE) {
  process.stdout.write(JSON.stringify(measure(JSON.parse(process.env.CSS_BENCH_SIZE))));
} else {
  console.log(
    'clusters tenants namespaces credentials |  objects | load ms | synth ms | write ms | total ms | us/object | plan ms | report ms | report kB | peak RSS MB',
  );
  for (const size of SIZES) {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename], {
      env: { ...process.env, CSS_BENCH_SIZE: JSON.stringify(size) },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`bench of ${JSON.stringify(size)} failed:\n${child.stderr}`);
    const f: Figures = JSON.parse(child.stdout);
    const total = f.loadMs + f.synthMs + f.writeMs;
    console.log(
      `${String(size.clusters).padStart(8)} ${String(size.tenants).padStart(7)} ${String(size.namespaces).padStart(10)} ${String(size.credentials).padStart(11)} | ` +
        `${String(f.objects).padStart(8)} | ${f.loadMs.toFixed(0).padStart(7)} | ${f.synthMs.toFixed(0).padStart(8)} | ${f.writeMs.toFixed(0).padStart(8)} | ` +
        `${total.toFixed(0).padStart(8)} | ${((total * 1000) / f.objects).toFixed(0).padStart(9)} | ${f.planMs.toFixed(0).padStart(7)} | ${f.reportMs.toFixed(0).padStart(9)} | ` +
        `${f.reportKb.toFixed(0).padStart(9)} | ${f.peakRssMb.toFixed(0).padStart(11)}`,
    );
  }
}
