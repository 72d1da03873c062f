// Connection settings come from the standard TEMPORAL_* variables (and a profile file, if
// any) through @temporalio/envconfig, so the API, the worker and the CLI agree.
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

export function temporalSettings(): { address: string; namespace: string; connectionOptions: ReturnType<typeof loadClientConnectConfig>['connectionOptions'] } {
  const { connectionOptions, namespace } = loadClientConnectConfig();
  return {
    address: connectionOptions.address ?? 'localhost:7233',
    namespace: namespace ?? 'default',
    connectionOptions: { ...connectionOptions, address: connectionOptions.address ?? 'localhost:7233' },
  };
}

/**
 * The API's client connects lazily: the API starts, and answers 503 (readiness included),
 * while Temporal is down, and reconnects by itself when it is back.
 */
export async function connectClient(): Promise<{ client: Client; close(): Promise<void> }> {
  const settings = temporalSettings();
  const connection = Connection.lazy(settings.connectionOptions);
  return { client: new Client({ connection, namespace: settings.namespace }), close: () => connection.close() };
}

/**
 * The worker's connection. A worker started while Temporal is down (a restart during an
 * outage) waits for it, trying again with backoff, instead of exiting: once connected, the
 * SDK keeps polling through later outages by itself.
 */
export async function connectWorkerConnection(options: { retryForMs?: number; log?: (line: string) => void } = {}): Promise<{ connection: NativeConnection; namespace: string }> {
  const settings = temporalSettings();
  const giveUpAt = Date.now() + (options.retryForMs ?? 0);
  for (let delay = 500; ; delay = Math.min(delay * 2, 10_000)) {
    try {
      const connection = await NativeConnection.connect(settings.connectionOptions as Parameters<typeof NativeConnection.connect>[0]);
      return { connection, namespace: settings.namespace };
    } catch (error) {
      if (Date.now() + delay > giveUpAt) throw error;
      options.log?.(`Temporal at ${settings.address} does not answer yet (${error instanceof Error ? error.message : String(error)}); trying again in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
