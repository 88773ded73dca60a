// Transport faults: the runtime misbehaves on the wire rather than breaking the contract. Each run
// must end within `maxSeconds` with the expected exit code and a message naming what happened,
// write its reports, and leave nothing behind.
//
// The test bed's containerd is shared, so "the runtime killed and restarted" is simulated at the
// proxy: its socket disappears and every connection drops for a while, then it listens again.
import * as grpc from '@grpc/grpc-js';
import { never, StatusError, type Behaviour } from './behaviour.js';

export interface Fault {
  name: string;
  what: string;
  /** A fresh behaviour per run (faults keep state such as "already fired"). */
  behaviour: () => Behaviour;
  /** Stable ids (itId) of the tests to run; empty with `fullRun`. */
  caughtBy: string[];
  /** The whole suite at its default parallelism, as a CI gate runs it (not one test, one worker). */
  fullRun?: true;
  /** --timeout of the run: the default CRI deadline (the suite's own default when undefined). */
  timeout?: string;
  exitCode: number;
  maxSeconds: number;
  /** Matched against the run's stderr and every test message of results.json. */
  expect: RegExp;
  /**
   * The run cannot remove what it made (its endpoint is gone for good): it must print the cleanup
   * command, which the self-test then runs against the real runtime, and nothing may be left after.
   */
  leavesCleanupCommand?: true;
}

/** Fires `act` once, on the first call of `rpc`, and lets every other call through. */
function once(
  rpc: string,
  act: (
    forward: (r: Record<string, any>) => Promise<Record<string, any>>,
    req: Record<string, any>,
    proxy: Parameters<NonNullable<Behaviour['onCall']>>[1],
  ) => Promise<Record<string, any>>,
): Behaviour {
  let fired = false;
  return {
    unary: {
      [rpc]: async (req, forward, proxy) => {
        if (fired) return forward(req);
        fired = true;
        return act(forward, req, proxy);
      },
    },
  };
}

export const FAULTS: readonly Fault[] = [
  {
    name: 'rpc-never-answers',
    what: 'PodSandboxStatus is accepted and never answered',
    behaviour: () => once('PodSandboxStatus', () => never()),
    caughtBy: ['run-pod-sandbox.runs-ready-sandbox-stops-notready'],
    timeout: '5s',
    exitCode: 1,
    maxSeconds: 90,
    expect: /PodSandboxStatus → DEADLINE_EXCEEDED/,
  },
  {
    name: 'runtime-silent',
    what: 'every RPC is accepted and never answered (a hung runtime)',
    behaviour: () => ({ onCall: () => undefined, unary: new Proxy({}, { get: () => () => never() }) }),
    caughtBy: ['run-pod-sandbox.runs-ready-sandbox-stops-notready'],
    timeout: '5s',
    exitCode: 3,
    maxSeconds: 30,
    expect: /cannot reach runtime endpoint .* within 10s \(DEADLINE_EXCEEDED/,
  },
  {
    name: 'connection-dropped',
    what: 'the connection drops while PodSandboxStatus is in flight',
    behaviour: () =>
      once('PodSandboxStatus', async (forward, req, proxy) => {
        await forward(req);
        proxy.dropConnections();
        return never();
      }),
    caughtBy: ['run-pod-sandbox.runs-ready-sandbox-stops-notready'],
    timeout: '5s',
    exitCode: 1,
    maxSeconds: 90,
    expect: /PodSandboxStatus → (UNAVAILABLE|INTERNAL|CANCELLED|UNKNOWN)/,
  },
  {
    name: 'response-past-deadline',
    what: 'RunPodSandbox runs the pod but answers 3 s after the 5 s deadline',
    behaviour: () =>
      once('RunPodSandbox', async (forward, req) => {
        const res = await forward(req);
        await new Promise((r) => setTimeout(r, 8_000));
        return res;
      }),
    caughtBy: ['run-pod-sandbox.runs-ready-sandbox-stops-notready'],
    timeout: '5s',
    exitCode: 1,
    maxSeconds: 90,
    expect: /RunPodSandbox → DEADLINE_EXCEEDED/,
  },
  {
    name: 'runtime-restarted',
    what: 'the runtime "dies" mid-run (socket gone, connections dropped) and comes back after 6 s',
    behaviour: () =>
      once('ContainerStats', async (_forward, _req, proxy) => {
        proxy.goAway(6_000);
        return never();
      }),
    caughtBy: ['container-stats.reports-attributes-match-container'],
    timeout: '5s',
    exitCode: 1,
    maxSeconds: 120,
    expect: /ContainerStats → (UNAVAILABLE|INTERNAL|CANCELLED|UNKNOWN|DEADLINE_EXCEEDED)/,
  },
  {
    name: 'endpoint-vanishes',
    what: 'the runtime endpoint goes away mid-run for good (socket gone, connections dropped)',
    behaviour: () =>
      once('ContainerStats', async (_forward, _req, proxy) => {
        proxy.goAway(10 * 60_000);
        return never();
      }),
    caughtBy: ['container-stats.reports-attributes-match-container'],
    timeout: '5s',
    exitCode: 1,
    maxSeconds: 60,
    expect: /to remove them: cri-conformance cleanup --runtime-endpoint \S+ --run [0-9a-f]{8}/,
    leavesCleanupCommand: true,
  },
  {
    name: 'start-container-noop',
    what: 'a full run against a runtime whose StartContainer answers OK and starts nothing',
    behaviour: () => ({ unary: { StartContainer: async () => ({}) } }),
    caughtBy: [],
    fullRun: true,
    exitCode: 1,
    maxSeconds: 120,
    expect: /StartContainer answered OK \d+\.\ds ago and it is still CONTAINER_CREATED: it never started/,
  },
  {
    name: 'endpoint-vanishes-full-run',
    what: 'the endpoint goes away for good 15 s into a full run',
    behaviour: () => {
      let gone = false;
      const started = Date.now();
      return {
        onCall: (_rpc, proxy) => {
          if (gone || Date.now() - started < 15_000) return;
          gone = true;
          proxy.goAway(10 * 60_000);
        },
      };
    },
    caughtBy: [],
    fullRun: true,
    exitCode: 1,
    maxSeconds: 90,
    expect: /to remove them: cri-conformance cleanup --runtime-endpoint \S+ --run [0-9a-f]{8}/,
    leavesCleanupCommand: true,
  },
  {
    name: 'upstream-unavailable',
    what: "the proxy's upstream runtime is stopped for 6 s mid-run: every call answers UNAVAILABLE",
    behaviour: () =>
      once('ContainerStats', async (_forward, _req, proxy) => {
        proxy.upstreamDown(6_000);
        throw new StatusError(
          grpc.status.UNAVAILABLE,
          'upstream runtime stopped by the self-test (connection refused)',
        );
      }),
    caughtBy: ['container-stats.reports-attributes-match-container'],
    timeout: '5s',
    exitCode: 1,
    maxSeconds: 120,
    expect: /ContainerStats → UNAVAILABLE/,
  },
  {
    name: 'streaming-server-silent',
    what: 'the Exec URL points at a listener that accepts the connection and never answers',
    behaviour: () => ({
      unary: {
        Exec: async (req, forward, proxy) => ({ ...(await forward(req)), url: proxy.silentListenerUrl() }),
      },
    }),
    caughtBy: ['exec.spdy.stdout-exactly-exit-0', 'exec.websocket.stdout-exactly-exit-0'],
    timeout: '5s',
    exitCode: 1,
    maxSeconds: 240,
    expect: /time|deadline|silent|upgrade|handshake/i,
  },
];
