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

export async function connectWorkerConnection(): Promise<{ connection: NativeConnection; namespace: string }> {
  const settings = temporalSettings();
  const connection = await NativeConnection.connect(settings.connectionOptions as Parameters<typeof NativeConnection.connect>[0]);
  return { connection, namespace: settings.namespace };
}
