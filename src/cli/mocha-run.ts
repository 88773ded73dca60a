// Runs the compiled spec files with mocha, programmatically, in one process or in N workers.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { RunReporter, specFileName } from '../reporters/run-reporter.js';
import type { ListedTest } from '../reporters/not-run.js';
import type { RunResults } from '../reporters/results.js';
import { longestFirst } from './spec-order.js';
import { featureOfTest, idOfTest, rpcOfTest } from '../framework/verdicts/rpc.js';

/** The compiled spec files; for parallel workers longest first (see spec-order.ts), else by name. */
export function specFiles(parallel = 1): string[] {
  const here = fileURLToPath(import.meta.url);
  const dist = here.slice(0, here.lastIndexOf('/dist/') + '/dist'.length);
  const dir = `${dist}/specs`;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.spec.js'))
    .sort()
    .map((f) => `${dir}/${f}`);
  return parallel > 1 ? longestFirst(files) : files;
}

export interface MochaRunOptions {
  grep?: RegExp;
  parallel: number;
  testTimeoutMs: number;
  results: RunResults;
  quiet?: boolean;
}

function newMocha(opts: MochaRunOptions): Mocha {
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: opts.testTimeoutMs,
    reporter: RunReporter as unknown as typeof Mocha.reporters.Base,
    reporterOptions: { results: opts.results, quiet: opts.quiet },
    grep: opts.grep,
    parallel: opts.parallel > 1,
    jobs: opts.parallel,
    color: false,
  });
  for (const file of specFiles(opts.parallel)) mocha.addFile(file);
  return mocha;
}

export interface SpecTest {
  file: string;
  title: string;
  titlePath: string[];
  id?: string;
  /** The RPC of the test's `rpc('X')` describe and the request field path it is about, if declared. */
  rpc?: string;
  feature?: string;
}

/** Every selected test's full title, without running anything. */
export async function listTests(grep: RegExp | undefined): Promise<SpecTest[]> {
  const mocha = new Mocha({ ui: 'bdd' });
  for (const file of specFiles()) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const titles: SpecTest[] = [];
  const walk = (suite: Mocha.Suite): void => {
    for (const test of suite.tests) {
      const title = test.fullTitle();
      const [id, rpc, feature] = [idOfTest(test), rpcOfTest(test), featureOfTest(test)];
      if (!grep || grep.test(title))
        titles.push({
          file: test.file ?? '',
          title,
          titlePath: test.titlePath(),
          ...(id ? { id } : {}),
          ...(rpc ? { rpc } : {}),
          ...(feature ? { feature } : {}),
        });
    }
    for (const child of suite.suites) walk(child);
  };
  walk(mocha.suite);
  return titles;
}

export interface RunningSuite {
  /** Resolves when mocha has finished (or was aborted and wound down). */
  done: Promise<void>;
  /** Stops scheduling tests; the running one finishes with its cleanup. */
  abort(): void;
}

export async function startMocha(opts: MochaRunOptions): Promise<RunningSuite> {
  const mocha = newMocha(opts);
  if (opts.parallel <= 1) await mocha.loadFilesAsync();
  let runner: Mocha.Runner | undefined;
  const done = new Promise<void>((resolve) => {
    runner = mocha.run(() => resolve());
  });
  return {
    done,
    abort: () => runner?.abort(),
  };
}

/**
 * listTests in a child process, as report files name them: a process that ran the specs itself
 * (--parallel 1) cannot load them again (ES modules are loaded once per process).
 */
export function listTestsApart(grep: RegExp | undefined): ListedTest[] {
  const code = `import { listTests } from ${JSON.stringify(import.meta.url)};
const [source, flags] = process.argv.slice(1);
const tests = await listTests(source ? new RegExp(source, flags) : undefined);
process.stdout.write(JSON.stringify(tests));`;
  const child = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', code, grep?.source ?? '', grep?.flags ?? ''],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (child.status !== 0) throw new Error(`listing the spec files' tests failed: ${child.stderr.split('\n')[0]}`);
  const tests = JSON.parse(child.stdout) as { file: string; title: string; titlePath: string[] }[];
  return tests.map((t) => ({ file: specFileName(t.file), fullTitle: t.title, titlePath: t.titlePath }));
}
