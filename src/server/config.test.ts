import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config';

describe('readConfig', () => {
  it('defaults to 127.0.0.1:8080 with the embedded database in ./.kiln', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, databaseUrl: undefined, seedDemo: true });
    expect(config.dataDir.endsWith('/.kiln')).toBe(true);
  });

  it('reads PORT, KILN_DATA and DATABASE_URL', () => {
    const config = readConfig({ PORT: '9090', KILN_DATA: '/tmp/k', DATABASE_URL: 'postgres://u@h/db' });
    expect(config).toMatchObject({ port: 9090, dataDir: '/tmp/k', databaseUrl: 'postgres://u@h/db' });
  });

  it('names the variable when a value is wrong', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => readConfig({ PORT: '70000' })).toThrow(ConfigError);
    expect(() => readConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => readConfig({ KILN_DEMO: 'yes' })).toThrow(/KILN_DEMO/);
    expect(() => readConfig({ KILN_DASHBOARD: 'maybe' })).toThrow(/KILN_DASHBOARD/);
    expect(readConfig({ KILN_DASHBOARD: 'off' }).dashboard).toBe(false);
  });

  it("reads KILN_DEMO_STEP_DELAY_SEC, the demo rollout's pause between traffic steps, and names it when wrong", () => {
    expect(readConfig({}).demoStepDelaySec).toBe(10);
    expect(readConfig({ KILN_DEMO_STEP_DELAY_SEC: '0' }).demoStepDelaySec).toBe(0);
    expect(readConfig({ KILN_DEMO_STEP_DELAY_SEC: '2' }).demoStepDelaySec).toBe(2);
    for (const bad of ['-1', '1.5', 'soon', '601', '1e3']) expect(() => readConfig({ KILN_DEMO_STEP_DELAY_SEC: bad })).toThrow(/KILN_DEMO_STEP_DELAY_SEC/);
  });

  it('reads KILN_OUTBOUND_ALLOW (hosts, host:port, addresses, CIDR blocks) and names it when an entry is wrong', () => {
    expect(readConfig({}).outboundAllow).toEqual([]);
    const allow = readConfig({ KILN_OUTBOUND_ALLOW: 'hooks.internal, 10.1.2.3:8443,192.168.10.0/24, [fd00::1]:80' }).outboundAllow;
    expect(allow.map((e) => [e.kind, e.port, e.text])).toEqual([
      ['host', undefined, 'hooks.internal'],
      ['cidr', 8443, '10.1.2.3:8443'],
      ['cidr', undefined, '192.168.10.0/24'],
      ['cidr', 80, '[fd00::1]:80'],
    ]);
    for (const bad of ['10.0.0.0/33', 'hooks.internal:99999', 'http://hooks.internal/', 'bad host']) {
      expect(() => readConfig({ KILN_OUTBOUND_ALLOW: bad })).toThrow(ConfigError);
      expect(() => readConfig({ KILN_OUTBOUND_ALLOW: bad })).toThrow(/^KILN_OUTBOUND_ALLOW .*'/);
    }
  });

  it('sandboxes jobs unless KILN_JOB_SANDBOX=off says otherwise', () => {
    expect(readConfig({}).jobSandbox).toBe('on');
    expect(readConfig({ KILN_JOB_SANDBOX: 'off' }).jobSandbox).toBe('off');
    expect(() => readConfig({ KILN_JOB_SANDBOX: 'no' })).toThrow(/KILN_JOB_SANDBOX must be 'on' or 'off'/);
  });
});

describe('readConfig: single sign-on (KILN_OIDC_*)', () => {
  const base = {
    KILN_OIDC_ISSUER: 'https://id.example.com/realms/acme',
    KILN_OIDC_CLIENT_ID: 'kiln',
    KILN_OIDC_CLIENT_SECRET: 's3cret',
    KILN_PUBLIC_URL: 'https://kiln.example.com/',
    KILN_OIDC_ROLE_MAP: 'platform-admins=admin, oncall=approvers,oncall=support,sre=approvers',
  };

  it('is off without an issuer', () => {
    expect(readConfig({}).oidc).toBeUndefined();
  });

  it('reads the provider, derives the redirect URL from KILN_PUBLIC_URL and parses the role map', () => {
    const oidc = readConfig(base).oidc!;
    expect(oidc).toMatchObject({
      issuer: 'https://id.example.com/realms/acme',
      clientId: 'kiln',
      clientSecret: 's3cret',
      redirectUrl: 'https://kiln.example.com/api/auth/oidc/callback',
      scopes: 'openid profile email',
      groupsClaim: 'groups',
      name: 'single sign-on',
      allowUnmapped: false,
      linkLocalUsers: false,
    });
    expect(Object.fromEntries(oidc.roleMap)).toEqual({ 'platform-admins': ['admin'], oncall: ['approvers', 'support'], sre: ['approvers'] });
  });

  it('takes an explicit redirect URL, claim path, scopes, label and switches', () => {
    const oidc = readConfig({
      ...base,
      KILN_PUBLIC_URL: '',
      KILN_OIDC_REDIRECT_URL: 'https://cd.example.com/api/auth/oidc/callback',
      KILN_OIDC_GROUPS_CLAIM: 'realm_access.roles',
      KILN_OIDC_SCOPES: 'openid  groups',
      KILN_OIDC_NAME: 'Acme SSO',
      KILN_OIDC_ALLOW_UNMAPPED: 'true',
      KILN_OIDC_LINK_LOCAL_USERS: 'true',
      KILN_OIDC_CLIENT_SECRET: '',
    }).oidc!;
    expect(oidc).toMatchObject({
      redirectUrl: 'https://cd.example.com/api/auth/oidc/callback',
      groupsClaim: 'realm_access.roles',
      scopes: 'openid groups',
      name: 'Acme SSO',
      allowUnmapped: true,
      linkLocalUsers: true,
      clientSecret: undefined,
    });
  });

  it('allows plain http only for a provider on this machine', () => {
    expect(readConfig({ ...base, KILN_OIDC_ISSUER: 'http://127.0.0.1:9000', KILN_PUBLIC_URL: 'http://localhost:8080' }).oidc!.issuer).toBe('http://127.0.0.1:9000');
    expect(() => readConfig({ ...base, KILN_OIDC_ISSUER: 'http://id.example.com' })).toThrow(/KILN_OIDC_ISSUER must be an https:\/\/ URL/);
  });

  it.each([
    [{ KILN_OIDC_ISSUER: '', KILN_OIDC_CLIENT_ID: 'kiln' }, /KILN_OIDC_ISSUER must be set to use KILN_OIDC_CLIENT_ID/],
    [{ KILN_OIDC_ISSUER: 'not a url' }, /KILN_OIDC_ISSUER must be an absolute URL/],
    [{ KILN_OIDC_CLIENT_ID: '' }, /KILN_OIDC_CLIENT_ID must be set/],
    [{ KILN_PUBLIC_URL: '' }, /KILN_OIDC_REDIRECT_URL \(or KILN_PUBLIC_URL/],
    [{ KILN_PUBLIC_URL: 'https://kiln.example.com/cd' }, /KILN_PUBLIC_URL must not have a path/],
    [{ KILN_OIDC_REDIRECT_URL: 'https://kiln.example.com/callback' }, /KILN_OIDC_REDIRECT_URL must end in \/api\/auth\/oidc\/callback/],
    [{ KILN_OIDC_ROLE_MAP: 'oncall' }, /KILN_OIDC_ROLE_MAP entries are group=role, got 'oncall'/],
    [{ KILN_OIDC_ROLE_MAP: 'oncall=Approvers!' }, /KILN_OIDC_ROLE_MAP: 'Approvers!' \(for group 'oncall'\) is not a Kiln role name/],
    [{ KILN_OIDC_ROLE_MAP: '' }, /KILN_OIDC_ROLE_MAP must map at least one group/],
    [{ KILN_OIDC_SCOPES: 'profile email' }, /KILN_OIDC_SCOPES must include 'openid'/],
    [{ KILN_OIDC_GROUPS_CLAIM: 'a..b' }, /KILN_OIDC_GROUPS_CLAIM must be a claim name or dotted path/],
    [{ KILN_OIDC_ALLOW_UNMAPPED: 'yes' }, /KILN_OIDC_ALLOW_UNMAPPED must be 'true' or 'false'/],
    [{ KILN_OIDC_NAME: 'x'.repeat(41) }, /KILN_OIDC_NAME must be at most 40 characters/],
  ])('stops with a message naming the variable: %o', (change, message) => {
    expect(() => readConfig({ ...base, ...change })).toThrow(ConfigError);
    expect(() => readConfig({ ...base, ...change })).toThrow(message);
  });
});
