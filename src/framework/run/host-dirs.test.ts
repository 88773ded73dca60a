import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leftHostDirs, removeLeftHostDir } from './host-dirs.js';

describe('host directories a killed run left', function () {
  const saved = process.env.TMPDIR;
  let root: string;

  beforeEach(function () {
    root = mkdtempSync(join(tmpdir(), 'crit-hostdirs-'));
    process.env.TMPDIR = root;
  });

  afterEach(function () {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(root, { recursive: true, force: true });
  });

  it('are found by the run id in their name, and nothing else is', function () {
    for (const name of ['crit-0a1b2c3d-vol-prop-x1', 'crit-0a1b2c3d-logs-x2', 'crit-hostdirs-x3', 'other'])
      mkdirSync(join(root, name));
    const found = leftHostDirs().sort((a, b) => a.dir.localeCompare(b.dir));
    expect(found).to.deep.equal([
      { dir: join(root, 'crit-0a1b2c3d-logs-x2'), run: '0a1b2c3d' },
      { dir: join(root, 'crit-0a1b2c3d-vol-prop-x1'), run: '0a1b2c3d' },
    ]);
  });

  it('are removed with a mount still below them', function () {
    if (process.getuid?.() !== 0) this.skip();
    const dir = join(root, 'crit-0a1b2c3d-vol-prop-x1');
    mkdirSync(join(dir, 'mnt', 'inner'), { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'crit-tmpfs', join(dir, 'mnt', 'inner')]);
    removeLeftHostDir(dir);
    expect(existsSync(dir), `${dir} still exists`).to.equal(false);
  });
});
