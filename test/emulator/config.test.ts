// The emulator config file: shipped JSON Schema in sync, the demo config, interpolation, and errors naming each path.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { EMULATOR_DEFAULTS } from '../../config/emulatorDefaults';
import { CONFIG_SCHEMA_FILE, renderConfigJsonSchema } from '../../emulator/config/jsonSchema';
import { EmulatorConfigError, configToSeed, loadConfigFile } from '../../emulator/config/load';
import { DEMO_CONFIG_PATH, SEEDED_CONSENT, createDefaultSeed } from '../../emulator/seed';
import { assignedRoles } from '../../emulator/state/roles';

const CERT_DIR = join(process.cwd(), '.emulator');
const demoRaw = () => JSON.parse(readFileSync(DEMO_CONFIG_PATH, 'utf8')) as Record<string, unknown>;

/** The problems an invalid config reports (fails the test when it loads). */
function problemsOf(raw: unknown, variables: Record<string, string> = {}): string[] {
  try {
    configToSeed(raw, {
      baseDir: process.cwd(),
      source: 'test.json',
      variables: { EMULATOR_CERT_DIR: CERT_DIR, ...variables },
    });
  } catch (err) {
    if (err instanceof EmulatorConfigError) return err.problems;
    throw err;
  }
  throw new Error('the config loaded, but a problem was expected');
}

const minimal = (extra: Record<string, unknown> = {}) => ({
  tenants: [{ id: '11111111-1111-4111-8111-111111111111', displayName: 'T' }],
  apps: [
    {
      clientId: '22222222-2222-4222-8222-222222222222',
      displayName: 'App',
      secrets: ['secret-123'],
      webRedirectUris: ['http://localhost:5000/cb'],
    },
  ],
  ...extra,
});

describe('emulator config', () => {
  it('ships emulator/config.schema.json generated from the zod schema (run `npm run emulator:schema` after changing it)', () => {
    expect(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')).to.equal(renderConfigJsonSchema());
  });

  it('loads the demo config: the tenant, app and secret the BFF defaults expect, and every user consented', () => {
    const seed = createDefaultSeed({ certDir: CERT_DIR });
    expect(seed.tenants[0]!.id).to.equal(EMULATOR_DEFAULTS.tenantId);
    expect(seed.apps[0]!.clientId).to.equal(EMULATOR_DEFAULTS.clientId);
    expect(seed.apps[0]!.secrets).to.deep.equal([EMULATOR_DEFAULTS.clientSecret]);
    expect(seed.apps[0]!.certificates[0]).to.equal(readFileSync(join(CERT_DIR, 'client-cert.pem'), 'utf8'));
    expect(seed.users.map((u) => u.key)).to.deep.equal(['adele', 'alex', 'bobby', 'gina', 'pat']);
    for (const user of seed.users) {
      expect(seed.consents.find((c) => c.userKey === user.key)?.scopes, user.key).to.deep.equal(SEEDED_CONSENT);
    }
    expect(demoRaw().$schema).to.equal('./config.schema.json');
  });

  it('makes app roles first-class: adele holds Secrets.Read, gina (guest) and pat (personal) do not; groups pass roles on', () => {
    const seed = createDefaultSeed({ certDir: CERT_DIR });
    const app = EMULATOR_DEFAULTS.clientId;
    expect(seed.apps[0]!.appRoles.map((r) => r.value)).to.include('Secrets.Read');
    expect(assignedRoles(seed, app, 'adele')).to.include('Secrets.Read');
    expect(assignedRoles(seed, app, 'gina')).to.deep.equal([]);
    expect(assignedRoles(seed, app, 'pat')).to.deep.equal([]);
    // alex is in the "Mail admins" group, which holds Mail.Admin.
    expect(assignedRoles(seed, app, 'alex')).to.deep.equal(['Mail.Admin']);
  });

  it('derives the app’s redirect, post-logout and front-channel logout URLs from PUBLIC_URL (default http://localhost:3000)', () => {
    const fallback = createDefaultSeed({ certDir: CERT_DIR }).apps[0]!;
    expect(fallback.frontChannelLogoutUrl).to.equal('http://localhost:3000/auth/frontchannel-logout');
    fc.assert(
      fc.property(
        fc.integer({ min: 1024, max: 65535 }),
        fc.constantFrom('http://localhost', 'http://127.0.0.1', 'https://app.example'),
        (port, host) => {
          const origin = `${host}:${port}`;
          const app = createDefaultSeed({ certDir: CERT_DIR, variables: { PUBLIC_URL: origin } }).apps[0]!;
          expect(app.webRedirectUris).to.deep.equal([`${origin}/auth/callback`]);
          expect(app.spaRedirectUris).to.deep.equal([`${origin}/`]);
          expect(app.postLogoutRedirectUris).to.deep.equal([`${origin}/`]);
          expect(app.frontChannelLogoutUrl).to.equal(`${origin}/auth/frontchannel-logout`);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('interpolates ${VAR} and ${VAR:-default}, keeps $${ literal, and names the path of an unset variable', () => {
    const raw = minimal({
      users: [
        {
          key: 'u',
          username: 'u@t.example',
          displayName: '$${not a var}',
          givenName: '${GIVEN:-Una}',
          surname: '${SURNAME}',
          oid: '33333333-3333-4333-8333-333333333333',
        },
      ],
    });
    const seed = configToSeed(raw, { baseDir: '.', source: 't', variables: { SURNAME: 'User' } });
    expect(seed.users[0]).to.include({ displayName: '${not a var}', givenName: 'Una', surname: 'User' });
    expect(problemsOf(raw)).to.deep.equal([
      'users[0].surname: uses ${SURNAME}, which is not set (give a default with ${SURNAME:-value})',
    ]);
  });

  it('names the path of every missing required field in the demo config (generated over users and apps)', () => {
    const userFields = ['key', 'username', 'displayName', 'givenName', 'surname', 'oid'];
    const appFields = ['clientId', 'displayName'];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            section: fc.constant('users'),
            index: fc.nat({ max: 4 }),
            field: fc.constantFrom(...userFields),
          }),
          fc.record({ section: fc.constant('apps'), index: fc.constant(0), field: fc.constantFrom(...appFields) }),
        ),
        ({ section, index, field }) => {
          const raw = demoRaw();
          delete (raw[section] as Record<string, unknown>[])[index]![field];
          expect(problemsOf(raw)).to.include(`${section}[${index}].${field}: is required (string)`);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('names the path of a wrongly typed or misspelled field anywhere in a user (generated)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 4 }),
        fc.constantFrom('personal', 'hasPhoto', 'contacts', 'messages', 'guestOf'),
        fc.constantFrom(42, 'text', null),
        (i, field, bad) => {
          const raw = demoRaw();
          const user = (raw.users as Record<string, unknown>[])[i]!;
          user[field] = bad;
          user.dispalyName = 'typo';
          const problems = problemsOf(raw);
          expect(
            problems.some((p) => p.startsWith(`users[${i}].${field}: `)),
            problems.join('\n'),
          ).to.equal(true);
          expect(problems).to.include(
            `users[${i}].dispalyName: is not a known field (check the spelling against emulator/config.schema.json)`,
          );
        },
      ),
      { numRuns: 30 },
    );
  });

  it('checks references between sections: tenants, roles, principals, group members, consents, duplicates', () => {
    const app = '22222222-2222-4222-8222-222222222222';
    const problems = problemsOf(
      minimal({
        apps: [
          {
            ...minimal().apps[0],
            appRoles: [{ id: '44444444-4444-4444-8444-444444444444', value: 'Reader', displayName: 'Reader' }],
          },
          { clientId: app.toUpperCase(), displayName: 'Dup' },
        ],
        users: [
          {
            key: 'u',
            username: 'u@t.example',
            displayName: 'U',
            givenName: 'U',
            surname: 'U',
            oid: '33333333-3333-4333-8333-333333333333',
            homeTenantId: '55555555-5555-4555-8555-555555555555',
          },
        ],
        groups: [{ id: '66666666-6666-4666-8666-666666666666', displayName: 'G', members: ['ghost'] }],
        roleAssignments: [
          { app, role: 'Writer', principal: 'u' },
          { app, role: 'Reader', principal: 'nobody' },
          { app: '77777777-7777-4777-8777-777777777777', role: 'Reader', principal: 'u' },
        ],
        consents: [{ user: 'ghost', app, scopes: ['User.Read'] }],
      }),
    );
    expect(problems).to.have.members([
      'apps[1].clientId: duplicates apps[0].clientId ("22222222-2222-4222-8222-222222222222")',
      'users[0].homeTenantId: names tenant "55555555-5555-4555-8555-555555555555", which is not declared in tenants',
      'groups[0].members[0]: names user "ghost", which is not declared in users',
      `roleAssignments[0].role: "Writer" is not an app role of ${app} (defined: Reader)`,
      'roleAssignments[1].principal: "nobody" is neither a user key, a group id nor a managed identity client id',
      'roleAssignments[2].app: names app "77777777-7777-4777-8777-777777777777", which is not declared in apps',
      'consents[0].user: names user "ghost", which is not declared in users',
    ]);
  });

  it('accepts the full example in docs/emulator.md', () => {
    const doc = readFileSync('docs/emulator.md', 'utf8');
    const block = /A config with every section[^\n]*\n\n```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(block, 'the example block').to.be.a('string');
    const seed = configToSeed(JSON.parse(block!), {
      baseDir: process.cwd(),
      source: 'docs/emulator.md',
      variables: {},
    });
    expect(seed.apps[0]!.webRedirectUris).to.deep.equal(['http://localhost:5000/signin-oidc']);
    expect(assignedRoles(seed, seed.apps[0]!.clientId, 'nadia')).to.deep.equal(['Orders.Approve']);
    expect(assignedRoles(seed, seed.apps[0]!.clientId, 'e2c7f1a9-3b5d-4f8e-a6c2-9d1b3f5a7c31')).to.deep.equal([
      'Orders.Sync',
    ]);
  });

  it('reports a file that is missing or not JSON, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-config-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "tenants": [ }');
    expect(() => loadConfigFile(bad)).to.throw(EmulatorConfigError, /bad\.json[\s\S]*not valid JSON/);
    expect(() => loadConfigFile(join(dir, 'missing.json'))).to.throw(
      EmulatorConfigError,
      /cannot read the file: ENOENT/,
    );
  });

  it('`npm run emulator -- --config` refuses an invalid file at start, listing each mistake with its path (exit 1)', function () {
    this.timeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), 'emu-config-'));
    const file = join(dir, 'emulator.json');
    writeFileSync(file, JSON.stringify(minimal({ users: [{ key: 'Bad Key' }] })));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'emulator/main.ts', '--config', file], {
      encoding: 'utf8',
      timeout: 25_000,
    });
    expect(run.status, run.stderr).to.equal(1);
    expect(run.stderr).to.include(`Invalid emulator config ${file}`);
    expect(run.stderr).to.include('users[0].key: must be a short lower-case handle');
    expect(run.stderr).to.include('users[0].oid: is required (string)');
  });
});
