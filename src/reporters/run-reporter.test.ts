import { AssertionError, expect } from 'chai';
import { status } from '@grpc/grpc-js';
import { CriCallError, SetupError } from '../client/errors.js';
import { WaitTimeoutError } from '../framework/verdicts/wait.js';
import { StreamingError } from '../streaming/session.js';
import { classifyError, specFileName } from './run-reporter.js';

/** What mocha's parallel mode hands the main process: a plain Error with the own props copied. */
function fromWorker(err: Error): Error {
  const copy = new Error(err.message);
  copy.stack = err.stack;
  Object.assign(copy, { ...err });
  return copy;
}

describe('classifyError', function () {
  const verdicts: [string, Error][] = [
    ['a chai assertion', new AssertionError('expected 1 to equal 2')],
    ['a failed call under test', new CriCallError('StopContainer', status.NOT_FOUND, 'not found', '')],
    ['a wait that timed out', new WaitTimeoutError('timed out')],
    ['a streaming session the server refused', new StreamingError('upgrade refused: HTTP 404')],
  ];
  for (const [what, err] of verdicts) {
    it(`counts ${what} as a conformance failure, also from a parallel worker`, function () {
      expect(classifyError(err, false)).to.equal('failed');
      expect(classifyError(fromWorker(err), false)).to.equal('failed');
    });
  }
  it('counts setup errors, harness bugs and hook failures as errors', function () {
    expect(classifyError(new SetupError('RunPodSandbox', new Error('x')), false)).to.equal('error');
    expect(classifyError(fromWorker(new SetupError('RunPodSandbox', new Error('x'))), false)).to.equal('error');
    expect(classifyError(new TypeError('x is undefined'), false)).to.equal('error');
    expect(classifyError(new AssertionError('in a hook'), true)).to.equal('error');
  });
  it('names spec files by their TypeScript source', function () {
    expect(specFileName('/x/dist/specs/pod-sandbox.spec.js')).to.equal('specs/pod-sandbox.spec.ts');
  });
});
