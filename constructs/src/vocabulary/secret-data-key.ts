/** Keys of a Secret's data, as the API server accepts them. A pure module. */
const SECRET_DATA_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

export const SECRET_DATA_KEY_RULE = 'must be a Secret data key: at most 253 letters, digits, "-", "_" and "."';

export function isSecretDataKey(value: string): boolean {
  return SECRET_DATA_KEY.test(value) && value !== '.' && value !== '..';
}
