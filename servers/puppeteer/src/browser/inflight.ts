/**
 * @module
 * The requests a tab's current document has in flight, for "wait until the network is idle".
 * Puppeteer's own counter lives as long as the page and never forgets a request that ends
 * without an event (one still open when the page navigated away, under request interception), so
 * one such request made every later wait on that tab time out. Here a main-frame navigation
 * starts the count again: requests of a document that is gone cannot keep the new one busy.
 */

export class InflightRequests<R extends object = object> {
  readonly #requests = new Set<R>();
  readonly #listeners = new Set<() => void>();

  get size(): number {
    return this.#requests.size;
  }

  started(request: R): void {
    this.#requests.add(request);
    this.#changed();
  }

  ended(request: R): void {
    if (this.#requests.delete(request)) this.#changed();
  }

  /** The main frame committed a new document: what the old one had open no longer counts. */
  navigated(): void {
    if (this.#requests.size === 0) return;
    this.#requests.clear();
    this.#changed();
  }

  /**
   * Resolves once nothing has been in flight for `idleMs`; rejects with an error named
   * `TimeoutError` after `timeoutMs`, or with the signal's reason when it aborts.
   */
  idle(idleMs: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let quiet: ReturnType<typeof setTimeout> | undefined;
      const finish = (error?: Error): void => {
        clearTimeout(quiet);
        clearTimeout(deadline);
        this.#listeners.delete(check);
        signal?.removeEventListener('abort', onAbort);
        if (error === undefined) resolve();
        else reject(error);
      };
      const check = (): void => {
        clearTimeout(quiet);
        quiet = this.#requests.size === 0 ? setTimeout(() => finish(), idleMs) : undefined;
      };
      const onAbort = (): void =>
        finish(
          signal?.reason instanceof Error ? signal.reason : new Error('The wait was cancelled'),
        );
      const deadline = setTimeout(() => {
        const error = new Error(
          `the network did not stay quiet for ${idleMs} ms within ${timeoutMs} ms`,
        );
        error.name = 'TimeoutError';
        finish(error);
      }, timeoutMs);
      if (signal?.aborted === true) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#listeners.add(check);
      check();
    });
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
