/** A registered secret whose value is not `{"clientId": "…", "clientSecret": "…"}`: an ops mistake to fix. */
export class MalformedCredentialsError extends Error {
  readonly code = 'malformed_credentials';
  constructor(pimHost: string) {
    super(`The registered credentials of ${pimHost} are not {"clientId": "...", "clientSecret": "..."}`);
    this.name = 'MalformedCredentialsError';
  }
}
