/**
 * Errors that say what to change: a missing teams/ folder is one error, not an "unknown tenant" per
 * reference; a misspelt key gets "did you mean"; a wrong or missing top-level key is a sentence naming the keys
 * the file holds, not the schema library's words.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { catalogueIssues, validFixture, writeFixture } from '../support/fixture-catalogue';

const issuesOf = (dir: string) =>
  catalogueIssues(dir).map((i) => `${i.file.replace(/^.*css-catalogue-[^/]+\//, '')}:${i.line ?? '-'}: ${i.path}: ${i.message}`);

describe('catalogue hints', () => {
  test('a missing teams/ folder is one error, not an unknown tenant per reference', () => {
    const dir = writeFixture(validFixture());
    rmSync(join(dir, 'teams'), { recursive: true });
    expect(issuesOf(dir)).toEqual([
      'teams:-: : folder teams/ missing: the catalogue keeps one file per tenant there (teams/<tenant>.yaml or teams/<tenant>.ts); create it, even empty',
    ]);
  });

  test('a misspelt field gets "did you mean", at its line', () => {
    const fixture = validFixture();
    const namespace = (fixture.teams.alpha.clusters as any).c1.namespaces[0];
    namespace.reqests = namespace.requests;
    delete namespace.requests;
    expect(issuesOf(writeFixture(fixture))).toEqual([
      'teams/alpha.yaml:8: clusters.c1.namespaces[0]: unknown field "reqests"; did you mean "requests"?',
    ]);
  });

  test('a field nothing is close to names the fields allowed there', () => {
    const fixture = validFixture();
    (fixture.teams.alpha.clusters as any).c1.namespaces[0].colour = 'blue';
    expect(issuesOf(writeFixture(fixture))).toEqual([
      expect.stringMatching(
        /^teams\/alpha\.yaml:\d+: clusters\.c1\.namespaces\[0\]: unknown field "colour" \(allowed here: .*\bname\b.*\brequests\b.*\)$/,
      ),
    ]);
  });

  test('a wrong top-level key is one sentence naming the keys of the file', () => {
    const dir = writeFixture(validFixture());
    const { environments, clusters } = validFixture().clusters;
    writeFileSync(join(dir, 'clusters.yaml'), stringify({ environment: environments, clusters }));
    expect(issuesOf(dir)).toEqual([
      'clusters.yaml:1: : unknown field "environment"; did you mean "environments"? clusters.yaml holds environments and clusters',
    ]);
    writeFileSync(join(dir, 'clusters.yaml'), stringify({ clusters }));
    expect(issuesOf(dir)).toEqual([
      'clusters.yaml:1: environments: missing field "environments" (a list); clusters.yaml holds environments and clusters',
    ]);
  });

  test('a missing field is named as missing, with what it should be', () => {
    const fixture = validFixture();
    delete fixture.teams.alpha.owners;
    delete (fixture.teams.alpha.clusters as any).c1.namespaces[0].name;
    expect(issuesOf(writeFixture(fixture))).toEqual([
      'teams/alpha.yaml:1: owners: missing field "owners" (a list); a tenant file holds name, description, owners and clusters',
      expect.stringMatching(/^teams\/alpha\.yaml:\d+: clusters\.c1\.namespaces\[0\]\.name: missing field "name" \(text\)$/),
    ]);
  });
});
