// The suite's one mocha reporter: prints progress and collects every test's outcome into the
// RunResults that the report writers read. Works in serial and parallel mode.
import Mocha from 'mocha';
import { basename } from 'node:path';
import type { Outcome, RunResults, TestResult } from './results.js';

const { EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } =
  Mocha.Runner.constants;

/**
 * Errors that are a verdict on the runtime: a failed assertion, a failed call under test, a state
 * never reached, a streaming server that refused, broke off or garbled a session. Anything else
 * (a failed fixture, a harness bug) is a harness error.
 */
const VERDICT_ERRORS = new Set([
  'AssertionError',
  'CriCallError',
  'WaitTimeoutError',
  'StateNeverReachedError',
  'StreamingError',
  'FramingError',
]);

export function classifyError(err: { name?: string; stack?: string } | undefined, isHook: boolean): Outcome {
  if (isHook) return 'error';
  return VERDICT_ERRORS.has(errorName(err)) ? 'failed' : 'error';
}

/**
 * The error's class name. Errors from parallel workers arrive rebuilt as plain `Error`s without
 * prototype getters (chai's AssertionError.name is one); their stack still starts with the name.
 */
export function errorName(err: { name?: string; stack?: string } | undefined): string {
  if (err?.name && err.name !== 'Error') return err.name;
  return /^(\w+)(?::|\n|$)/.exec(err?.stack ?? '')?.[1] ?? err?.name ?? '';
}

export function specFileName(file: string | undefined): string {
  if (!file) return '(unknown file)';
  return `specs/${basename(file).replace(/\.js$/, '.ts')}`;
}

export interface RunReporterOptions {
  results: RunResults;
  quiet?: boolean;
}

export class RunReporter {
  constructor(runner: Mocha.Runner, options: { reporterOptions?: RunReporterOptions }) {
    const opts = options.reporterOptions;
    if (!opts) throw new Error('RunReporter needs reporterOptions.results');
    const { results } = opts;
    const out = (line: string): void => {
      if (!opts.quiet) process.stdout.write(line + '\n');
    };
    const add = (test: Mocha.Runnable, outcome: Outcome, message?: string, details?: string): TestResult => {
      const titlePath = typeof test.titlePath === 'function' ? test.titlePath() : [test.title];
      const result: TestResult = {
        file: specFileName(test.file),
        titlePath,
        fullTitle: test.fullTitle(),
        outcome,
        durationMs: test.duration ?? 0,
        message,
        details,
      };
      results.tests.push(result);
      return result;
    };
    // In parallel mode suites arrive serialized, without titlePath(): track nesting here.
    let depth = 0;
    const indent = (): string => '  '.repeat(Math.max(depth - 1, 1));
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (suite.title) out(`${'  '.repeat(Math.max(depth - 1, 0))}${suite.title}`);
      depth += 1;
    });
    runner.on(EVENT_SUITE_END, () => {
      depth -= 1;
    });
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
      add(test, 'passed');
      out(`${indent()}✓ ${test.title} (${test.duration ?? 0}ms)`);
    });
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
      add(test, 'skipped');
      out(`${indent()}- ${test.title} (skipped)`);
    });
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Runnable, err: Error) => {
      const isHook = (test as { type?: string }).type === 'hook';
      const outcome = classifyError(err, isHook);
      const message = err?.message ?? String(err);
      add(test, outcome, message, err?.stack);
      out(
        `${indent()}✗ ${test.title} [${outcome === 'error' ? 'ERROR' : 'FAIL'}]\n${indent()}    ${message.split('\n').join(`\n${indent()}    `)}`,
      );
    });
  }
}
