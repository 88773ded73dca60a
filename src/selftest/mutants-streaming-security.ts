// Mutants of the streaming, networking and security context areas.
import type { Msg } from './behaviour.js';
import { onRequest, onResponse, title, type Mutant } from './mutant.js';

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
    focus: ['^Streaming Exec .*returns stdout exactly, empty stderr and exit 0 for a command without tty'],
    expect: /exec|HTTP|40\d|upgrade/i,
    ...onResponse('Exec', breakUrl),
  },
  {
    name: 'attach-url-broken',
    groups: ['streaming-attach'],
    violates: 'Attach returns a URL that the streaming server serves',
    focus: ['^Streaming Attach .*runs input written to a container started with stdin and returns its output'],
    expect: /attach|HTTP|40\d|upgrade/i,
    ...onResponse('Attach', breakUrl),
  },
  {
    name: 'port-forward-url-broken',
    groups: ['streaming-port-forward'],
    violates: 'PortForward returns a URL that the streaming server serves',
    focus: ['^Streaming PortForward .*forwards an HTTP GET to port 80 listed in the request'],
    expect: /port|HTTP|40\d|upgrade/i,
    ...onResponse('PortForward', breakUrl),
  },
  {
    name: 'exec-url-relative',
    groups: ['streaming-url'],
    violates: 'Exec returns an absolute URL with a host',
    focus: [title('Streaming', 'Exec', 'returns an absolute URL with a host')],
    expect: /URL|url|host/,
    ...onResponse('Exec', (res) => (res.url = new URL(String(res.url)).pathname)),
  },
  {
    name: 'hostname-ignored',
    groups: ['networking'],
    violates: 'RunPodSandbox sets the pod hostname from PodSandboxConfig.hostname',
    focus: [title('Networking', 'RunPodSandbox', 'sets the hostname of the pod from PodSandboxConfig.hostname')],
    expect: /hostname/i,
    ...onRequest('RunPodSandbox', (req) => {
      if (req.config) req.config.hostname = '';
    }),
  },
  {
    name: 'port-mapping-ignored',
    groups: ['networking-ports'],
    violates: 'RunPodSandbox forwards PodSandboxConfig.port_mappings host ports',
    focus: [title('Networking', 'RunPodSandbox', 'forwards a TCP host_port on 127.0.0.1 to the container_port')],
    expect: /host_port|127\.0\.0\.1|connect|ECONNREFUSED/i,
    ...onRequest('RunPodSandbox', (req) => {
      if (req.config) req.config.port_mappings = [];
    }),
  },
  {
    name: 'udp-port-mapping-ignored',
    groups: ['networking-udp'],
    violates: 'RunPodSandbox forwards a UDP host_port of PodSandboxConfig.port_mappings',
    focus: [title('Networking', 'RunPodSandbox', 'forwards a UDP host_port on 127.0.0.1 to the container_port')],
    expect: /through host port|ECONNREFUSED/,
    ...onRequest('RunPodSandbox', (req) => {
      if (req.config) req.config.port_mappings = [];
    }),
  },
  {
    name: 'run-as-user-ignored',
    groups: ['security-context-user'],
    violates: 'CreateContainer runs the process as security_context.run_as_user',
    focus: [title('Security context', 'CreateContainer', 'runs the container process as run_as_user [linux]')],
    expect: /uid|run_as_user|id -u/i,
    ...onRequest('CreateContainer', (req) => {
      const sc = req.config?.linux?.security_context;
      if (sc) sc.run_as_user = null;
    }),
  },
  {
    name: 'add-capabilities-ignored',
    groups: ['security-context-capabilities'],
    violates: 'CreateContainer adds security_context.capabilities.add_capabilities',
    focus: [
      title(
        'Security context',
        'CreateContainer',
        'adds a capability from add_capabilities to the effective, permitted and bounding sets [linux]',
      ),
    ],
    expect: /Cap|capabilit/i,
    ...onRequest('CreateContainer', (req) => {
      const caps = req.config?.linux?.security_context?.capabilities;
      if (caps) caps.add_capabilities = [];
    }),
  },
  {
    name: 'readonly-rootfs-ignored',
    groups: ['security-context-privileged'],
    violates: 'CreateContainer makes the root filesystem read-only under readonly_rootfs',
    focus: [
      title('Security context', 'CreateContainer', 'makes the root filesystem read-only under readonly_rootfs [linux]'),
    ],
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
    focus: [
      title(
        'Security context',
        'RunPodSandbox',
        "puts the containers in the node's net namespace with network NODE [linux]",
      ),
    ],
    expect: /net namespace|\/proc\/self\/ns\/net/,
    ...nodeNetworkIgnored,
  },
  {
    name: 'pid-target-ignored',
    groups: ['security-context-namespaces'],
    violates: 'CreateContainer joins the PID namespace of target_id with pid TARGET',
    focus: [
      title('Security context', 'CreateContainer', 'joins the PID namespace of target_id with pid TARGET [linux]'),
    ],
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
    focus: [title('Security context', 'RunPodSandbox', 'applies the pod sysctls inside the pod namespaces [linux]')],
    expect: /sysctl|\/proc\/sys/,
    ...onRequest('RunPodSandbox', (req) => {
      if (req.config?.linux) req.config.linux.sysctls = {};
    }),
  },
  {
    name: 'masked-paths-dropped',
    groups: ['security-context-paths'],
    violates: 'CreateContainer masks security_context.masked_paths',
    focus: [title('Security context', 'CreateContainer', 'masks the files and directories of masked_paths [linux]')],
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
    focus: [title('Networking', 'RunPodSandbox', "shows the node's network interfaces to a host-network pod [linux]")],
    expect: /interface|ip -o link/i,
    ...nodeNetworkIgnored,
  },
  {
    name: 'run-unknown-handler-accepted',
    groups: ['pod-sandbox'],
    violates: 'RunPodSandbox rejects a runtime handler the runtime does not have',
    focus: [title('PodSandbox', 'RunPodSandbox', 'rejects an unknown runtime handler and leaves no sandbox behind')],
    expect: /RunPodSandbox|runtime_handler|handler/,
    ...onRequest('RunPodSandbox', (req) => {
      if (req.runtime_handler && req.runtime_handler !== 'runc') req.runtime_handler = '';
    }),
  },
];
