// Ctrl-C during a run (and SIGTERM, re-raised as SIGINT): the first stops the run after the
// running test, so that what the run made is removed and the reports are written; the second
// exits at once and says what may be left behind.
import type { RunResults } from '../reporters/results.js';
import { treatSigtermAsSigint } from '../common/signals.js';
import type { RunningSuite } from './mocha-run.js';
import { say } from '../common/say.js';

export interface InterruptWatch {
  /** Waits for the phase's suite to end; after an interrupt, for at most 10 s more. */
  phaseEnded(suite: RunningSuite): Promise<void>;
  /** Stops listening for SIGINT and SIGTERM. */
  stop(): void;
}

/** Listens for Ctrl-C from now on; `exitNow` writes what it can and exits on the second one. */
export function watchInterrupts(results: RunResults, runId: string, exitNow: () => never): InterruptWatch {
  let interrupts = 0;
  let suite: RunningSuite | undefined;
  // mocha's parallel runner has its own SIGINT listener: it force-terminates the workers, then
  // sends SIGINT to this process once more. That echo is not the user's second Ctrl-C.
  let expectEcho = false;
  let wakeWait: (() => void) | undefined;
  const onSigint = (): void => {
    if (expectEcho) {
      expectEcho = false;
      wakeWait?.();
      return;
    }
    interrupts += 1;
    results.interrupted = true;
    if (interrupts === 1) {
      expectEcho = process.listenerCount('SIGINT') > 1;
      say(
        `\ninterrupted: stopping after the running test, removing what run ${runId} created (Ctrl-C again to exit at once)`,
      );
      suite?.abort();
    } else {
      say(`interrupted twice: exiting now; objects labelled io.cri-conformance.run=${runId} may be left behind`);
      exitNow();
    }
  };
  process.on('SIGINT', onSigint);
  const restoreSigterm = treatSigtermAsSigint();
  return {
    phaseEnded(running) {
      suite = running;
      // After an interrupt, wait for the running test (and its cleanup) at most 10 s; the sweep
      // after the run removes whatever is still there. The timers keep the process alive meanwhile.
      return new Promise<void>((resolveWait) => {
        wakeWait = resolveWait;
        void running.done.then(resolveWait);
        const poll = setInterval(() => {
          if (results.interrupted) {
            clearInterval(poll);
            setTimeout(resolveWait, 10_000);
          }
        }, 100);
        void running.done.then(() => clearInterval(poll));
      });
    },
    stop() {
      process.off('SIGINT', onSigint);
      restoreSigterm();
    },
  };
}
