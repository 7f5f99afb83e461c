import type { RegisteredPim } from '../../functions/adapters/credentials-registry';
import { LocalFileCredentialsRegistry, type PimCredentials } from '../../functions/adapters/credentials-registry';
import { PimNotRegisteredError } from '../../functions/core/errors';
import type { PimAddress } from '../../functions/core/pim-url';
import { PimAlreadyRegisteredError } from '../errors';
import type { CredentialsAdmin, CredentialsChange, RegisteredPimSummary } from './interface';

/** The credentials file of the local run, which the app reads on every lookup. */
export class LocalFileCredentialsAdmin implements CredentialsAdmin {
  readonly target: string;
  private readonly registry: LocalFileCredentialsRegistry;

  constructor(dataDir: string) {
    this.registry = new LocalFileCredentialsRegistry(dataDir);
    this.target = `the local data directory ${dataDir}`;
  }

  async add(pim: PimAddress, credentials: PimCredentials): Promise<CredentialsChange> {
    if (this.entry(pim)) throw new PimAlreadyRegisteredError(pim.url);
    this.registry.put(pim.host, this.newEntry(pim, credentials));
    return { location: this.registry.path };
  }

  async rotate(pim: PimAddress, credentials: PimCredentials): Promise<CredentialsChange> {
    const previous = this.entry(pim);
    if (!previous) throw new PimNotRegisteredError(pim.url);
    this.registry.put(pim.host, this.newEntry(pim, credentials));
    return { location: this.registry.path, previousClientId: previous.clientId };
  }

  async find(pim: PimAddress): Promise<RegisteredPimSummary | undefined> {
    const entry = this.entry(pim);
    return entry && this.summary(entry);
  }

  async list(): Promise<RegisteredPimSummary[]> {
    return this.registry.list().map((entry) => this.summary(entry));
  }

  async remove(pim: PimAddress): Promise<{ readonly location: string }> {
    if (!this.registry.remove(pim.host)) throw new PimNotRegisteredError(pim.url);
    return { location: this.registry.path };
  }

  private entry(pim: PimAddress) {
    return this.registry.list().find((entry) => entry.pimHost === pim.host);
  }

  private newEntry(pim: PimAddress, { clientId, clientSecret }: PimCredentials): RegisteredPim {
    return { pimUrl: pim.url, clientId, clientSecret, updatedAt: new Date().toISOString() };
  }

  private summary(entry: RegisteredPim & { pimHost: string }): RegisteredPimSummary {
    return {
      pimUrl: entry.pimUrl,
      pimHost: entry.pimHost,
      clientId: typeof entry.clientId === 'string' && entry.clientId !== '' ? entry.clientId : undefined,
      lastChangedAt: entry.updatedAt,
      location: this.registry.path,
    };
  }
}
