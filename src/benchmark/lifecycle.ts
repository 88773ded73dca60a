// The lifecycle groups: pod sandbox run/status/stop/remove, container create/start/status/stop/
// remove, the whole "pod + one container from scratch" path, and the ExecSync round trip. Each
// operation runs in its own slice (all its samples, `concurrency` at a time), so its ops/s is
// measured over time in which only it ran.
import { OPERATION_GROUPS } from './params.js';
import { pool, succeeded, timedSlice } from './runner.js';
import { benchContainer, benchPod, range, removePod, runSetupPod, SETUP, timed, type BenchEnv } from './env.js';

const STOP_TIMEOUT_S = 10;

export async function podGroup(env: BenchEnv): Promise<void> {
  const { client, recorder, params } = env;
  const c = params.concurrency;
  const rec = (name: (typeof OPERATION_GROUPS.pod)[number]) => recorder.record(name, 'pod', c);
  const runs = await timedSlice(recorder, rec('RunPodSandbox'), range(params.iterations), c, async (_, clock) => {
    const config = benchPod('bench-pod');
    return (await client.runtime.RunPodSandbox({ config, runtime_handler: env.runtimeHandler }, timed(clock)))
      .pod_sandbox_id;
  });
  const ids = succeeded(runs);
  await timedSlice(recorder, rec('PodSandboxStatus'), ids, c, async (id, clock) => {
    const { status } = await client.runtime.PodSandboxStatus({ pod_sandbox_id: id }, timed(clock));
    if (status?.state !== 'SANDBOX_READY')
      throw new Error(`PodSandboxStatus of a running pod: state ${status?.state}, expected SANDBOX_READY`);
  });
  await timedSlice(recorder, rec('StopPodSandbox'), ids, c, async (id, clock) => {
    await client.runtime.StopPodSandbox({ pod_sandbox_id: id }, timed(clock));
  });
  const removed = await timedSlice(recorder, rec('RemovePodSandbox'), ids, c, async (id, clock) => {
    await client.runtime.RemovePodSandbox({ pod_sandbox_id: id }, timed(clock));
  });
  // what an interrupt or a failure left: removed now, or by the run's sweep
  await pool(
    ids.filter((_, i) => !removed[i].ok),
    c,
    (id) => removePod(env, id),
  );
}

export async function containerGroup(env: BenchEnv): Promise<void> {
  const { client, recorder, params } = env;
  const c = params.concurrency;
  const names = OPERATION_GROUPS.container;
  const rec = (name: (typeof names)[number]) => recorder.record(name, 'container', c);
  let pod;
  try {
    pod = await runSetupPod(env, 'bench-ctr-pod');
  } catch (err) {
    recorder.failGroup('container', names, c, `precondition RunPodSandbox failed: ${(err as Error).message}`);
    return;
  }
  try {
    const created = await timedSlice(
      recorder,
      rec('CreateContainer'),
      range(params.iterations),
      c,
      async (_, clock) => {
        const request = { pod_sandbox_id: pod.id, config: benchContainer('bench-ctr'), sandbox_config: pod.config };
        return (await client.runtime.CreateContainer(request, timed(clock))).container_id;
      },
    );
    const ids = succeeded(created);
    const started = succeeded(
      await timedSlice(recorder, rec('StartContainer'), ids, c, async (id, clock) => {
        await client.runtime.StartContainer({ container_id: id }, timed(clock));
        return id;
      }),
    );
    await timedSlice(recorder, rec('ContainerStatus'), started, c, async (id, clock) => {
      const { status } = await client.runtime.ContainerStatus({ container_id: id }, timed(clock));
      if (status?.state !== 'CONTAINER_RUNNING')
        throw new Error(`ContainerStatus of a started container: state ${status?.state}, expected CONTAINER_RUNNING`);
    });
    await timedSlice(recorder, rec('StopContainer'), started, c, async (id, clock) => {
      const timeout = Math.min(STOP_TIMEOUT_S, Math.floor(clock.left() / 2000));
      await client.runtime.StopContainer({ container_id: id, timeout }, timed(clock));
    });
    await timedSlice(recorder, rec('RemoveContainer'), ids, c, async (id, clock) => {
      await client.runtime.RemoveContainer({ container_id: id }, timed(clock));
    });
  } finally {
    await removePod(env, pod.id).catch(() => undefined); // the sweep retries
  }
}

/** RunPodSandbox + CreateContainer + StartContainer from nothing, as one sample. */
export async function podWithContainerGroup(env: BenchEnv): Promise<void> {
  const { client, recorder, params } = env;
  const c = params.concurrency;
  const pods: string[] = [];
  try {
    await timedSlice(
      recorder,
      recorder.record('RunPodWithContainer', 'pod+container', c),
      range(params.iterations),
      c,
      async (_, clock) => {
        const config = benchPod('bench-full');
        const { pod_sandbox_id } = await client.runtime.RunPodSandbox(
          { config, runtime_handler: env.runtimeHandler },
          timed(clock),
        );
        pods.push(pod_sandbox_id);
        const { container_id } = await client.runtime.CreateContainer(
          { pod_sandbox_id, config: benchContainer('bench-full'), sandbox_config: config },
          timed(clock),
        );
        await client.runtime.StartContainer({ container_id }, timed(clock));
      },
    );
  } finally {
    await pool(pods, c, (id) => removePod(env, id));
  }
}

/** ExecSync of `true` in one running container: the exec round trip. */
export async function execGroup(env: BenchEnv): Promise<void> {
  const { client, recorder, params } = env;
  const c = params.concurrency;
  let pod;
  try {
    pod = await runSetupPod(env, 'bench-exec-pod');
  } catch (err) {
    recorder.failGroup('exec', ['ExecSync'], c, `precondition RunPodSandbox failed: ${(err as Error).message}`);
    return;
  }
  try {
    const { container_id } = await client.runtime.CreateContainer(
      { pod_sandbox_id: pod.id, config: benchContainer('bench-exec'), sandbox_config: pod.config },
      SETUP,
    );
    await client.runtime.StartContainer({ container_id }, SETUP);
    const timeoutS = Math.max(1, Math.floor(params.opTimeoutMs / 1000));
    await timedSlice(
      recorder,
      recorder.record('ExecSync', 'exec', c),
      range(params.iterations),
      c,
      async (_, clock) => {
        const r = await client.runtime.ExecSync({ container_id, cmd: ['true'], timeout: timeoutS }, timed(clock));
        if (r.exit_code !== 0)
          throw new Error(
            `ExecSync of "true" exited ${r.exit_code}: ${Buffer.from(r.stderr).toString('utf8').slice(0, 200)}`,
          );
      },
    );
  } catch (err) {
    recorder.failGroup(
      'exec',
      ['ExecSync'],
      c,
      `precondition CreateContainer/StartContainer failed: ${(err as Error).message}`,
    );
  } finally {
    await removePod(env, pod.id).catch(() => undefined);
  }
}
