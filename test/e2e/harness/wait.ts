import { sleep } from './processes';

/** Polls until `probe` returns a value, and fails with the last value's account after `seconds`. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  seconds = 120,
  account: () => Promise<string> = async () => '',
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(
    `timed out after ${seconds}s waiting for ${what}${last ? `: ${(last as Error).message}` : ''} ${await account().catch(() => '')}`,
  );
}
