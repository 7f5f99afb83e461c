import { UnexpectedPimAnswerError } from '../core/errors';

/** A successful answer's JSON; a text that is none is the PIM's fault, said in plain words. */
export function parsePimJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UnexpectedPimAnswerError('The PIM answered with something that is not JSON');
  }
}
