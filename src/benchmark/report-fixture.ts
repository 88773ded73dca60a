// A small benchmark report for the unit tests of the writers and of --compare.
import { BENCHMARK_SCHEMA, listScalingResult, operationResult, type BenchmarkReport } from './report.js';
import { newRecord } from './runner.js';

export function sampleReport(scale = 1, runId = 'aaaa1111'): BenchmarkReport {
  const run = newRecord('RunPodSandbox', 'pod', 2);
  run.samplesMs.push(...[210, 250, 230, 400, 220].map((x) => x * scale));
  run.phaseMs = 700;
  const status = newRecord('PodSandboxStatus', 'pod', 2);
  status.samplesMs.push(1.2 * scale, 2.5 * scale, 1.9 * scale);
  status.phaseMs = 4;
  const exec = newRecord('ExecSync', 'exec', 2);
  exec.failures = 2;
  exec.failureMessages.push('ExecSync → DEADLINE_EXCEEDED (4): "Deadline exceeded" [request: container_id=3f2a…] <&>');
  const list = (rpc: 'ListPodSandbox' | 'ListContainers', objects: number, ms: number) => {
    const record = newRecord(rpc, 'list-scaling', 2);
    record.samplesMs.push(ms * scale, ms * 1.2 * scale, ms * 0.9 * scale);
    record.phaseMs = ms * 2;
    return listScalingResult({ rpc, objects, listed: objects + 1, record });
  };
  return {
    schema: BENCHMARK_SCHEMA,
    runId,
    startedAt: '2026-01-02T03:04:05.000Z',
    finishedAt: '2026-01-02T03:05:05.000Z',
    interrupted: false,
    suiteVersion: '0.1.0',
    runtime: {
      endpoint: 'unix:///run/containerd/containerd.sock',
      imageEndpoint: 'unix:///run/containerd/containerd.sock',
      name: 'containerd',
      version: '1.6.20',
      apiVersion: 'v1',
      handler: '',
    },
    host: { os: 'Linux 6.1', cpus: 2, node: '20.20.0' },
    params: {
      iterations: 5,
      concurrency: 2,
      listSizes: [10, 100],
      operations: ['RunPodSandbox', 'PodSandboxStatus', 'ExecSync', 'ListPodSandbox', 'ListContainers'],
      opTimeout: '30s',
      pullLayerKib: 1024,
      pullImages: [],
    },
    operations: [run, status, exec].map(operationResult),
    listScaling: [
      list('ListPodSandbox', 10, 2),
      list('ListPodSandbox', 100, 8),
      list('ListContainers', 10, 1.5),
      list('ListContainers', 100, 5),
    ],
  };
}
