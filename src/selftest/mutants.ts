// The catalogue of mutants: each a plausible runtime bug that the named spec group must catch.
// See mutant.ts for the shape; the proxy injects one at a time.
import { CONTAINER_MUTANTS } from './mutants-containers.js';
import { IMAGE_MUTANTS } from './mutants-images.js';
import { STREAMING_NETWORK_SECURITY_MUTANTS } from './mutants-streaming-security.js';
import { RUNTIME_MUTANTS } from './mutants-runtime.js';
import { RESOURCES_MUTANTS } from './mutants-resources.js';
import { DEVICE_VOLUME_MUTANTS } from './mutants-devices-volumes.js';
import type { Mutant } from './mutant.js';

export const MUTANTS: readonly Mutant[] = [
  ...RUNTIME_MUTANTS,
  ...CONTAINER_MUTANTS,
  ...RESOURCES_MUTANTS,
  ...IMAGE_MUTANTS,
  ...STREAMING_NETWORK_SECURITY_MUTANTS,
  ...DEVICE_VOLUME_MUTANTS,
];
