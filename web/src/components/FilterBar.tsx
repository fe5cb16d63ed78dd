import { Card, Flex } from 'antd';
import type { ReactNode } from 'react';

/** The row of search fields above a table, wrapping on narrow screens. */
export function FilterBar({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <Card className="ms-filter-bar" styles={{ body: { padding: 16 } }}>
      <Flex wrap gap={12} align="center" justify="space-between">
        <Flex wrap gap={12} align="center" style={{ flex: 1 }}>
          {children}
        </Flex>
        {extra ? <Flex gap={8}>{extra}</Flex> : null}
      </Flex>
    </Card>
  );
}
