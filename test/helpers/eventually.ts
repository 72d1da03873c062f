// Waiting for what the worker does in the background (a timer's activity, a program year
// change reaching running cases): read until `ok`, then hand back the value for the test's
// own expectations, which also report a timeout with the last value read.
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
