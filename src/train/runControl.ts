/**
 * Stop / pause / resume for a running trainer. The trainer calls `waitIfPaused()` before every step; that call
 * always yields to the event loop once (so a worker's 'stop' or 'pause' message is delivered between steps, not
 * after the run), and while paused it waits until `resume()` or `stop()`.
 */
import type { TrainerControl } from './trainer';

export class RunControl implements TrainerControl {
  private stopRequested = false;
  private paused = false;
  private wake: (() => void) | undefined;

  constructor(private readonly yieldToEventLoop: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve))) {}

  stop(): void {
    this.stopRequested = true;
    this.release();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.release();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  shouldStop(): boolean {
    return this.stopRequested;
  }

  async waitIfPaused(): Promise<void> {
    await this.yieldToEventLoop();
    while (this.paused && !this.stopRequested) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private release(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
