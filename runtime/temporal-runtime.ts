// The Temporal runtime of a process that runs a worker: installed once, before any native
// connection or worker exists (the SDK fixes its telemetry then). Its Prometheus exporter
// serves the SDK's own worker metrics — task latencies, slots, pollers, sticky cache — on
// WORKER_METRICS_ADDRESS at /metrics; `off` when several workers share a machine or in tests.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Config } from './config.js';

export function installTemporalRuntime(config: Pick<Config, 'temporalLogLevel' | 'workerMetricsAddress'>): void {
  const address = config.workerMetricsAddress;
  try {
    // runtime/shutdown.ts stops the worker first and closes its connections after the drain;
    // Temporal's own signal handling would race it.
    Runtime.install({
      logger: new DefaultLogger(config.temporalLogLevel),
      shutdownSignals: [],
      // The SDK's default names and units (milliseconds, no `_total`): what Temporal's own dashboards expect.
      ...(address ? { telemetryOptions: { metrics: { prometheus: { bindAddress: address } } } } : {}),
    });
  } catch (error) {
    if (!address) throw error;
    throw new Error(`The Temporal runtime did not start with its metrics on WORKER_METRICS_ADDRESS=${address} (in use by another worker? set another address or off)`, { cause: error });
  }
}
