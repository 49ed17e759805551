import { staleCesFinalizers } from '../../cli/operations/stale-finalizers';

const F = (ces: string) => `externalsecrets.external-secrets.io/ces-${ces}`;

describe('stale ESO namespace finalizers (ESO #6677)', () => {
  test('a finalizer of a distribution that no longer provisions the namespace, or no longer exists, is stale', () => {
    const stale = staleCesFinalizers(
      [
        { name: 'relabelled', finalizers: [F('registry'), F('gone'), 'kubernetes', 'other.io/keep'] },
        { name: 'served', finalizers: [F('registry')] },
        { name: 'untouched', finalizers: ['kubernetes'] },
      ],
      [{ name: 'registry', provisionedNamespaces: ['served'] }],
    );
    expect(stale).toEqual([{ namespace: 'relabelled', stale: [F('registry'), F('gone')], keep: ['kubernetes', 'other.io/keep'] }]);
  });

  test('nothing is stale while every distribution provisions its namespaces', () => {
    expect(
      staleCesFinalizers(
        [{ name: 'a', finalizers: [F('x'), F('y')] }],
        [
          { name: 'x', provisionedNamespaces: ['a'] },
          { name: 'y', provisionedNamespaces: ['a', 'b'] },
        ],
      ),
    ).toEqual([]);
  });
});
