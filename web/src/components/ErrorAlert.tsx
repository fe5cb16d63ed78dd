import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../i18n/errors';

/** An inline error with the server's code translated, and a retry button when one is given. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const { message, fieldLines } = describeError(error);
  return (
    <Alert
      type="error"
      showIcon
      title={message}
      description={fieldLines.length > 0 ? fieldLines.map((line) => <div key={line}>{line}</div>) : undefined}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
      style={{ marginBottom: 16 }}
    />
  );
}
