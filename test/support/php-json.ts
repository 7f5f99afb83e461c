/** JSON as PHP's json_encode writes it in Symfony's JsonResponse (Akeneo's API): slashes escaped, `&` as \u0026. */
export const phpJson = (value: unknown): string =>
  JSON.stringify(value).replaceAll('/', '\\/').replaceAll('&', '\\u0026');
