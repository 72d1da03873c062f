// The API and the worker stop the same way: on SIGINT/SIGTERM, run the closers in order
// (newest first), then exit; a second signal exits at once.
type Closer = { name: string; close: () => Promise<unknown> | unknown };

export function onShutdown(closers: Closer[], log: (line: string) => void = console.log): void {
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal}: shutting down`);
    for (const c of [...closers].reverse()) {
      try {
        await c.close();
        log(`stopped ${c.name}`);
      } catch (error) {
        log(`stopping ${c.name} failed: ${String(error)}`);
      }
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
