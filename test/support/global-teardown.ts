export default async function globalTeardown(): Promise<void> {
  await globalThis.__VIGIL_EMBEDDED_PG__?.stop();
}
