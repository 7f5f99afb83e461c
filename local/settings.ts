/**
 * The settings of `npm start` itself: the ports of the app and the sandbox PIMs, and the sandbox's catalog. The
 * runtime's own settings are in `functions/contract/settings.ts`; the README's configuration table lists both.
 */
export const LOCAL_SERVER_SETTINGS = {
  port: { env: 'PORT', default: '`3000`', doc: "local: the app's port (`0`: any free port)" },
  sandbox: {
    env: 'SANDBOX',
    default: '`1`',
    doc: 'local: `0` starts the app without the sandbox PIM, to connect a real PIM',
  },
  sandboxPort: { env: 'SANDBOX_PORT', default: '`PORT + 1`', doc: "local: the sandbox PIM's port" },
  rehearsalPort: { env: 'REHEARSAL_PORT', default: '`PORT + 2`', doc: "local: the empty rehearsal sandbox PIM's port" },
  sandboxProducts: { env: 'SANDBOX_PRODUCTS', default: '`50`', doc: "local: size of the sandbox's generated catalog" },
} as const;

export interface LocalServerSettings {
  /** 0 picks a free port. */
  readonly port: number;
  readonly sandbox:
    | false
    | { readonly port: number; readonly rehearsalPort: number; readonly productCount: number | undefined };
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the local server's settings; a bad port stops `npm start` with a message naming it. */
export function readLocalServerSettings(env: Env): LocalServerSettings {
  const { port: portSetting, sandbox, sandboxPort, rehearsalPort, sandboxProducts } = LOCAL_SERVER_SETTINGS;
  const port = portOf(env, portSetting.env, 3000);
  if (env[sandbox.env] === '0') return { port, sandbox: false };
  const products = env[sandboxProducts.env];
  return {
    port,
    sandbox: {
      port: portOf(env, sandboxPort.env, port === 0 ? 0 : port + 1),
      rehearsalPort: portOf(env, rehearsalPort.env, port === 0 ? 0 : port + 2),
      productCount: products ? Number(products) : undefined,
    },
  };
}

function portOf(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number (got "${raw}")`);
  }
  return port;
}
