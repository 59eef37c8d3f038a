/**
 * @module
 * Polls a condition that the database reaches on its own time (a backend exiting, a statement
 * stopping), without fixed sleeps: the test fails only if the condition never holds.
 */
export async function eventually(
  condition: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
