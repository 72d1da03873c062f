// A loop that drains a PostgreSQL-backed queue: one batch after another while there is work,
// then a pause; a fault (PostgreSQL down) is logged and tried again after the pause. stop()
// waits for the batch under way, so a graceful stop marks what it sent.
export interface Poller {
  start(): void;
  stop(): Promise<void>;
}

export function poller(name: string, runOnce: () => Promise<{ processed: number; full: boolean }>, options: { idleMs: number; log: (line: string) => void }): Poller {
  let stopping = false;
  let wake: (() => void) | undefined;
  let running: Promise<void> | undefined;

  const pause = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });

  async function loop(): Promise<void> {
    while (!stopping) {
      try {
        const { full } = await runOnce();
        if (full) continue;
      } catch (error) {
        options.log(`${name}: ${error instanceof Error ? error.message : String(error)}; trying again`);
      }
      if (!stopping) await pause(options.idleMs);
    }
  }

  return {
    start() {
      if (!running) running = loop();
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
    },
  };
}
