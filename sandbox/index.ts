export { startSandboxPim } from './sandbox-pim';
export type {
  IdTokenTamper,
  SandboxApp,
  SandboxAppInput,
  SandboxOptions,
  SandboxPim,
  SandboxUser,
  TokenEndpointFault,
  TokenRequestRecord,
} from './types';
