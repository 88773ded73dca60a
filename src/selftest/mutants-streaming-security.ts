// Mutants of the streaming, networking and security context areas.
import type { Msg } from './behaviour.js';
import { onRequest, onResponse, type Mutant } from './mutant.js';

/** A streaming URL that the runtime's streaming server does not serve: same host, wrong path. */
const breakUrl = (res: Msg): void => {
  res.url = String(res.url).replace(/\/(exec|attach|portforward)\/[^/?]+/, '/$1/crit-broken-token');
};

/** The request's namespace_options (RunPodSandbox and CreateContainer carry them alike), edited. */
const onNamespaces = (
  rpc: 'RunPodSandbox' | 'CreateContainer',
  edit: (ns: Msg) => void,
): ReturnType<typeof onRequest> =>
  onRequest(rpc, (req) => {
    const ns = req.config?.linux?.security_context?.namespace_options;
    if (ns) edit(ns);
  });

/** A runtime that runs network NODE pods in a network namespace of their own. */
const nodeNetworkIgnored = onNamespaces('RunPodSandbox', (ns) => {
  if (ns.network === 'NODE') ns.network = 'POD';
});

export const STREAMING_NETWORK_SECURITY_MUTANTS: Mutant[] = [
  {
    name: 'exec-url-broken',
    groups: ['streaming-exec'],
    violates: 'Exec returns a URL that the streaming server serves',
    caughtBy: ['exec.spdy.stdout-exactly-exit-0', 'exec.websocket.stdout-exactly-exit-0'],
    expect: /exec|HTTP|40\d|upgrade/i,
    ...onResponse('Exec', breakUrl),
  },
  {
    name: 'attach-url-broken',
    groups: ['streaming-attach'],
    violates: 'Attach returns a URL that the streaming server serves',
    caughtBy: ['attach.spdy.input-written-stdin', 'attach.websocket.input-written-stdin'],
    expect: /attach|HTTP|40\d|upgrade/i,
    ...onResponse('Attach', breakUrl),
  },
  {
    name: 'port-forward-url-broken',
    groups: ['streaming-port-forward'],
    violates: 'PortForward returns a URL that the streaming server serves',
    caughtBy: ['port-forward.spdy.http-get-port-80', 'port-forward.websocket.http-get-port-80'],
    expect: /port|HTTP|40\d|upgrade/i,
    ...onResponse('PortForward', breakUrl),
  },
  {
    name: 'exec-url-relative',
    groups: ['streaming-url'],
    violates: 'Exec returns an absolute URL with a host',
    caughtBy: ['exec.absolute-url-host'],
    expect: /URL|url|host/,
    ...onResponse('Exec', (res) => (res.url = new URL(String(res.url)).pathname)),
  },
  {
    name: 'hostname-ignored',
    groups: ['networking'],
    violates: 'RunPodSandbox sets the pod hostname from PodSandboxConfig.hostname',
    caughtBy: ['run-pod-sandbox.sets-hostname-pod-podsandboxconfig-hostname'],
    expect: /hostname/i,
    ...onRequest('RunPodSandbox', (req) => {
      if (req.config) req.config.hostname = '';
    }),
  },
  {
    name: 'port-mapping-ignored',
    groups: ['networking-ports'],
    violates: 'RunPodSandbox forwards PodSandboxConfig.port_mappings host ports',
    caughtBy: ['run-pod-sandbox.forwards-tcp-host-port-127'],
    expect: /host_port|127\.0\.0\.1|connect|ECONNREFUSED/i,
    ...onRequest('RunPodSandbox', (req) => {
      if (req.config) req.config.port_mappings = [];
    }),
  },
  {
    name: 'udp-port-mapping-ignored',
    groups: ['networking-udp'],
    violates: 'RunPodSandbox forwards a UDP host_port of PodSandboxConfig.port_mappings',
    caughtBy: ['run-pod-sandbox.forwards-udp-host-port-127'],
    expect: /through host port|ECONNREFUSED/,
    ...onRequest('RunPodSandbox', (req) => {
      if (req.config) req.config.port_mappings = [];
    }),
  },
  {
    name: 'run-as-user-ignored',
    groups: ['security-context-user'],
    violates: 'CreateContainer runs the process as security_context.run_as_user',
    caughtBy: ['create-container.runs-container-process-run-user'],
    expect: /uid|run_as_user|id -u/i,
    ...onRequest('CreateContainer', (req) => {
      const sc = req.config?.linux?.security_context;
      if (sc) sc.run_as_user = null;
    }),
  },
  {
    name: 'pod-run-as-user-dropped',
    groups: ['security-context-pod'],
    violates: 'RunPodSandbox runs the sandbox process as the pod security_context.run_as_user',
    caughtBy: ['run-pod-sandbox.runs-sandbox-process-run-user'],
    expect: /Uid|run_as_user/,
    ...onRequest('RunPodSandbox', (req) => {
      const sc = req.config?.linux?.security_context;
      if (sc) sc.run_as_user = null;
    }),
  },
  {
    name: 'add-capabilities-ignored',
    groups: ['security-context-capabilities'],
    violates: 'CreateContainer adds security_context.capabilities.add_capabilities',
    caughtBy: ['create-container.adds-capability-add-capabilities-effective'],
    expect: /Cap|capabilit/i,
    ...onRequest('CreateContainer', (req) => {
      const caps = req.config?.linux?.security_context?.capabilities;
      if (caps) caps.add_capabilities = [];
    }),
  },
  {
    name: 'privileged-keeps-seccomp',
    groups: ['security-context-seccomp'],
    violates: 'CreateContainer applies no seccomp restrictions to a privileged container',
    caughtBy: ['create-container.privileged-ignores-seccomp-profile'],
    expect: /Seccomp|mkdir/,
    // A runtime that applies the Localhost profile anyway: the container runs unprivileged.
    ...onRequest('CreateContainer', (req) => {
      const sc = req.config?.linux?.security_context;
      if (sc?.privileged && sc.seccomp?.profile_type === 'Localhost') sc.privileged = false;
    }),
  },
  {
    // A runtime that reads only SecurityProfile seccomp and drops the deprecated path field.
    name: 'seccomp-profile-path-ignored',
    groups: ['security-deprecated-profiles'],
    violates: 'CreateContainer applies the profile of the deprecated seccomp_profile_path',
    caughtBy: [
      'create-container.seccomp-profile-path-runtime-default',
      'create-container.seccomp-profile-path-localhost',
    ],
    expect: /Seccomp|mkdir/,
    ...onRequest('CreateContainer', (req) => {
      const sc = req.config?.linux?.security_context;
      if (sc?.seccomp_profile_path) sc.seccomp_profile_path = '';
    }),
  },
  {
    name: 'readonly-rootfs-ignored',
    groups: ['security-context-privileged'],
    violates: 'CreateContainer makes the root filesystem read-only under readonly_rootfs',
    caughtBy: ['create-container.makes-root-filesystem-read-only'],
    expect: /read-only|readonly|rootfs|write/i,
    ...onRequest('CreateContainer', (req) => {
      const sc = req.config?.linux?.security_context;
      if (sc) sc.readonly_rootfs = false;
    }),
  },
  {
    name: 'node-network-ignored',
    groups: ['security-context-namespaces'],
    violates: 'RunPodSandbox puts a network NODE pod in the node network namespace',
    caughtBy: ['run-pod-sandbox.node-net-namespace'],
    expect: /net namespace|\/proc\/self\/ns\/net/,
    ...nodeNetworkIgnored,
  },
  {
    name: 'pid-target-ignored',
    groups: ['security-context-namespaces'],
    violates: 'CreateContainer joins the PID namespace of target_id with pid TARGET',
    caughtBy: ['create-container.joins-pid-namespace-target-id'],
    expect: /pid namespace|TARGET/,
    ...onNamespaces('CreateContainer', (ns) => {
      if (ns.pid === 'TARGET') {
        ns.pid = 'CONTAINER';
        ns.target_id = '';
      }
    }),
  },
  {
    name: 'sysctls-dropped',
    groups: ['security-context-sysctls'],
    violates: 'RunPodSandbox applies PodSandboxConfig.linux.sysctls',
    caughtBy: ['run-pod-sandbox.applies-pod-sysctls-inside-pod'],
    expect: /sysctl|\/proc\/sys/,
    ...onRequest('RunPodSandbox', (req) => {
      if (req.config?.linux) req.config.linux.sysctls = {};
    }),
  },
  {
    name: 'masked-paths-dropped',
    groups: ['security-context-paths'],
    violates: 'CreateContainer masks security_context.masked_paths',
    caughtBy: ['create-container.masks-files-directories-masked-paths'],
    expect: /mask/i,
    ...onRequest('CreateContainer', (req) => {
      const sc = req.config?.linux?.security_context;
      if (sc) sc.masked_paths = [];
    }),
  },
  {
    name: 'host-network-ignored',
    groups: ['networking-ports'],
    violates: 'RunPodSandbox puts a host-network pod on the node network',
    caughtBy: ['run-pod-sandbox.shows-node-s-network-interfaces'],
    expect: /interface|ip -o link/i,
    ...nodeNetworkIgnored,
  },
  {
    name: 'run-unknown-handler-accepted',
    groups: ['pod-sandbox'],
    violates: 'RunPodSandbox rejects a runtime handler the runtime does not have',
    caughtBy: ['run-pod-sandbox.rejects-unknown-runtime-handler-leaves'],
    expect: /RunPodSandbox|runtime_handler|handler/,
    ...onRequest('RunPodSandbox', (req) => {
      if (req.runtime_handler && req.runtime_handler !== 'runc') req.runtime_handler = '';
    }),
  },
];
