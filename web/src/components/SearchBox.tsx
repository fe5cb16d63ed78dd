import { SearchOutlined } from '@ant-design/icons';
import { Button, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';

/** A search field with its button, for list pages; Enter and the button both search. */
export function SearchBox(props: {
  value: string;
  onChange: (value: string) => void;
  onSearch: (value: string) => void;
  placeholder: string;
  width: number;
  /** Prefix of the test ids: `<prefix>-search-input`, `<prefix>-search-submit`. */
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Space.Compact style={{ width: props.width, maxWidth: '100%' }}>
      <Input
        allowClear
        value={props.value}
        placeholder={props.placeholder}
        prefix={<SearchOutlined className="ms-muted" />}
        onChange={(event) => props.onChange(event.target.value)}
        onPressEnter={() => props.onSearch(props.value)}
        data-testid={`${props.testId}-search-input`}
      />
      <Button type="primary" onClick={() => props.onSearch(props.value)} data-testid={`${props.testId}-search-submit`}>
        {t('common.search')}
      </Button>
    </Space.Compact>
  );
}
