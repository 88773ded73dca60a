import { expect } from 'chai';
import { parseEndpoint, EndpointError } from './endpoint.js';

describe('parseEndpoint', function () {
  const cases: [string, string, 'unix' | 'tcp'][] = [
    ['unix:///run/containerd/containerd.sock', 'unix:///run/containerd/containerd.sock', 'unix'],
    ['/run/crio/crio.sock', 'unix:///run/crio/crio.sock', 'unix'],
    ['tcp://127.0.0.1:10010', '127.0.0.1:10010', 'tcp'],
    ['localhost:10010', 'localhost:10010', 'tcp'],
    ['[::1]:10010', '[::1]:10010', 'tcp'],
  ];
  for (const [input, target, kind] of cases) {
    it(`turns ${input} into ${target}`, function () {
      const e = parseEndpoint(input);
      expect(e.target).to.equal(target);
      expect(e.kind).to.equal(kind);
      expect(e.original).to.equal(input);
    });
  }
  for (const bad of ['', 'unix://relative.sock', 'http://host:80', 'host', 'host:99999', 'npipe:////./pipe/x']) {
    it(`rejects ${JSON.stringify(bad)}`, function () {
      expect(() => parseEndpoint(bad)).to.throw(EndpointError);
    });
  }
});
