import {
  ACTIVATED_LOCALES,
  ATTRIBUTES,
  type AttributeDefinition,
  CHANNELS,
  IDENTIFIER_ATTRIBUTE,
  TEXT_MAX_CHARACTERS,
} from './catalog-structure';
import type { ProductContent } from './product-generator';

/*
 * The messages are Akeneo's (its AttributeValidatorHelper and product value constraints); a product the sandbox
 * generates never breaks these rules, only a write can.
 */

/** One entry of a "Validation failed." answer: a value's entry names its attribute, locale and scope. */
export type Violation =
  | { property: 'values'; message: string; attribute: string; locale: string | null; scope: string | null }
  | { property: string; message: string };

function localeViolation(code: string, attribute: AttributeDefinition, locale: string | null): string | undefined {
  if (attribute.localizable && locale === null) return `Attribute "${code}" expects a locale, none given.`;
  if (!attribute.localizable && locale !== null) {
    return `Attribute "${code}" does not expect a locale, "${locale}" given.`;
  }
  if (locale !== null && !ACTIVATED_LOCALES.has(locale)) {
    return `Attribute "${code}" expects an existing and activated locale, "${locale}" given.`;
  }
  return undefined;
}

function scopeViolation(code: string, attribute: AttributeDefinition, scope: string | null): string | undefined {
  if (attribute.scopable && scope === null) return `Attribute "${code}" expects a scope, none given.`;
  if (!attribute.scopable && scope !== null) return `Attribute "${code}" does not expect a scope, "${scope}" given.`;
  if (scope !== null && !CHANNELS.has(scope)) {
    return `The ${code} attribute requires a value per channel. The ${scope} channel (scope) must exist in your PIM`;
  }
  return undefined;
}

/** Akeneo's product validator, for the few rules the sandbox has: every violation, not just the first. */
export function validateProduct(product: ProductContent): Violation[] {
  const violations: Violation[] = [];
  for (const [code, entries] of Object.entries(product.values)) {
    const attribute = ATTRIBUTES.get(code);
    if (!attribute) continue;
    for (const { locale, scope, data } of entries) {
      const messages = [localeViolation(code, attribute, locale), scopeViolation(code, attribute, scope)];
      if (attribute.type === 'pim_catalog_text' && typeof data === 'string' && [...data].length > TEXT_MAX_CHARACTERS) {
        messages.push(`This value is too long. It should have ${TEXT_MAX_CHARACTERS} characters or less.`);
      }
      for (const message of messages) {
        if (message) violations.push({ property: 'values', message, attribute: code, locale, scope });
      }
      if (code === IDENTIFIER_ATTRIBUTE && typeof data === 'string' && /[,;]|^\s|\s$/.test(data)) {
        const message = 'This field should not contain any comma or semicolon or leading/trailing space';
        violations.push({ property: 'identifier', message });
      }
    }
  }
  return violations;
}
