// Update handlers and timers of one workflow interleave at every await; a command must see
// the state the previous one left. Work queued here runs one piece at a time, in arrival
// order (a promise chain, so replay orders it the same way).
export class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Something is running or waiting: not the moment to continue-as-new. */
  get busy(): boolean {
    return this.pending > 0;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(fn).finally(() => {
      this.pending -= 1;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
