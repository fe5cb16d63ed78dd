import type { Db } from './platform/db/database.ts';
import { prepareDatabase } from './platform/db/prepare.ts';
import { loadShippedMatterTypes } from './modules/matters/index.ts';
import { loadShippedArticles, loadShippedCategories } from './modules/appeals/index.ts';
import { loadShippedAttributes } from './modules/open311/index.ts';

/** Reference data that modules ship (matter types, appeal categories, knowledge articles, Open311 attributes), loaded after the platform's. */
const MODULE_REFERENCE_STEPS: Array<(db: Db) => Promise<void>> = [loadShippedMatterTypes, loadShippedCategories, loadShippedArticles, loadShippedAttributes];

/** Migrations, platform reference data, then module reference data: a database ready to serve. */
export async function prepareAll(db: Db): Promise<void> {
  await prepareDatabase(db);
  for (const step of MODULE_REFERENCE_STEPS) await step(db);
}
