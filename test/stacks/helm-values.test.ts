import { overlaidValues } from '../../stacks/helm-values';

describe('Helm values laid over others', () => {
  const base = {
    image: { repository: 'ghcr.io/eso', tag: 'v1' },
    extraArgs: ['--a'],
    webhook: { create: true, port: 443 },
    replicaCount: 1,
  };

  test('maps merge key by key; lists, scalars and null replace what lies below', () => {
    expect(
      overlaidValues(base, { image: { repository: 'mirror/eso' }, extraArgs: ['--b'], webhook: null, replicaCount: 2, hostNetwork: true }),
    ).toEqual({
      image: { repository: 'mirror/eso', tag: 'v1' },
      extraArgs: ['--b'],
      webhook: null,
      replicaCount: 2,
      hostNetwork: true,
    });
  });

  test('a map replaces a scalar and the other way round, and the base is left as it was', () => {
    expect(overlaidValues(base, { replicaCount: { min: 1 }, image: 'mirror/eso:v1' })).toMatchObject({
      replicaCount: { min: 1 },
      image: 'mirror/eso:v1',
    });
    expect(base.image).toEqual({ repository: 'ghcr.io/eso', tag: 'v1' });
  });
});
