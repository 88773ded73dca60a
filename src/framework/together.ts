// Independent setup steps of one test run at once (the runtime works on them in parallel).
// Unlike Promise.all, the test does not go on (to its cleanup) while a step is still creating
// something: every step settles first, so whatever a step made is tracked by the scope by then.

/** Like Promise.all, but rejects (with the first failure) only once every step has settled. */
export async function together<T extends readonly unknown[] | []>(steps: T): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }> {
  const settled: PromiseSettledResult<unknown>[] = await Promise.allSettled(steps as readonly unknown[]);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as { -readonly [P in keyof T]: Awaited<T[P]> };
}
