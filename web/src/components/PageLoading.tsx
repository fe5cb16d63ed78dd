import { Spin } from 'antd';

/** A centred spinner for a page (or a lazily loaded part of one) on its way. */
export function PageLoading({ minHeight = 240 }: { minHeight?: number }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', minHeight }}>
      <Spin size="large" />
    </div>
  );
}
