import { AppError } from './errors';

/*
 * Why a sync run stopped short of its end for a reason that is not the PIM being down: each names the PIM (in its
 * message and as `pimHost`). Messages never carry a token.
 */

/**
 * The stored connection would send the token somewhere else than the PIM it was issued for: a `pimUrl` (or a
 * checkpoint's next link) on another host than the one the token is sealed to, or plain http where https is required.
 * Only a write to the Connections table that bypassed the callback can do that; nothing is sent.
 */
export class PimUrlMismatchError extends AppError {
  readonly code = 'pim_url_mismatch';
  constructor(
    readonly pimHost: string,
    message: string,
  ) {
    super(message);
  }
}

/** The PIM's `_links.next` led back to a page already read in this run: following it would never end. */
export class PaginationLoopError extends AppError {
  readonly code = 'pagination_loop';
  constructor(
    readonly pimHost: string,
    message: string,
  ) {
    super(message);
  }
}

/** The run grew past what any catalog needs (pages, part sizes, link length): the PIM's pagination is broken. */
export class PaginationLimitError extends AppError {
  readonly code = 'pagination_limit';
  constructor(
    readonly pimHost: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A reconciliation pass's listing came out of UUID order: the pass finds deletions by walking two sorted lists, so it
 * stops rather than report as deleted products that are not.
 */
export class ListingOrderError extends AppError {
  readonly code = 'listing_out_of_order';
  constructor(
    readonly pimHost: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The run is complete (its manifest written, the cursor moved) but its run-completed event could not be published,
 * or not be known as published: the event waits on the connection, and the next message for this PIM (SQS's retry of
 * this one, or the next schedule) publishes it before anything else. Nothing of the run is lost or read again.
 */
export class RunEventPendingError extends AppError {
  readonly code = 'run_event_pending';
  constructor(
    readonly pimHost: string,
    readonly runId: string,
    options?: ErrorOptions,
  ) {
    const cause = options?.cause;
    const why = cause instanceof Error ? cause.message : String(cause ?? 'unknown failure');
    super(
      `Run ${runId} of ${pimHost} is complete, but its run-completed event is still to be published: ${why}`,
      options,
    );
  }
}
