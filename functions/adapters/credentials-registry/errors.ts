import { AppError } from '../../core/errors';

/**
 * Registered credentials that are not `{"clientId": "…", "clientSecret": "…"}` (not even JSON, say): an ops mistake
 * with its own page. The message says where they are (a secret's name, a file), never what they hold.
 */
export class MalformedCredentialsError extends AppError {
  readonly code = 'malformed_credentials';
  constructor(readonly location: string) {
    super(`The credentials in ${location} are not JSON of the form {"clientId": "...", "clientSecret": "..."}`);
  }
}
