// Timers that work in Node and browsers. Configuration delivery keeps a Node process alive like an open
// connection would (`keepAlive`: the init timeout, reconnect and polling delays; otherwise a process awaiting
// ready() could exit while the server is down). Event and report timers are unref'd: on their own they must
// not hold a process; an application that wants its last events delivered calls `close()`.

/** Runs `fn` once after `ms`; returns the function that cancels it. */
export function after(ms: number, fn: () => void, keepAlive = false): () => void {
  const handle = setTimeout(fn, Math.max(0, ms));
  if (!keepAlive) (handle as unknown as { unref?: () => void }).unref?.();
  return () => clearTimeout(handle);
}

/** Runs `fn` every `ms`; returns the function that stops it. */
export function every(ms: number, fn: () => void): () => void {
  const handle = setInterval(fn, Math.max(1, ms));
  (handle as unknown as { unref?: () => void }).unref?.();
  return () => clearInterval(handle);
}

/** Resolves after `ms` (keeping the process alive), or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const cancel = after(
      ms,
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      true,
    );
    const onAbort = (): void => {
      cancel();
      resolve();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
