import { expect } from 'chai';
import { status } from '@grpc/grpc-js';
import { CriCallError, isCode, statusName, SetupError } from './errors.js';

describe('CriCallError', function () {
  it('names the RPC, status code name and number, details and request', function () {
    const err = new CriCallError('StartContainer', status.NOT_FOUND, 'container "3f2a" not found', 'container_id=3f2a');
    expect(err.message).to.equal(
      'StartContainer → NOT_FOUND (5): "container \\"3f2a\\" not found" [request: container_id=3f2a]',
    );
    expect(err.codeName).to.equal('NOT_FOUND');
    expect(isCode(err, 'NOT_FOUND')).to.equal(true);
    expect(isCode(err, 'INTERNAL')).to.equal(false);
  });
  it('prints unknown codes by number', function () {
    expect(statusName(99)).to.equal('CODE_99');
    expect(statusName(12)).to.equal('UNIMPLEMENTED');
  });
  it('marks fixture failures as setup errors that keep the cause', function () {
    const cause = new CriCallError('RunPodSandbox', status.INTERNAL, 'boom', '');
    const err = new SetupError('RunPodSandbox', cause);
    expect(err.message).to.equal('precondition RunPodSandbox failed: RunPodSandbox → INTERNAL (13): "boom"');
    expect(err.cause).to.equal(cause);
  });
});
