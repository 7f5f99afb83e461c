// The wording the PIM shows on its consent screen, so the person reads the same permission twice.
const LABELS: Record<string, string> = {
  read_products: 'View products',
  write_products: 'Create and update products',
  delete_products: 'Remove products',
  read_catalog_structure: 'View attributes, attribute groups, families and family variants',
  write_catalog_structure: 'Create and update attributes, attribute groups, families and family variants',
  read_attribute_options: 'View attribute options',
  write_attribute_options: 'Create and update attribute options',
  read_categories: 'View categories',
  write_categories: 'Create and update categories',
  read_channel_settings: 'View channel settings',
  write_channel_settings: 'Create and update channel settings',
  read_channel_localization: 'View locales and currencies',
  read_association_types: 'View association types',
  write_association_types: 'Create and update association types',
  read_catalogs: 'View catalogs',
  write_catalogs: 'Create and update catalogs',
  delete_catalogs: 'Remove catalogs',
  read_asset_families: 'View asset families',
  write_asset_families: 'Create and update asset families',
  read_assets: 'View assets',
  write_assets: 'Create and update assets',
  delete_assets: 'Remove assets',
  read_reference_entities: 'View reference entities',
  write_reference_entities: 'Create and update reference entities',
  read_reference_entity_records: 'View reference entity records',
  write_reference_entity_records: 'Create and update reference entity records',
  openid: 'Know your user id',
  profile: 'See your first and last name',
  email: 'See your email address',
};

export function scopeLabel(scope: string): string {
  return LABELS[scope] ?? scope;
}
