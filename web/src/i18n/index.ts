import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import { enUS } from './en-US';
import { zhCN } from './zh-CN';

/** Languages of the console; Chinese is the source and the default. */
export const LANGUAGES = ['zh-CN', 'en-US'] as const;

/** One language of the console. */
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'minsheng.language';
const DAYJS_LOCALES: Record<Language, string> = { 'zh-CN': 'zh-cn', 'en-US': 'en' };

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function readStoredLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

function applyLanguage(language: Language): void {
  dayjs.locale(DAYJS_LOCALES[language]);
  document.documentElement.lang = language;
}

/** The language in use, narrowed to the ones the console ships. */
export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'zh-CN';
}

/** Switches the language, remembers it for the next visit, and moves dayjs along. */
export async function changeLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private browsing may refuse storage; the switch still applies to this visit.
  }
  applyLanguage(language);
  await i18next.changeLanguage(language);
}

const initialLanguage = readStoredLanguage();
applyLanguage(initialLanguage);

void i18next.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: zhCN },
    'en-US': { translation: enUS },
  },
  lng: initialLanguage,
  fallbackLng: 'zh-CN',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  // English needs no counter word (人, 户, 个); its translation is an empty string, not a missing one.
  returnEmptyString: true,
});

export { i18next };
