import { type PimState, startBanner } from '../../../local/start-banner';

const APP = {
  url: 'http://localhost:3000',
  activateUrl: 'http://localhost:3000/activate',
  callbackUrl: 'http://localhost:3000/callback',
};
const SANDBOX = 'http://localhost:3001';
const REHEARSAL = 'http://localhost:3002';

const sandbox = (state: Partial<PimState> = {}): PimState => ({
  url: SANDBOX,
  apps: [{ name: 'Local app', connected: false }],
  ...state,
});
const rehearsal = (state: Partial<PimState> = {}): PimState => ({ url: REHEARSAL, apps: [], ...state });

/** The lines under one PIM's heading. */
function linesUnder(banner: string, heading: string): string[] {
  const lines = banner.split('\n');
  const start = lines.findIndex((line) => line.startsWith(heading));
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('  '));
  return lines.slice(start + 1, end);
}

describe("npm start's banner", () => {
  it('on a fresh data directory: the app, the sandbox ready to connect, the rehearsal PIM empty', () => {
    expect(startBanner({ app: APP, dataDir: '.local', sandbox: sandbox(), rehearsal: rehearsal() })).toBe(
      [
        '',
        'App:          http://localhost:3000',
        '  Activate URL  http://localhost:3000/activate',
        '  Callback URL  http://localhost:3000/callback',
        'Sandbox PIM:  http://localhost:3001',
        '  Ready to connect: open http://localhost:3001/connect/app-store and click Connect on "Local app".',
        'Rehearsal PIM: http://localhost:3002',
        "  No app yet, to rehearse Akeneo's steps: System → Roles (grant Create and delete custom apps), then",
        '  Connect → App Store → Create an App with the two URLs above, and run the command it shows.',
        'Data:         .local',
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  });

  it('says a PIM is connected when the PIM and the app both say so', () => {
    const banner = startBanner({
      app: APP,
      dataDir: '.local',
      sandbox: sandbox({ apps: [{ name: 'Local app', connected: true }], connection: { status: 'active' } }),
      rehearsal: rehearsal({ apps: [{ name: 'Our app', connected: true }], connection: { status: 'active' } }),
    });

    expect(linesUnder(banner, 'Sandbox PIM:')).toEqual([
      '  Connected: "Local app" (the app\'s connection is active). Open app: http://localhost:3001/connect/connected-apps',
    ]);
    expect(linesUnder(banner, 'Rehearsal PIM:')).toEqual([
      '  Connected: "Our app" (the app\'s connection is active). Open app: http://localhost:3002/connect/connected-apps',
    ]);
  });

  it('says where the PIM and the app disagree, and what brings them together', () => {
    const banner = startBanner({
      app: APP,
      dataDir: '.local',
      sandbox: sandbox({ connection: { status: 'active' } }),
      rehearsal: rehearsal({
        apps: [{ name: 'Our app', connected: true }],
        connection: { status: 'revoked', statusReason: 'token_rejected' },
      }),
    });

    expect(linesUnder(banner, 'Sandbox PIM:')).toEqual([
      '  Not connected: "Local app" was disconnected in the PIM (the app\'s connection stays active until the next sync).',
      '  Connect again: open http://localhost:3001/connect/app-store and click Connect on "Local app".',
    ]);
    expect(linesUnder(banner, 'Rehearsal PIM:')).toEqual([
      '  Connected in the PIM: "Our app", but the app\'s connection is revoked (token_rejected).',
      '  Reconnect: open http://localhost:3002/connect/connected-apps and click Open app on "Our app".',
    ]);
  });

  it('lists an app created in the rehearsal PIM that is not connected yet', () => {
    const banner = startBanner({
      app: APP,
      dataDir: '.local',
      sandbox: sandbox(),
      rehearsal: rehearsal({ apps: [{ name: 'Our app', connected: false }] }),
    });

    expect(linesUnder(banner, 'Rehearsal PIM:')).toEqual([
      '  Ready to connect: open http://localhost:3002/connect/app-store and click Connect on "Our app".',
    ]);
  });

  it("ties the PIM's one connection to the app the PIM has connected, not to its other apps", () => {
    const banner = startBanner({
      app: APP,
      dataDir: '.local',
      sandbox: sandbox(),
      rehearsal: rehearsal({
        apps: [
          { name: 'Our app', connected: true },
          { name: 'Second app', connected: false },
        ],
        connection: { status: 'active' },
      }),
    });

    expect(linesUnder(banner, 'Rehearsal PIM:')).toEqual([
      '  Connected: "Our app" (the app\'s connection is active). Open app: http://localhost:3002/connect/connected-apps',
      '  Ready to connect: open http://localhost:3002/connect/app-store and click Connect on "Second app".',
    ]);
  });

  it('without the sandbox, says how to register a real PIM', () => {
    expect(startBanner({ app: APP, dataDir: '/data' })).toContain(
      'No sandbox PIM (SANDBOX=0): register a real PIM with `npm run pim -- add <pimUrl> --client-id <id> --client-secret-stdin`.\nData:         /data\n',
    );
  });
});
