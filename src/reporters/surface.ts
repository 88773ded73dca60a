// The CRI surface read from api.proto itself: every RPC of both services, and every request
// field path. The coverage report's denominator comes from here, never from a hard-coded list.
import type { PackageDefinition } from '@grpc/proto-loader';
import { CRI_PACKAGE, isMapField, messageDescriptor } from '../client/descriptors.js';

export interface RpcSurface {
  service: 'RuntimeService' | 'ImageService';
  rpc: string;
  requestType: string;
  serverStreaming: boolean;
  /** Every field path of the request message (maps and scalars are leaves). */
  fieldPaths: string[];
}

const MAX_DEPTH = 8;

/** Every field path under `typeName`, depth-first, guarding against recursive messages. */
export function messageFieldPaths(
  definition: PackageDefinition,
  typeName: string,
  prefix = '',
  seen: string[] = [],
): string[] {
  const desc = messageDescriptor(definition, typeName);
  if (!desc || seen.includes(typeName) || seen.length >= MAX_DEPTH) return [];
  const paths: string[] = [];
  for (const field of desc.field) {
    const path = prefix ? `${prefix}.${field.name}` : field.name;
    paths.push(path);
    if (field.type !== 'TYPE_MESSAGE' || isMapField(desc, field)) continue;
    paths.push(...messageFieldPaths(definition, field.typeName, path, [...seen, typeName]));
  }
  return paths;
}

export function criSurface(definition: PackageDefinition): RpcSurface[] {
  const surface: RpcSurface[] = [];
  for (const service of ['RuntimeService', 'ImageService'] as const) {
    const methods = definition[`${CRI_PACKAGE}.${service}`] as unknown as Record<
      string,
      { responseStream: boolean; requestType: { type: { name: string } } }
    >;
    for (const [rpc, method] of Object.entries(methods)) {
      const requestType = method.requestType.type.name;
      surface.push({
        service,
        rpc,
        requestType,
        serverStreaming: method.responseStream,
        fieldPaths: messageFieldPaths(definition, requestType),
      });
    }
  }
  return surface;
}
