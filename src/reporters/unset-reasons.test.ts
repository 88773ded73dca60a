import { expect } from 'chai';
import { messageDescriptor } from '../client/descriptors.js';
import { loadCri } from '../client/proto.js';
import { reachableTypes } from './message-coverage.js';
import { criSurface } from './surface.js';
import { DECLARED_UNSET_REASONS, declaredUnsetReason } from './unset-reasons.js';

const { definition } = loadCri();
const reachable = reachableTypes(
  definition,
  criSurface(definition).map((s) => s.requestType),
);

describe('DECLARED_UNSET_REASONS', function () {
  for (const entry of DECLARED_UNSET_REASONS) {
    it(`${entry.match} names request fields of api.proto`, function () {
      expect(entry.why, 'a one-line why').to.match(/^[^\n]+$/);
      if (entry.match.endsWith('*')) {
        const prefix = entry.match.slice(0, -1);
        const types = reachable.filter((t) => t.startsWith(prefix));
        expect(types.length, `request types named ${entry.match}`).to.be.greaterThan(0);
        return;
      }
      const [type, field, ...rest] = entry.match.split('.');
      expect(rest, `${entry.match} is Type.field`).to.deep.equal([]);
      expect(reachable, `${type} is reached from a request`).to.include(type);
      expect(messageDescriptor(definition, type)!.field.map((f) => f.name)).to.include(field);
    });
  }

  it('prefers an exact field over a type prefix and has no reason for other fields', function () {
    expect(declaredUnsetReason('WindowsContainerConfig', 'resources')?.match).to.equal('Windows*');
    expect(declaredUnsetReason('ContainerConfig', 'windows')?.match).to.equal('ContainerConfig.windows');
    expect(declaredUnsetReason('ContainerConfig', 'linux')).to.equal(undefined);
  });
});
