import type { TablePaginationConfig } from 'antd';
import { i18next } from '../i18n';
import { PAGE_SIZES } from '../hooks/useListState';

/** Server-side pagination of a table, the same on every list. */
export function serverPagination(
  page: number,
  pageSize: number,
  total: number | undefined,
  onChange: (page: number, pageSize: number) => void,
): TablePaginationConfig {
  return {
    current: page,
    pageSize,
    total: total ?? 0,
    showSizeChanger: true,
    pageSizeOptions: PAGE_SIZES,
    showQuickJumper: (total ?? 0) > pageSize * 5,
    showTotal: (count) => i18next.t('common.total', { total: count.toLocaleString() }),
    onChange: (nextPage, nextPageSize) => onChange(nextPageSize !== pageSize ? 1 : nextPage, nextPageSize),
  };
}
