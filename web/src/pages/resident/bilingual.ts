import type { BilingualName } from '../../api/resident';
import { currentLanguage } from '../../i18n';

/** A name the server sends in both languages, in the language the page shows. */
export function nameIn(name: BilingualName): string {
  return currentLanguage() === 'en-US' ? name.en : name.zh;
}
