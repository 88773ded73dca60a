// The one place the proto-loader options live. The `gen` npm script passes the same options
// to proto-loader-gen-types as flags, so generated types and runtime objects agree.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from '../generated/api.js';

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** Absolute path of the vendored CRI definition (works from src/ and from dist/src/). */
export function protoPath(): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.includes('/dist/')
    ? here.slice(0, here.lastIndexOf('/dist/'))
    : here.slice(0, here.lastIndexOf('/src/'));
  return `${root}/proto/api.proto`;
}

let cached: { definition: protoLoader.PackageDefinition; grpcObject: ProtoGrpcType } | undefined;

export function loadCri(): { definition: protoLoader.PackageDefinition; grpcObject: ProtoGrpcType } {
  if (!cached) {
    const definition = protoLoader.loadSync(protoPath(), LOADER_OPTIONS);
    const grpcObject = grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
    cached = { definition, grpcObject };
  }
  return cached;
}
