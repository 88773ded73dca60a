import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../common/config-file.js';
import { defaultParallelism, parseCli, selectionRegExp, SERIAL_TAG } from './options.js';

const dir = mkdtempSync(join(tmpdir(), 'crit-options-'));
after(() => rmSync(dir, { recursive: true, force: true }));
function configFile(text: string): string {
  const file = join(dir, `c-${Math.random().toString(16).slice(2)}.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('parseCli', function () {
  it('takes flags over environment over config file over defaults', function () {
    const file = configFile(
      'runtime-endpoint: unix:///from/file.sock\nimage-endpoint: unix:///img/file.sock\ntimeout: 7\n',
    );
    const env = { CONTAINER_RUNTIME_ENDPOINT: 'unix:///from/env.sock' };
    const fromEnv = parseCli(['--config', file], env);
    expect(fromEnv.runtimeEndpoint).to.equal('unix:///from/env.sock');
    expect(fromEnv.endpointSource).to.equal('env');
    expect(fromEnv.imageEndpoint).to.equal('unix:///img/file.sock');
    expect(fromEnv.timeoutMs).to.equal(7_000);
    const fromFlag = parseCli(['--config', file, '--runtime-endpoint', '/from/flag.sock', '--timeout', '2m'], env);
    expect(fromFlag.runtimeEndpoint).to.equal('/from/flag.sock');
    expect(fromFlag.endpointSource).to.equal('flag');
    expect(fromFlag.timeoutMs).to.equal(120_000);
    const fromFile = parseCli(['--config', file], {});
    expect(fromFile.runtimeEndpoint).to.equal('unix:///from/file.sock');
    expect(fromFile.endpointSource).to.equal('config');
  });
  it('has defaults for everything but the endpoint', function () {
    const o = parseCli(['--config', configFile('')], {});
    expect(o.runtimeEndpoint).to.equal(undefined);
    expect(o).to.include({
      parallel: defaultParallelism(),
      timeoutMs: 60_000,
      reportDir: 'reports',
      runtimeHandler: '',
      list: false,
    });
  });
  it('runs streaming specs over both protocols unless --streaming-protocol picks one', function () {
    const both = parseCli(['--config', configFile('')], {});
    expect(both.streamingProtocols, 'default streamingProtocols').to.deep.equal(['spdy', 'websocket']);
    expect(both.skip, 'skip patterns with both protocols').to.deep.equal([]);
    const spdy = parseCli(['--config', configFile(''), '--streaming-protocol', 'spdy'], {});
    expect(spdy.streamingProtocols).to.deep.equal(['spdy']);
    const grep = selectionRegExp(spdy.focus, spdy.skip)!;
    expect(grep.test('Streaming Exec over WebSocket runs a command'), 'WebSocket variant deselected').to.equal(false);
    expect(grep.test('Streaming Exec over SPDY/3.1 runs a command'), 'SPDY variant kept').to.equal(true);
    expect(grep.test('PodSandbox RunPodSandbox runs a ready sandbox'), 'other areas kept').to.equal(true);
    const ws = parseCli(['--config', configFile('streaming-protocol: websocket\n')], {});
    expect(ws.streamingProtocols).to.deep.equal(['websocket']);
    expect(() => parseCli(['--config', configFile(''), '--streaming-protocol', 'http2'], {})).to.throw(
      UsageError,
      '--streaming-protocol must be spdy, websocket or both, got "http2"',
    );
  });
  it('collects repeated --focus and --skip', function () {
    const o = parseCli(['--config', configFile(''), '--focus', 'Pod', '--focus', 'Image', '--skip', 'slow'], {});
    expect(o.focus.map((r) => r.source)).to.deep.equal(['Pod', 'Image']);
    expect(o.skip.map((r) => r.source)).to.deep.equal(['slow']);
  });
  it('collects repeated --require features, from flags or the config file', function () {
    const o = parseCli(['--config', configFile(''), '--require', 'CRIListStreaming', '--require', 'RuntimeConfig'], {});
    expect(o.require).to.deep.equal(['CRIListStreaming', 'RuntimeConfig']);
    expect(parseCli(['--config', configFile('require: EventedPLEG\n')], {}).require).to.deep.equal(['EventedPLEG']);
    expect(parseCli(['--config', configFile('')], {}).require).to.deep.equal([]);
  });
  const bad: [string, string[], RegExp][] = [
    ['an unknown flag', ['--bogus'], /^unknown flag --bogus \(see --help\)$/],
    ['a stray argument', ['extra'], /unexpected argument "extra"/],
    ['an invalid regex', ['--focus', '('], /--focus "\(" is not a valid regular expression/],
    ['a bad duration', ['--timeout', 'soon'], /--timeout: invalid duration "soon"/],
    ['a zero parallel', ['--parallel', '0'], /--parallel must be a whole number/],
    ['a bad endpoint', ['--runtime-endpoint', 'http://x:1'], /invalid runtime endpoint/],
    ['an unknown --require feature', ['--require', 'NoSuchGate'], /^--require: unknown feature "NoSuchGate"/],
    [
      'a missing config file',
      ['--config', '/nonexistent/crictl.yaml'],
      /cannot read config file \/nonexistent\/crictl.yaml: ENOENT/,
    ],
  ];
  for (const [what, argv, message] of bad) {
    it(`rejects ${what} with one line`, function () {
      const call = (): unknown =>
        parseCli(argv.includes('--config') ? argv : [...argv, '--config', configFile('')], {});
      expect(call).to.throw(UsageError, message);
      try {
        call();
      } catch (err) {
        expect((err as Error).message).to.not.include('\n');
      }
    });
  }
  it('rejects malformed YAML and unknown config keys', function () {
    expect(() => parseCli(['--config', configFile('runtime-endpoint: [unclosed\n')], {})).to.throw(
      UsageError,
      /is not valid YAML/,
    );
    expect(() => parseCli(['--config', configFile('runtime-endpoitn: /x.sock\n')], {})).to.throw(
      UsageError,
      /unknown key "runtime-endpoitn"/,
    );
    expect(() => parseCli(['--config', configFile('- a\n- b\n')], {})).to.throw(UsageError, /must be a YAML mapping/);
  });
});

describe('selectionRegExp', function () {
  it('selects everything without patterns', function () {
    expect(selectionRegExp([], [])).to.equal(undefined);
  });
  it('keeps titles matching any focus and no skip', function () {
    const re = selectionRegExp([/PodSandbox/, /Image/], [/slow/, /\[serial\]/])!;
    expect(re.test('PodSandbox RunPodSandbox runs a pod')).to.equal(true);
    expect(re.test('Image PullImage pulls by tag')).to.equal(true);
    expect(re.test('Container StartContainer starts')).to.equal(false);
    expect(re.test('PodSandbox runs a slow pod')).to.equal(false);
    expect(re.test('Image RemoveImage removes [serial]')).to.equal(false);
  });
  it('selects only the [serial] tests of the selection for the serial phase', function () {
    const re = selectionRegExp([/Image/], [], SERIAL_TAG)!;
    expect(re.test('Image RemoveImage removes by tag [serial]')).to.equal(true);
    expect(re.test('Image PullImage pulls by tag')).to.equal(false);
    expect(re.test('Runtime UpdateRuntimeConfig sets the CIDR [serial]')).to.equal(false);
  });
  it('skips without focus', function () {
    const re = selectionRegExp([], [/Image/])!;
    expect(re.test('PodSandbox x')).to.equal(true);
    expect(re.test('Image x')).to.equal(false);
  });
});
