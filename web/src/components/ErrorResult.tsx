import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { describeError } from '../i18n/errors';

/** A whole-page error (record not found, out of scope, forbidden) with the way back. */
export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = describeError(error);
  const status = error instanceof ApiError && (error.status === 403 || error.status === 404) ? error.status : 'error';
  return (
    <Result
      status={status === 403 ? '403' : status === 404 ? '404' : 'error'}
      title={t('errors.title')}
      subTitle={message}
      extra={[
        <Button key="back" onClick={() => void navigate(-1)}>
          {t('common.back')}
        </Button>,
        onRetry ? (
          <Button key="retry" type="primary" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : null,
      ]}
    />
  );
}
