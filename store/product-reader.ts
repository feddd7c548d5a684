import { parseProductSettings, type ProductSettings } from '../domain/product-settings';

/** Products repeat across services; each distinct one is validated once per reading. */
export function productReader(): (product: unknown) => ProductSettings {
  const parsed = new Map<string, ProductSettings>();
  return (product) => {
    const key = JSON.stringify(product);
    let settings = parsed.get(key);
    if (!settings) {
      settings = parseProductSettings(product);
      parsed.set(key, settings);
    }
    return settings;
  };
}
