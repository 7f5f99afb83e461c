import { AppError } from '../../core/errors';

/** The connection is no longer active (revoked, or gone): a stopped run must not be resumed. */
export class ConnectionChangedError extends AppError {
  readonly code = 'connection_changed';
  constructor(pimHost: string) {
    super(`The connection of ${pimHost} is no longer active`);
  }
}
