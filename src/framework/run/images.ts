// The catalogue of test images the specs use. Defaults point at the local test bed's registry;
// `--test-images-file` (YAML or JSON) overrides any entry so a vendor can use its own registry.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export interface RegistryAuth {
  username: string;
  password: string;
}

export interface ImageCatalogue {
  /** A shell image (busybox) with the usual applets; `sh` is its default command. */
  busybox: string;
  /** The same image as `busybox`, referenced by `:latest`. */
  busyboxLatest: string;
  /** Serves `index` over HTTP on port 80. */
  web: string;
  /** Exact body `web` serves at `/`. */
  webIndex: string;
  /** Answers every UDP datagram on port 9999 with the same payload. */
  udpEcho: string;
  /** Images whose config USER is `1234`, `crit`, `1234:5678`, `crit:critgrp`. */
  userUid: string;
  userName: string;
  userUidGid: string;
  userNameGroup: string;
  /** One image under three tags (same digest). */
  multiTag: string[];
  /** The image of `multiTag` in another repository (another registry name, same digest). */
  multiTagOtherRegistry: string;
  /** Three images with different content. */
  distinct: string[];
  /** Images that image-removal tests may pull and delete (no other test uses them). */
  removable: string[];
  /** An image on a registry that requires basic auth, and the credentials it takes. */
  privateImage: string;
  privateAuth: RegistryAuth;
}

export const DEFAULT_REGISTRY = '127.0.0.1:5000';
export const DEFAULT_AUTH_REGISTRY = '127.0.0.1:5001';

export function defaultCatalogue(registry = DEFAULT_REGISTRY, authRegistry = DEFAULT_AUTH_REGISTRY): ImageCatalogue {
  const r = (name: string): string => `${registry}/cri-conformance/${name}`;
  return {
    busybox: r('busybox:1.0'),
    busyboxLatest: r('busybox:latest'),
    web: r('web:1.0'),
    webIndex: 'cri-conformance web ok\n',
    udpEcho: r('udp-echo:1.0'),
    userUid: r('user-uid:1.0'),
    userName: r('user-name:1.0'),
    userUidGid: r('user-uid-gid:1.0'),
    userNameGroup: r('user-name-group:1.0'),
    multiTag: [r('multi-tag:1.0'), r('multi-tag:2.0'), r('multi-tag:3.0')],
    multiTagOtherRegistry: `${registry.replace(/^127\.0\.0\.1(?=:|$)/, 'localhost')}/cri-conformance/multi-tag:1.0`,
    distinct: [r('distinct-a:1.0'), r('distinct-b:1.0'), r('distinct-c:1.0')],
    removable: [r('removable-a:1.0'), r('removable-b:1.0')],
    privateImage: `${authRegistry}/cri-conformance/private:1.0`,
    privateAuth: { username: 'crit-user', password: 'crit-pass' },
  };
}

export class CatalogueError extends Error {
  override name = 'CatalogueError';
}

const LIST_KEYS = new Set(['multiTag', 'distinct', 'removable']);
const LIST_LENGTH: Record<string, number> = { multiTag: 3, distinct: 3, removable: 2 };

/** Reads a catalogue file; entries it names replace the defaults, unknown keys are an error. */
export function loadCatalogue(file: string, base: ImageCatalogue = defaultCatalogue()): ImageCatalogue {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CatalogueError(
      `cannot read test images file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new CatalogueError(
      `test images file ${file} is not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CatalogueError(`test images file ${file} must be a mapping of image keys to references`);
  }
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(data)) {
    if (!(key in base)) {
      throw new CatalogueError(
        `test images file ${file}: unknown key "${key}" (known: ${Object.keys(base).join(', ')})`,
      );
    }
    if (LIST_KEYS.has(key)) {
      if (
        !Array.isArray(value) ||
        value.length !== LIST_LENGTH[key] ||
        !value.every((v) => typeof v === 'string' && v !== '')
      ) {
        throw new CatalogueError(
          `test images file ${file}: "${key}" must be a list of ${LIST_LENGTH[key]} image references`,
        );
      }
    } else if (key === 'privateAuth') {
      const auth = value as Partial<RegistryAuth> | null;
      if (
        typeof auth !== 'object' ||
        auth === null ||
        typeof auth.username !== 'string' ||
        typeof auth.password !== 'string'
      ) {
        throw new CatalogueError(`test images file ${file}: "privateAuth" must have string username and password`);
      }
    } else if (typeof value !== 'string' || value === '') {
      throw new CatalogueError(`test images file ${file}: "${key}" must be a non-empty string`);
    }
    result[key] = value;
  }
  return result as unknown as ImageCatalogue;
}
