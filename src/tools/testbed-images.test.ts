// The test bed's image list (scripts/testbed/images.txt, which scripts/testbed/images.sh builds and
// pushes) and the suite's default image catalogue name the same images.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultCatalogue } from '../framework/run/images.js';

const here = fileURLToPath(import.meta.url);
const root = here.slice(0, here.lastIndexOf(here.includes('/dist/') ? '/dist/' : '/src/'));

function testbedImages(): Set<string> {
  const refs = new Set<string>();
  for (const line of readFileSync(`${root}/scripts/testbed/images.txt`, 'utf8').split('\n')) {
    const [name, ...tags] = line.trim().split(/\s+/);
    if (!name || name.startsWith('#')) continue;
    for (const tag of tags) refs.add(`127.0.0.1:5000/cri-conformance/${name}:${tag}`);
  }
  return refs;
}

describe('test bed images', function () {
  it('lists every registry image of the default catalogue in scripts/testbed/images.txt', function () {
    const catalogue = defaultCatalogue();
    const named = Object.values(catalogue)
      .flat()
      .filter((v): v is string => typeof v === 'string' && v.startsWith('127.0.0.1:5000/'));
    expect(named.length, 'registry images in the default catalogue').to.be.greaterThan(10);
    const listed = testbedImages();
    expect(
      named.filter((ref) => !listed.has(ref)),
      'catalogue images missing from images.txt',
    ).to.deep.equal([]);
  });

  it('lists the sandbox image the runtime configs pin (pause:1.0)', function () {
    expect(testbedImages().has('127.0.0.1:5000/cri-conformance/pause:1.0')).to.equal(true);
  });
});
