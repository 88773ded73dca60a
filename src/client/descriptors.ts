// Reading message schemas of api.proto from proto-loader's package definition.
import type { MessageTypeDefinition, PackageDefinition } from '@grpc/proto-loader';

export interface FieldDescriptor {
  name: string;
  label: string;
  type: string;
  typeName: string;
}

export interface MessageDescriptor {
  name: string;
  field: FieldDescriptor[];
  nestedType: { name: string; options: { mapEntry?: boolean } | null }[];
}

export const CRI_PACKAGE = 'runtime.v1';

/** The descriptor of message `typeName` (e.g. `RunPodSandboxRequest`), if the proto defines it. */
export function messageDescriptor(definition: PackageDefinition, typeName: string): MessageDescriptor | undefined {
  const entry = definition[`${CRI_PACKAGE}.${typeName}`] as MessageTypeDefinition<object, object> | undefined;
  return entry?.type as unknown as MessageDescriptor | undefined;
}

/** True for `map<…>` fields, which proto-loader describes as repeated nested entry messages. */
export function isMapField(message: MessageDescriptor, field: FieldDescriptor): boolean {
  return (
    field.type === 'TYPE_MESSAGE' && message.nestedType.some((n) => n.name === field.typeName && n.options?.mapEntry)
  );
}
