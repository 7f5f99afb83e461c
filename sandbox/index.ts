export { startSandboxPim } from './sandbox-pim';
export type {
  ApiFault,
  ApiStats,
  CatalogSelection,
  IdTokenTamper,
  SandboxApp,
  SandboxAppInput,
  SandboxCatalog,
  SandboxOptions,
  SandboxPim,
  SandboxUser,
  TokenEndpointFault,
  TokenRequestRecord,
} from './types';
