import { Button, Card, Flex } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The row of search fields above a table, wrapping on narrow screens; with `onReset`, it ends
 * with the reset button every list has.
 */
export function FilterBar({ children, extra, onReset }: { children: ReactNode; extra?: ReactNode; onReset?: () => void }) {
  const { t } = useTranslation();
  return (
    <Card className="ms-filter-bar" styles={{ body: { padding: 16 } }}>
      <Flex wrap gap={12} align="center" justify="space-between">
        <Flex wrap gap={12} align="center" style={{ flex: 1 }}>
          {children}
          {onReset ? <Button onClick={onReset}>{t('common.reset')}</Button> : null}
        </Flex>
        {extra ? <Flex gap={8}>{extra}</Flex> : null}
      </Flex>
    </Card>
  );
}
