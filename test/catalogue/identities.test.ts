/**
 * Deployers and tenant owners are identities the API server authenticates: the admission policies exempt the
 * deployers, and the owner role is bound to the owners. A name that stands for everyone (every authenticated
 * request, every ServiceAccount, the anonymous user) would hand that to every request, so it is refused, as
 * are blank names, control characters and duplicates, each at its field.
 */
import { CatalogueError, loadCatalogue } from '../../tenants/lib';
import { type FixtureCatalogue, catalogueIssues, validFixture, writeFixture } from '../support/fixture-catalogue';

function issuesOf(mutate: (f: FixtureCatalogue) => void) {
  const fixture = validFixture();
  mutate(fixture);
  return catalogueIssues(writeFixture(fixture)).map(
    (i) => `${i.file.split('/').slice(-2).join('/')}:${i.line ?? '-'} ${i.path}: ${i.message}`,
  );
}

const EVERYONE_GROUPS = [
  'system:authenticated',
  'system:unauthenticated',
  'system:serviceaccounts',
  'system:serviceaccounts:kube-system',
  'system:anonymous',
  '*',
];
const EVERYONE_USERS = ['system:anonymous', 'system:unauthenticated', '*'];

describe('deployers', () => {
  test.each(EVERYONE_GROUPS)('the group %s is refused: the admission policies would exempt every request', (group) => {
    const issues = issuesOf((f) => (f.clusters.clusters[0].deployers = { groups: ['platform-ci', group] }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^[^ ]*clusters\.yaml:\d+ clusters\[0\]\.deployers\.groups\[1\]: /);
    expect(issues[0]).toMatch(/; name the deploying identity or the owning team, never a group everyone is in$/);
  });

  test.each(EVERYONE_USERS)('the user %s is refused', (user) => {
    const issues = issuesOf((f) => (f.clusters.clusters[0].deployers = { users: [user] }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/clusters\[0\]\.deployers\.users\[0\]: .*never a group everyone is in$/);
  });

  test('blank names, names with control characters or surrounding blanks, and duplicates, all at once', () => {
    const issues = issuesOf(
      (f) => (f.clusters.clusters[0].deployers = { users: ['deployer', ' ', 'deployer\n', 'deployer'], groups: ['ops', 'ops', ' ops'] }),
    );
    expect(issues.map((i) => i.replace(/^\S+ /, '')).sort()).toEqual([
      'clusters[0].deployers.groups[1]: group "ops" is listed twice',
      'clusters[0].deployers.groups[2]: must not start or end with blanks; the API server matches names exactly',
      'clusters[0].deployers.users[1]: must not be blank',
      'clusters[0].deployers.users[2]: holds the control character U+000A at position 9; the API server matches names exactly, so this names nobody or someone else',
      'clusters[0].deployers.users[3]: user "deployer" is listed twice',
    ]);
  });

  test('ordinary users and groups, and one ServiceAccount by its user name, are accepted', () => {
    const fixture = validFixture();
    fixture.clusters.clusters[0].deployers = {
      users: ['system:serviceaccount:argocd:argocd-application-controller'],
      groups: ['3f2b0c7e-1d2c-4b5a-9e8f-0a1b2c3d4e5f'],
    };
    expect(loadCatalogue(writeFixture(fixture)).clusters[0].deployers).toEqual({
      users: ['system:serviceaccount:argocd:argocd-application-controller'],
      groups: ['3f2b0c7e-1d2c-4b5a-9e8f-0a1b2c3d4e5f'],
    });
  });
});

describe('tenant owners', () => {
  test.each([
    ['Group', 'system:authenticated'],
    ['Group', 'system:serviceaccounts'],
    ['Group', 'system:serviceaccounts:alpha-app'],
    ['User', 'system:anonymous'],
    ['Group', 'system:unauthenticated'],
    ['User', '*'],
  ])('the owner %s %s is refused: the owner role would be bound to every request', (kind, name) => {
    const issues = issuesOf(
      (f) =>
        (f.teams.alpha.owners = [
          { kind: 'Group', name: 'alpha-admins' },
          { kind, name },
        ]),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^teams\/alpha\.yaml:\d+ owners\[1\]\.name: ".*" .*never a group everyone is in$/);
  });

  test('blank names, control characters and duplicates', () => {
    const issues = issuesOf(
      (f) =>
        (f.teams.alpha.owners = [
          { kind: 'Group', name: 'alpha-admins' },
          { kind: 'User', name: '' },
          { kind: 'User', name: 'a\u0000b' },
          { kind: 'Group', name: 'alpha-admins' },
        ]),
    );
    expect(issues.map((i) => i.replace(/^\S+ /, ''))).toEqual([
      'owners[1].name: must not be blank',
      'owners[2].name: holds the control character U+0000 at position 2; the API server matches names exactly, so this names nobody or someone else',
      'owners[3]: owner Group "alpha-admins" is listed twice',
    ]);
  });

  test('a user and a group of one name are two owners', () => {
    const fixture = validFixture();
    fixture.teams.alpha.owners = [
      { kind: 'Group', name: 'alpha' },
      { kind: 'User', name: 'alpha' },
    ];
    expect(() => loadCatalogue(writeFixture(fixture))).not.toThrow(CatalogueError);
  });
});
