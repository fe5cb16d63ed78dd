import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { getJson, isAbortError } from '../../../api/client';
import type { Page, ResidentSummary } from '../../../api/types';

/**
 * Finds a registered resident of the account's region by name prefix or full ID number, as the
 * resident list does (the ID shows masked), and answers the resident's id.
 */
export function ResidentPicker(props: { value?: number; onChange?: (id: number | undefined) => void; placeholder: string; testId: string }) {
  const [query, setQuery] = useState('');
  const [options, setOptions] = useState<ResidentSummary[]>([]);
  const [isLoading, setLoading] = useState(false);

  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      getJson<Page<ResidentSummary>>('/api/residents', { q, pageSize: 20 }, controller.signal).then(
        (page) => {
          setOptions(page.items);
          setLoading(false);
        },
        (error: unknown) => {
          if (!isAbortError(error)) setLoading(false);
        },
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      value={props.value}
      placeholder={props.placeholder}
      loading={isLoading}
      onSearch={setQuery}
      onChange={(id?: number) => props.onChange?.(id)}
      options={options.map((resident) => ({ value: Number(resident.id), label: `${resident.name} · ${resident.idNumberMasked} · ${resident.placeName}` }))}
      data-testid={props.testId}
    />
  );
}
