/**
 * The Kiln servers the journeys run against: one per Playwright worker, on consecutive ports from
 * KILN_E2E_PORT, each on a fresh embedded database of its own (seeded with the demo project).
 */
export const FIRST_PORT = Number(process.env.KILN_E2E_PORT ?? 8181);
/** Two by default, one per core of the 2-core CI machine; KILN_E2E_WORKERS=1 runs every journey on one server, one after the other. */
export const SERVERS = Math.max(1, Number(process.env.KILN_E2E_WORKERS) || 2);
/** The first admin is created through the real setup link; journeys then start signed in as them. */
export const SETUP_TOKEN = 'e2e-setup-token-0123456789abcdef';

export const kilnPort = (server: number): number => FIRST_PORT + server;
export const kilnUrl = (server: number): string => `http://127.0.0.1:${kilnPort(server)}`;
export const adminState = (server: number): string => `e2e/.artifacts/admin-${kilnPort(server)}.json`;

/** The webServer entry that starts server `server` (paths relative to the repository root, `cwd`). */
export function kilnWebServer(server: number, cwd: string) {
  const port = kilnPort(server);
  // One data dir per port so parallel runs (e.g. two developers' checkouts) do not share a database.
  const data = `e2e/.artifacts/kiln-data-${port}`;
  return {
    name: `Kiln :${port}`,
    // The demo's production rollout pauses 2 s between traffic steps, not the 10 s a person watching
    // it gets: the demo journey waits for the whole rollout, and each server's first release runs at start.
    command: `rm -rf ${data} && KILN_DATA=${data} PORT=${port} KILN_SETUP_TOKEN=${SETUP_TOKEN} KILN_DEMO_STEP_DELAY_SEC=2 LOG_LEVEL=warn npx tsx src/server/main.ts`,
    cwd,
    url: `${kilnUrl(server)}/api/health`,
    timeout: 120_000,
    // Only when npm test started them already (e2e/start-kiln-servers.ts): a server found on the port
    // otherwise is someone else's, with data the journeys do not expect.
    reuseExistingServer: process.env.KILN_E2E_REUSE === '1',
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    // Kiln stops its local-cloud instances on SIGTERM; the default SIGKILL would leave them running.
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 15_000 },
  };
}
