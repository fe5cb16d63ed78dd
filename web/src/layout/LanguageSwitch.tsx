import { TranslationOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage } from '../i18n';

/** One click toggles 中文 ⇄ English; the label names the language it switches to. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const next = currentLanguage() === 'zh-CN' ? 'en-US' : 'zh-CN';
  return (
    <Tooltip title={t('header.switchLanguageTitle')}>
      <Button
        type="text"
        data-testid="lang-switch"
        icon={<TranslationOutlined />}
        lang={next}
        onClick={() => void changeLanguage(next)}
      >
        {t('header.switchLanguage')}
      </Button>
    </Tooltip>
  );
}
