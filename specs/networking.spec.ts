// PodSandboxConfig identity of a pod: hostname, dns_config and log_directory, observed in the
// container (`hostname`, /etc/hostname, /etc/resolv.conf) and on the host.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { hostname as hostHostname } from 'node:os';
import { join } from 'node:path';
import {
  containerConfig,
  containerStatus,
  cri,
  eventually,
  hostTempDir,
  itId,
  outputOf,
  outputsOf,
  requireLocalRuntime,
  rpc,
  runPodUnderTest,
  startContainer,
  useScope,
  withDnsConfig,
  withHostname,
  withHostNetwork,
  withLogDirectory,
  withLogPath,
  withPodNamespaces,
  withShell,
} from '../src/framework/index.js';

describe('Networking', function () {
  const scope = useScope();

  rpc('RunPodSandbox', function () {
    // api.proto PodSandboxConfig.hostname: "Hostname of the sandbox."
    itId(
      'run-pod-sandbox.sets-hostname-pod-podsandboxconfig-hostname',
      'sets the hostname of the pod from PodSandboxConfig.hostname',
      async function () {
        const name = `crit-host-${Math.random().toString(36).slice(2, 10)}`;
        const pod = await runPodUnderTest(scope, 'hostname', withHostname(name));
        const { id } = await scope.runContainer(pod, containerConfig('hostname'));
        const seen = await outputsOf(id, { hostname: 'hostname', file: 'cat /etc/hostname' });
        expect(seen.hostname.trim(), '`hostname` in the container').to.equal(name);
        expect(seen.file.trim(), '/etc/hostname in the container').to.equal(name);
      },
      { feature: 'config.hostname' },
    );

    // api.proto hostname: "Hostname could only be empty when the pod network namespace is NODE";
    // NamespaceMode NODE: "the namespace of the Kubernetes node".
    itId(
      'run-pod-sandbox.keeps-node-s-hostname-host-network',
      "keeps the node's hostname in a host-network pod without a hostname [linux]",
      async function () {
        requireLocalRuntime(this, "to read the host's hostname");
        const pod = await runPodUnderTest(scope, 'host-hostname', withHostNetwork());
        const { id } = await scope.runContainer(pod, containerConfig('host-hostname', withPodNamespaces(pod)));
        expect(
          (await outputOf(id, 'hostname')).trim(),
          "`hostname` in a host-network container vs the host's",
        ).to.equal(hostHostname());
      },
      { feature: 'config.linux.security_context.namespace_options.network' },
    );

    // api.proto DNSConfig: "servers ... List of DNS servers of the cluster", "searches ... List of
    // DNS search domains", "options ... List of DNS options. See https://linux.die.net/man/5/resolv.conf".
    itId(
      'run-pod-sandbox.writes-dns-config-servers-searches-options',
      "writes dns_config servers, searches and options into the container's /etc/resolv.conf",
      async function () {
        const pod = await runPodUnderTest(
          scope,
          'dns',
          withDnsConfig({
            servers: ['192.0.2.53', '192.0.2.54'],
            searches: ['crit.example.test', 'example.test'],
            options: ['ndots:3', 'timeout:2'],
          }),
        );
        const { id } = await scope.runContainer(pod, containerConfig('dns'));
        const lines = (await outputOf(id, 'cat /etc/resolv.conf')).split('\n').map((l) => l.trim().split(/\s+/));
        const servers = lines.filter((l) => l[0] === 'nameserver').map((l) => l[1]);
        const searches = lines.filter((l) => l[0] === 'search').flatMap((l) => l.slice(1));
        const options = lines.filter((l) => l[0] === 'options').flatMap((l) => l.slice(1));
        expect(servers, 'nameserver lines of /etc/resolv.conf').to.deep.equal(['192.0.2.53', '192.0.2.54']);
        expect(searches, 'search domains of /etc/resolv.conf').to.deep.equal(['crit.example.test', 'example.test']);
        expect(options, 'options of /etc/resolv.conf').to.include.members(['ndots:3', 'timeout:2']);
      },
      { feature: 'config.dns_config' },
    );
  });

  rpc('CreateContainer', function () {
    // api.proto PodSandboxConfig.log_directory: "Path to the directory on the host in which
    // container log files are stored"; ContainerConfig.log_path: "Path relative to
    // PodSandboxConfig.LogDirectory for container to store the log (STDOUT and STDERR) on the host."
    itId(
      'create-container.writes-container-log-log-path-under',
      'writes the container log to log_path under the pod log_directory and reports that path',
      async function () {
        requireLocalRuntime(this, 'a host log directory');
        const dir = hostTempDir(scope, 'logs');
        const pod = await scope.runPod('log-dir', withLogDirectory(dir));
        const marker = `crit-log-${Math.random().toString(36).slice(2, 10)}`;
        const config = containerConfig(
          'log-dir',
          withLogPath('web/0.log'),
          withShell(`echo ${marker}; trap "exit 0" TERM; while :; do sleep 1; done`),
        );
        const { container_id: id } = await cri().runtime.CreateContainer({
          pod_sandbox_id: pod.id,
          config,
          sandbox_config: pod.config,
        });
        scope.trackContainer(id);
        await startContainer(id);
        const status = await containerStatus(id);
        expect(status.log_path, 'ContainerStatus.log_path').to.equal(join(dir, 'web/0.log'));
        await eventually(
          `the host file ${join(dir, 'web/0.log')} to hold the marker ${marker}`,
          async () => readFileSync(join(dir, 'web/0.log'), 'utf8'),
          (text) => text.includes(marker),
          { timeout: 20_000 },
        );
      },
      { feature: 'config.log_path' },
    );
  });
});
