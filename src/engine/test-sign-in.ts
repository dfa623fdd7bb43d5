/**
 * For tests that start a real Kiln process: the setup token its environment chose, and the real
 * first-start flow (create the admin with it, then an API token) that turns it into a bearer token.
 */
export const TEST_SETUP_TOKEN = 'process-test-setup-token-0123456789';

export async function signInToKiln(baseUrl: string, setupToken = TEST_SETUP_TOKEN): Promise<string> {
  const setup = await fetch(`${baseUrl}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: setupToken, name: 'ops', displayName: 'Ops', password: 'a-long-enough-password' }),
  });
  if (setup.status !== 201) throw new Error(`setup answered ${setup.status}: ${await setup.text()}`);
  const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
  const created = await fetch(`${baseUrl}/api/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'process test' }),
  });
  return ((await created.json()) as { secret: string }).secret;
}
