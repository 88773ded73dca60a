// The command line, from flags to exit code: `compare`, `cleanup` and `benchmark` go to their commands,
// --help, --version and --list answer at once, and a conformance run goes to runAgainst against
// the runtime chosen (the endpoint given, a well-known socket, or the local test bed).
import { CatalogueError, defaultCatalogue, loadCatalogue, type ImageCatalogue } from '../framework/run/images.js';
import { formatFeatureTable } from '../framework/verdicts/features.js';
import { KnownFailuresError, loadKnownFailures } from '../reporters/known-failures.js';
import { compareResults, formatComparison } from '../reporters/compare-runs.js';
import { readResultsJson, ResultsFileError } from '../reporters/results-json.js';
import { testbedKnownFailures, withRuntime } from '../common/discover.js';
import { UsageError } from '../common/config-file.js';
import { runAgainst } from './conformance-run.js';
import { HELP, parseCli, selectionRegExp, type CliOptions } from './options.js';
import { EXIT, suiteVersion } from './terminal.js';
import { say } from '../common/say.js';

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'compare') return compareCommand(argv.slice(1));
  if (argv[0] === 'cleanup') {
    const { cleanupMain } = await import('./cleanup.js');
    return cleanupMain(argv.slice(1));
  }
  if (argv[0] === 'benchmark') {
    const { benchmarkCommand } = await import('../benchmark/command.js');
    return benchmarkCommand(argv.slice(1), suiteVersion());
  }
  let opts: CliOptions;
  let images: ImageCatalogue;
  let known: Map<string, string>;
  try {
    opts = parseCli(argv);
    images = opts.testImagesFile ? loadCatalogue(opts.testImagesFile) : defaultCatalogue();
    known = opts.knownFailuresFile ? loadKnownFailures(opts.knownFailuresFile) : new Map<string, string>();
  } catch (err) {
    if (err instanceof UsageError || err instanceof CatalogueError || err instanceof KnownFailuresError) {
      say(`cri-conformance: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
  if (opts.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (opts.version) {
    process.stdout.write(`cri-conformance ${suiteVersion()} (CRI runtime.v1, cri-api v0.36.3)\n`);
    return EXIT.ok;
  }
  const grep = selectionRegExp(opts.focus, opts.skip);
  if (opts.listIds) {
    const { listTests } = await import('./mocha-run.js');
    for (const t of await listTests(grep)) if (t.id) process.stdout.write(`${t.id}\t${t.title}\n`);
    return EXIT.ok;
  }
  if (opts.list) {
    const { listTests } = await import('./mocha-run.js');
    for (const t of await listTests(grep)) process.stdout.write(`${t.title}\n`);
    process.stdout.write(formatFeatureTable());
    return EXIT.ok;
  }

  return withRuntime(opts.runtimeEndpoint, opts.imageEndpoint, say, (chosen) => {
    if (chosen.testbed && !opts.knownFailuresFile) {
      // The suite brought up (or found) its own test bed: that runtime's genuine non-conformances
      // are known, so a newcomer's first run judges only what is new.
      const file = testbedKnownFailures(chosen.testbed.runtime);
      try {
        known = loadKnownFailures(file);
      } catch (err) {
        if (!(err instanceof KnownFailuresError)) throw err;
        say(`cri-conformance: ${err.message}`);
        return Promise.resolve(EXIT.usage);
      }
      say(
        `applying the known non-conformances of the test bed's ${chosen.testbed.runtime} (${known.size}, listed in ${file})`,
      );
      opts = { ...opts, knownFailuresFile: file };
    }
    return runAgainst({
      opts,
      images,
      known,
      runtimeEndpoint: chosen.runtimeEndpoint,
      imageEndpoint: chosen.imageEndpoint,
    });
  });
}

function compareCommand(args: string[]): number {
  if (args.length !== 2) {
    say('cri-conformance: usage: cri-conformance compare OLD/results.json NEW/results.json');
    return EXIT.usage;
  }
  try {
    const [oldRun, newRun] = [readResultsJson(args[0]), readResultsJson(args[1])];
    const comparison = compareResults(oldRun, newRun);
    process.stdout.write(formatComparison(comparison, oldRun, newRun));
    return comparison.regressed.length > 0 ? EXIT.failures : EXIT.ok;
  } catch (err) {
    if (err instanceof ResultsFileError) {
      say(`cri-conformance: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
}
