// Reads deploy/job.yaml, deploy/daemonset.yaml and deploy/sonobuoy-plugin.yaml into one shape:
// the container each of them runs on a node, with every mount resolved to its volume. The
// in-runtime e2e test runs these containers through CRI and checks that the manifests agree.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const DEPLOY_DIR = fileURLToPath(new URL('../../../deploy/', import.meta.url));

export interface PlannedMount {
  /** The volume's name in the manifest. */
  volume: string;
  mountPath: string;
  /** hostPath.path, when the volume is a hostPath. */
  hostPath?: string;
  hostPathType?: string;
}

/** What a manifest runs on a node. */
export interface NodeContainer {
  file: string;
  image: string;
  command: string[];
  args: string[];
  env: Record<string, string>;
  mounts: PlannedMount[];
  hostNetwork: boolean;
}

export interface SonobuoyPlugin extends NodeContainer {
  driver: string;
  pluginName: string;
  resultFormat: string;
  resultFiles: string[];
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

type Obj = Record<string, unknown>;

function obj(value: unknown, where: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ManifestError(`${where} is not a mapping`);
  return value as Obj;
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ManifestError(`${where} is not a list`);
  return value;
}

function strings(value: unknown, where: string): string[] {
  return list(value, where).map((v, i) => {
    if (typeof v !== 'string') throw new ManifestError(`${where}[${i}] is not a string`);
    return v;
  });
}

function read(file: string): Obj {
  return obj(parseYaml(readFileSync(`${DEPLOY_DIR}${file}`, 'utf8')), file);
}

function container(file: string, c: Obj, volumes: unknown[], hostNetwork: boolean): NodeContainer {
  const byName = new Map(
    volumes.map((v, i) => {
      const vol = obj(v, `${file} volumes[${i}]`);
      return [String(vol.name), vol] as const;
    }),
  );
  const mounts = list(c.volumeMounts, `${file} volumeMounts`).map((m, i): PlannedMount => {
    const mount = obj(m, `${file} volumeMounts[${i}]`);
    const volume = String(mount.name);
    const hostPath = byName.get(volume)?.hostPath as Obj | undefined;
    return {
      volume,
      mountPath: String(mount.mountPath),
      hostPath: hostPath?.path as string | undefined,
      hostPathType: hostPath?.type as string | undefined,
    };
  });
  const env: Record<string, string> = {};
  for (const [i, e] of list(c.env, `${file} env`).entries()) {
    const entry = obj(e, `${file} env[${i}]`);
    env[String(entry.name)] = String(entry.value);
  }
  return {
    file,
    image: String(c.image),
    command: strings(c.command, `${file} command`),
    args: strings(c.args, `${file} args`),
    env,
    mounts,
    hostNetwork,
  };
}

/** The pod template's only container of a Job or DaemonSet manifest. */
export function readWorkload(file: 'job.yaml' | 'daemonset.yaml'): NodeContainer & { kind: string } {
  const doc = read(file);
  const podSpec = obj(
    obj(obj(doc.spec, `${file} spec`).template, `${file} spec.template`).spec,
    `${file} spec.template.spec`,
  );
  const containers = list(podSpec.containers, `${file} containers`);
  if (containers.length !== 1) throw new ManifestError(`${file} has ${containers.length} containers, expected 1`);
  return {
    kind: String(doc.kind),
    ...container(
      file,
      obj(containers[0], `${file} containers[0]`),
      list(podSpec.volumes, `${file} volumes`),
      podSpec.hostNetwork === true,
    ),
  };
}

/** The Sonobuoy plugin definition. Its pod gets Sonobuoy's default DaemonSet podSpec (host network). */
export function readSonobuoyPlugin(): SonobuoyPlugin {
  const file = 'sonobuoy-plugin.yaml';
  const doc = read(file);
  const config = obj(doc['sonobuoy-config'], `${file} sonobuoy-config`);
  // Sonobuoy adds the "results" emptyDir itself; extra-volumes holds the others.
  const volumes = [{ name: 'results', emptyDir: {} }, ...list(doc['extra-volumes'], `${file} extra-volumes`)];
  const driver = String(config.driver);
  return {
    ...container(file, obj(doc.spec, `${file} spec`), volumes, driver === 'DaemonSet'),
    driver,
    pluginName: String(config['plugin-name']),
    resultFormat: String(config['result-format']),
    resultFiles: strings(config['result-files'], `${file} result-files`),
  };
}

/** The value that follows `flag` in `args` (also `flag=value`). */
export function flagValue(args: string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === flag) return args[i + 1];
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
  }
  return undefined;
}

export function mountNamed(c: NodeContainer, volume: string): PlannedMount {
  const m = c.mounts.find((x) => x.volume === volume);
  if (!m)
    throw new ManifestError(
      `${c.file} mounts no volume "${volume}" (mounts: ${c.mounts.map((x) => x.volume).join(', ')})`,
    );
  return m;
}
