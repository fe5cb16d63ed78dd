import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets the browser tab title to `<page> - 民生`, following the language. */
export function useDocumentTitle(title: string): void {
  const { t } = useTranslation();
  const suffix = t('app.titleSuffix');
  useEffect(() => {
    document.title = title ? `${title} - ${suffix}` : t('app.fullName');
  }, [title, suffix, t]);
}
