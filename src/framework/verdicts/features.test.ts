import { expect } from 'chai';
import { loadCri } from '../../client/proto.js';
import {
  formatFeatureTable,
  requiredBecause,
  RPC_FEATURES,
  UnknownFeatureError,
  validateRequired,
} from './features.js';

describe('RPC_FEATURES', function () {
  it('classifies every RPC of api.proto exactly once, under its own service', function () {
    const { definition } = loadCri();
    const fromProto: string[] = [];
    for (const service of ['RuntimeService', 'ImageService']) {
      for (const rpc of Object.keys(definition[`runtime.v1.${service}`])) fromProto.push(`${service}.${rpc}`);
    }
    const fromTable = RPC_FEATURES.map((f) => `${f.service}.${f.rpc}`);
    expect(fromProto).to.have.length(41);
    expect([...fromTable].sort()).to.deep.equal([...fromProto].sort());
  });
  it('gives every optional RPC a feature gate and no required one a gate', function () {
    expect(RPC_FEATURES.filter((f) => f.level === 'optional' && !f.gate).map((f) => f.rpc)).to.deep.equal([]);
    expect(RPC_FEATURES.filter((f) => f.level === 'required' && f.gate).map((f) => f.rpc)).to.deep.equal([]);
  });
  it('prints one line per RPC for --list', function () {
    const text = formatFeatureTable();
    expect(text).to.match(/^# StreamImages +optional +CRIListStreaming$/m);
    expect(text).to.match(/^# Version +required +-$/m);
  });
});

describe('validateRequired', function () {
  it('accepts optional RPCs, feature gates and reported fields', function () {
    expect(
      validateRequired(['RuntimeConfig', 'CRIListStreaming', 'Status.runtime_handlers', 'RuntimeConfig']),
    ).to.deep.equal(['RuntimeConfig', 'CRIListStreaming', 'Status.runtime_handlers']);
  });
  it('rejects an unknown name, listing the known ones', function () {
    expect(() => validateRequired(['CRIListStreamin'])).to.throw(
      UnknownFeatureError,
      /unknown feature "CRIListStreamin" .*CRIListStreaming/,
    );
  });
});

describe('requiredBecause', function () {
  it('makes a required RPC required whatever the flags', function () {
    expect(requiredBecause('ContainerStats', [])).to.equal('ContainerStats is a required CRI RPC');
  });
  it('leaves an optional RPC optional unless --require names it or its gate', function () {
    expect(requiredBecause('StreamContainers', [])).to.equal(undefined);
    expect(requiredBecause('StreamContainers', ['EventedPLEG'])).to.equal(undefined);
    expect(requiredBecause('StreamContainers', ['StreamContainers'])).to.equal('--require StreamContainers');
    expect(requiredBecause('StreamContainers', ['CRIListStreaming'])).to.equal('--require CRIListStreaming');
    expect(requiredBecause('Status.features', ['SupplementalGroupsPolicy'])).to.equal(
      '--require SupplementalGroupsPolicy',
    );
  });
});
