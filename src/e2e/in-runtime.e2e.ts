// The suite's own OCI image, run as a container through CRI on the local test bed the way
// deploy/ runs it on a node: the runtime socket and a results directory bind-mounted, host
// network, the manifest's command and args. Also checks that the three manifests agree.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { connect, type CriClient } from '../client/cri-client.js';
import { parseEndpoint } from '../client/endpoint.js';
import { isCode } from '../client/errors.js';
import { RUN_LABEL } from '../framework/run/context.js';
import { eventually } from '../framework/verdicts/wait.js';
import type { ContainerStatus__Output } from '../generated/runtime/v1/ContainerStatus.js';
import { flagValue, mountNamed, readSonobuoyPlugin, readWorkload, type NodeContainer } from './deploy-manifests.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const endpoint = process.env.CONTAINER_RUNTIME_ENDPOINT ?? '';
const FOCUS = ['--focus', 'Runtime info'];
const RUN_DEADLINE_MS = 3 * 60_000;

/** Runs scripts/build-image.sh (cached by content hash) and returns its key=value output. */
function buildImage(pushRef: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(REPO, 'scripts/build-image.sh'), '--push', pushRef], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0)
        return reject(
          new Error(`scripts/build-image.sh exited ${code}: ${err.trim().split('\n').slice(-10).join('\n')}`),
        );
      resolve(
        Object.fromEntries(
          out
            .trim()
            .split('\n')
            .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        ),
      );
    });
  });
}

interface JunitCase {
  classname: string;
  name: string;
  failure?: unknown;
  error?: unknown;
  skipped?: unknown;
}

function readJunit(dir: string): {
  tests: number;
  failures: number;
  errors: number;
  cases: JunitCase[];
  properties: Record<string, string>;
} {
  const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (n) => ['testsuite', 'testcase', 'property'].includes(n),
  }).parse(xml) as {
    testsuites: Record<string, string> & {
      testsuite: { testcase?: JunitCase[]; properties?: { property: { name: string; value: string }[] } }[];
    };
  };
  const suites = doc.testsuites.testsuite;
  const properties: Record<string, string> = {};
  for (const p of suites.flatMap((s) => s.properties?.property ?? [])) properties[p.name] = p.value;
  return {
    tests: Number(doc.testsuites.tests),
    failures: Number(doc.testsuites.failures),
    errors: Number(doc.testsuites.errors),
    cases: suites.flatMap((s) => s.testcase ?? []),
    properties,
  };
}

describe('the suite image run through CRI as deploy/ runs it on a node', function () {
  this.timeout(15 * 60_000);
  const runId = `in-runtime-${randomBytes(4).toString('hex')}`;
  const cleanups: [string, () => Promise<unknown> | void][] = [];
  const job = readWorkload('job.yaml');
  const daemonSet = readWorkload('daemonset.yaml');
  const plugin = readSonobuoyPlugin();
  let client: CriClient;
  let socketPath: string;
  let imageRef: string;

  const defer = (what: string, fn: () => Promise<unknown> | void): void => {
    cleanups.push([what, fn]);
  };
  const tempDir = (slug: string): string => {
    const dir = mkdtempSync(join(tmpdir(), `crit-${slug}-`));
    defer(`rm ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  /** RunPodSandbox + CreateContainer + StartContainer of what `plan` runs, mounts mapped to host paths. */
  async function runOnNode(
    slug: string,
    plan: NodeContainer,
    hostPaths: Record<string, string>,
    extraArgs: string[],
  ): Promise<{ id: string; logFile: string }> {
    const logDir = tempDir(`${slug}-logs`);
    const name = `crit-${runId}-${slug}`;
    const podConfig = {
      metadata: { name, uid: randomUUID(), namespace: `crit-${runId}`, attempt: 0 },
      labels: { [RUN_LABEL]: runId },
      log_directory: logDir,
      linux: {
        security_context: {
          namespace_options: { network: plan.hostNetwork ? 'NODE' : 'POD', pid: 'CONTAINER', ipc: 'POD' },
        },
      },
    } as const;
    const { pod_sandbox_id: podId } = await client.runtime.RunPodSandbox({ config: podConfig });
    defer(`pod ${podId}`, async () => {
      await client.runtime.StopPodSandbox({ pod_sandbox_id: podId });
      await client.runtime.RemovePodSandbox({ pod_sandbox_id: podId });
    });
    const mounts = plan.mounts.map((m) => {
      const host = hostPaths[m.volume];
      if (!host) throw new Error(`test maps no host path for volume "${m.volume}" of ${plan.file}`);
      return { container_path: m.mountPath, host_path: host };
    });
    const { container_id: id } = await client.runtime.CreateContainer({
      pod_sandbox_id: podId,
      config: {
        metadata: { name: slug, attempt: 0 },
        image: { image: imageRef },
        command: plan.command,
        args: [...plan.args, ...extraArgs],
        // KeyValue.value is `bytes` in api.proto: a string would be read as base64.
        envs: Object.entries(plan.env).map(([key, value]) => ({ key, value: Buffer.from(value) })),
        mounts,
        labels: { [RUN_LABEL]: runId },
        log_path: `${slug}.log`,
      },
      sandbox_config: podConfig,
    });
    defer(`container ${id}`, () => client.runtime.RemoveContainer({ container_id: id }));
    await client.runtime.StartContainer({ container_id: id });
    return { id, logFile: join(logDir, `${slug}.log`) };
  }

  const status = async (id: string): Promise<ContainerStatus__Output> => {
    const { status: s } = await client.runtime.ContainerStatus({ container_id: id });
    if (!s) throw new Error(`ContainerStatus ${id} returned no status`);
    return s;
  };
  const logTail = (file: string): string =>
    existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(-25).join('\n') : '(no log)';

  before(async function () {
    if (!endpoint)
      throw new Error('CONTAINER_RUNTIME_ENDPOINT must name the runtime under test (scripts/test.sh sets it)');
    const ep = parseEndpoint(endpoint);
    if (ep.kind !== 'unix' || !ep.path)
      throw new Error(
        `the in-runtime test bind-mounts the runtime socket, so it needs a unix:// endpoint, got ${endpoint}`,
      );
    socketPath = ep.path;
    imageRef = job.image;
    const built = await buildImage(imageRef);
    expect(built.pushed, 'build-image.sh --push output').to.match(
      new RegExp(`^${imageRef.replace(/[.]/g, '\\.')}@sha256:`),
    );
    client = connect({ runtimeEndpoint: endpoint });
    const { image_ref: pulled } = await client.image.PullImage({ image: { image: imageRef } });
    defer(`image ${imageRef}`, () => client.image.RemoveImage({ image: { image: imageRef } }));
    // The runtime runs exactly what was just built: its image id is the built config's digest.
    const { image } = await client.image.ImageStatus({ image: { image: imageRef } });
    expect(image?.id ?? pulled, `ImageStatus(${imageRef}).image.id`).to.equal(built.config_digest);
  });

  after(async function () {
    const failed: string[] = [];
    for (const [what, fn] of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        if (!isCode(err, 'NOT_FOUND')) failed.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    client?.close();
    if (failed.length) throw new Error(`cleanup failed: ${failed.join('; ')}`);
  });

  it('the Job, the DaemonSet and the Sonobuoy plugin run the same image, command and flags against a mounted socket', function () {
    const socketArg = (c: NodeContainer): string | undefined => flagValue(c.args, '--runtime-endpoint');
    for (const c of [job, daemonSet, plugin]) {
      expect(c.image, `${c.file} image`).to.equal(job.image);
      expect(c.command, `${c.file} command`).to.deep.equal(['/opt/cri-conformance/bin/cri-conformance-node']);
      expect(c.hostNetwork, `${c.file} runs in the node's network`).to.equal(true);
      expect(socketArg(c), `${c.file} --runtime-endpoint`).to.equal(`unix://${mountNamed(c, 'cri-socket').mountPath}`);
      expect(mountNamed(c, 'cri-socket'), `${c.file} cri-socket volume`).to.include({
        hostPath: '/run/containerd/containerd.sock',
        hostPathType: 'Socket',
      });
    }
    expect(job.image, 'image tag = package version').to.match(/\/cri-conformance\/suite:\d+\.\d+\.\d+$/);
    expect(job.kind).to.equal('Job');
    expect(daemonSet.kind).to.equal('DaemonSet');
    expect(daemonSet.args, 'DaemonSet args').to.deep.equal(job.args);
    for (const c of [job, daemonSet]) {
      expect(flagValue(c.args, '--report-dir'), `${c.file} --report-dir`).to.equal(mountNamed(c, 'results').mountPath);
      expect(mountNamed(c, 'results'), `${c.file} results volume`).to.include({
        hostPath: '/var/lib/cri-conformance/results',
        hostPathType: 'DirectoryOrCreate',
      });
    }
    expect(job.env.CRI_CONFORMANCE_STAY, 'the Job exits with the suite').to.equal(undefined);
    expect(daemonSet.env.CRI_CONFORMANCE_STAY, 'the DaemonSet pod idles after the run').to.equal('1');
    // Sonobuoy: its emptyDir "results" at /tmp/sonobuoy/results, the done file in it, junit.
    expect(plugin).to.include({ driver: 'DaemonSet', pluginName: 'cri-conformance', resultFormat: 'junit' });
    expect(plugin.resultFiles).to.deep.equal(['junit.xml']);
    expect(mountNamed(plugin, 'results').mountPath).to.equal('/tmp/sonobuoy/results');
    expect(plugin.env.CRI_CONFORMANCE_DONE_FILE).to.equal('/tmp/sonobuoy/results/done');
    expect(flagValue(plugin.args, '--report-dir')).to.equal('/tmp/sonobuoy/results/cri-conformance');
    expect(plugin.env.CRI_CONFORMANCE_STAY).to.equal('1');
  });

  it("the Job's container exits 0 and its junit.xml shows the runtime-info tests passed", async function () {
    const results = tempDir('job-results');
    const { id, logFile } = await runOnNode('job', job, { 'cri-socket': socketPath, results }, FOCUS);
    const exited = await eventually(
      `container ${id} (the Job's suite run) to exit`,
      () => status(id),
      (s) => s.state === 'CONTAINER_EXITED',
      { timeout: RUN_DEADLINE_MS },
    );
    expect(exited.exit_code, `exit code of the suite in the container; log:\n${logTail(logFile)}`).to.equal(0);
    const junit = readJunit(results);
    const runtimeInfo = junit.cases.filter((c) => c.classname.startsWith('Runtime info.'));
    expect(runtimeInfo.length, 'runtime-info test cases in junit.xml').to.be.greaterThan(2);
    expect(junit.cases.length, 'only the focused tests ran').to.equal(runtimeInfo.length);
    expect(
      runtimeInfo.filter((c) => c.failure !== undefined || c.error !== undefined),
      'failed runtime-info cases',
    ).to.deep.equal([]);
    expect(runtimeInfo.filter((c) => c.skipped === undefined).length, 'passed runtime-info cases').to.be.greaterThan(2);
    expect(junit.failures + junit.errors, 'junit.xml failures + errors').to.equal(0);
    expect(junit.properties['runtime.endpoint'], 'the endpoint the suite used').to.equal(
      flagValue(job.args, '--runtime-endpoint'),
    );
    expect(readFileSync(join(results, 'exit-code'), 'utf8').trim(), 'exit-code file').to.equal('0');
  });

  it("the Sonobuoy plugin's container writes the done file naming its reports, then idles until stopped", async function () {
    const results = tempDir('sonobuoy-results'); // stands in for Sonobuoy's emptyDir
    const { id, logFile } = await runOnNode('sonobuoy', plugin, { 'cri-socket': socketPath, results }, FOCUS);
    const done = join(results, 'done');
    // Done once the file is there; a container that exits instead ends the wait too.
    await eventually(
      `the done file ${done}`,
      async () => existsSync(done) || (await status(id)).state,
      (v) => v === true || v === 'CONTAINER_EXITED',
      { timeout: RUN_DEADLINE_MS },
    );
    expect(existsSync(done), `done file written; log:\n${logTail(logFile)}`).to.equal(true);
    const reportDir = flagValue(plugin.args, '--report-dir') ?? '';
    expect(readFileSync(done, 'utf8').trim(), 'done file content').to.equal(reportDir);
    const hostReports = join(results, reportDir.slice(mountNamed(plugin, 'results').mountPath.length));
    const junit = readJunit(hostReports);
    expect(
      junit.cases.filter((c) => c.classname.startsWith('Runtime info.')).length,
      'runtime-info cases',
    ).to.be.greaterThan(2);
    expect(junit.failures + junit.errors, `junit.xml failures + errors; log:\n${logTail(logFile)}`).to.equal(0);
    expect(readFileSync(join(hostReports, 'exit-code'), 'utf8').trim(), 'exit-code file').to.equal('0');
    expect((await status(id)).state, 'the plugin container after the run (a DaemonSet pod must not exit)').to.equal(
      'CONTAINER_RUNNING',
    );
    await client.runtime.StopContainer({ container_id: id, timeout: 30 });
    const stopped = await status(id);
    expect(stopped.state, 'state after StopContainer').to.equal('CONTAINER_EXITED');
    expect(stopped.exit_code, 'exit code after SIGTERM while idling').to.equal(0);
  });
});
