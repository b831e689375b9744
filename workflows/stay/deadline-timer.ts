import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/**
 * The stay's one timer for its next deadline, kept across commands. A command that leaves the next deadline where it
 * was, or moves it later (the usual completion), keeps the timer: it may then fire early, and the workflow only finds
 * nothing due and sets the next one. Only a deadline earlier than the timer replaces it. Per command this saves
 * cancelling one timer and starting another: two commands to Temporal, two history events, and the workflow's work
 * for them, on the path every command waits on.
 */
export class DeadlineTimer {
  private pending: { at: number; scope: CancellationScope } | null = null;
  /** True once the timer has fired, until the next `wakeBy`. */
  fired = false;

  /** Makes sure the workflow wakes up by `next` (epoch ms; null: nothing is due, keep what runs). */
  wakeBy(next: number | null, nowMs: number): void {
    if (this.fired) {
      this.fired = false;
      this.pending = null;
    }
    if (next === null || (this.pending && this.pending.at <= next)) return;
    this.cancel();
    const timer = { at: next, scope: new CancellationScope() };
    this.pending = timer;
    void timer.scope
      .run(() => sleep(Math.max(1, next - nowMs)))
      .then(
        () => {
          if (this.pending === timer) this.fired = true;
        },
        (err: unknown) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }

  /** Cancels a timer that is still running (the stay closed). */
  cancel(): void {
    this.pending?.scope.cancel();
    this.pending = null;
  }
}
