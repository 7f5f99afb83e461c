import type { Config } from '../config';
import { landingPage } from '../http/pages/landing-page';

/** Everything the landing page uses: the page, rendered once per cold start. */
export interface LandingHandlerDeps {
  readonly page: string;
}

/** The landing page makes no AWS call and reads no setting beyond the checked configuration. */
export function createLandingDeps(_config: Config): LandingHandlerDeps {
  return { page: landingPage() };
}
