import { LanguageSwitch } from '../../layout/LanguageSwitch';

/** Where the mobile log-in sends the resident back to. */
export interface MobileRedirectState {
  from?: string;
}

/** The top bar of every mobile page: brand, title and the language switch. */
export function MobileHeader({ title }: { title: string }) {
  return (
    <header className="rm-header">
      <span className="ms-brand-mark">民</span>
      <span className="rm-header-title">{title}</span>
      <LanguageSwitch />
    </header>
  );
}
