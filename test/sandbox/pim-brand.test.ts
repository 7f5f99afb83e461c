import { startSandboxPim } from '../../sandbox';
import { http } from './sandbox-helpers';

const title = (page: string) => /<title>([^<]*)<\/title>/.exec(page)?.[1];
const header = (page: string) => /<header[^>]*>\s*<strong[^>]*>([^<]*)<\/strong>/.exec(page)?.[1];
const accent = (page: string) => /--pim-accent:\s*([^;}]+)/.exec(page)?.[1];

/** Two sandboxes side by side (the ready one and the rehearsal one) must not look like the same PIM. */
describe('the sandbox PIM name and accent colour', () => {
  it('are in every page title and header: the App Store, a form, and an error page', async () => {
    const pim = await startSandboxPim({ name: 'Rehearsal PIM', accent: '#0f6b63' });
    try {
      const pages = await Promise.all(
        ['/connect/app-store', '/system/roles', '/no/such/page'].map(
          async (path) => (await http(`${pim.url}${path}`)).text,
        ),
      );

      expect(pages.map(title)).toEqual([
        'App Store | Rehearsal PIM',
        'Roles | Rehearsal PIM',
        'Not Found | Rehearsal PIM',
      ]);
      expect(pages.map(header)).toEqual(['Rehearsal PIM', 'Rehearsal PIM', 'Rehearsal PIM']);
      expect(pages.map(accent)).toEqual(['#0f6b63', '#0f6b63', '#0f6b63']);
    } finally {
      await pim.close();
    }
  });

  it('default to "Sandbox Akeneo PIM" in Akeneo purple', async () => {
    const pim = await startSandboxPim();
    try {
      const page = (await http(`${pim.url}/connect/app-store`)).text;

      expect([title(page), header(page), accent(page)]).toEqual([
        'App Store | Sandbox Akeneo PIM',
        'Sandbox Akeneo PIM',
        '#5e3bb3',
      ]);
    } finally {
      await pim.close();
    }
  });

  it('escape the name and refuse an accent that is not a #rrggbb colour', async () => {
    const pim = await startSandboxPim({ name: 'A <b>PIM</b>' });
    try {
      expect(header((await http(`${pim.url}/connect/app-store`)).text)).toBe('A &lt;b&gt;PIM&lt;/b&gt;');
    } finally {
      await pim.close();
    }
    await expect(startSandboxPim({ accent: 'red;}body{display:none' })).rejects.toThrow(
      'The sandbox accent must be a #rrggbb colour, got "red;}body{display:none"',
    );
  });
});
