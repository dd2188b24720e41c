export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __conmutadorTeardown?: () => Promise<void> }).__conmutadorTeardown?.();
}
