// Harness work that goes on in this process while tests run: the CLI removes a finished phase's
// worker pods while the [serial] phase begins. A test that measures the node at rest waits for it.
let pending: Promise<void> = Promise.resolve();

/** Lets `work` run on while the following tests run; its failure is for its owner to report. */
export function inBackground(work: Promise<unknown>): void {
  const ended = work.then(
    () => undefined,
    () => undefined,
  );
  pending = Promise.all([pending, ended]).then(() => undefined);
}

/** Resolves once every piece of background work of this process has ended. */
export function backgroundSettled(): Promise<void> {
  return pending;
}
