const LABELS: Record<string, string> = {
  read_products: 'Read products',
  write_products: 'Edit products',
  delete_products: 'Remove products',
  read_catalog_structure: 'Read attributes, attribute groups, families and family variants',
  write_catalog_structure: 'Edit attributes, attribute groups, families and family variants',
  read_attribute_options: 'Read attribute options',
  write_attribute_options: 'Edit attribute options',
  read_categories: 'Read categories',
  write_categories: 'Edit categories',
  read_channel_settings: 'Read channels',
  write_channel_settings: 'Edit channels',
  read_channel_localization: 'Read locales and currencies',
  read_association_types: 'Read association types',
  write_association_types: 'Edit association types',
  read_catalogs: 'Read catalogs',
  write_catalogs: 'Edit catalogs',
  delete_catalogs: 'Remove catalogs',
  openid: 'Know who connected (user id)',
  profile: 'See their first and last name',
  email: 'See their email address',
};

export function scopeLabel(scope: string): string {
  return LABELS[scope] ?? scope;
}
