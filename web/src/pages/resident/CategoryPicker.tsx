import { AppstoreOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Drawer, Spin, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { residentCategoriesEndpoint, type ResidentCategory } from '../../api/resident';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useJson } from '../../hooks/useJson';
import { nameIn } from './bilingual';

interface CategoryGroup {
  code: string;
  name: string;
  items: ResidentCategory[];
}

/**
 * The category field of the report form: a full-width row that opens a sheet from the bottom with
 * the categories as large buttons, grouped (城市部件, 城市事件, 民生诉求) — easier with a thumb than a
 * drop-down list.
 */
export function CategoryPicker({ value, onChange }: { value: string | undefined; onChange: (code: string) => void }) {
  const { t } = useTranslation();
  const [isOpen, setOpen] = useState(false);
  const categories = useJson(residentCategoriesEndpoint());
  const items = useMemo(() => categories.data?.items ?? [], [categories.data]);
  const groups = useMemo(() => {
    const byParent = new Map<string, CategoryGroup>();
    for (const item of items) {
      const key = item.parentCode ?? '';
      const group = byParent.get(key) ?? { code: key, name: item.parentName ? nameIn(item.parentName) : t('mobile.otherCategories'), items: [] };
      group.items.push(item);
      byParent.set(key, group);
    }
    return [...byParent.values()];
    // `t` changes with the language, and so do the names.
  }, [items, t]);
  const chosen = items.find((item) => item.code === value);

  return (
    <>
      <button type="button" className="rm-field-row" onClick={() => setOpen(true)} data-testid="resident-m-category" data-value={value ?? ''}>
        <AppstoreOutlined />
        <span className={chosen ? 'rm-field-value' : 'rm-field-placeholder'}>{chosen ? nameIn(chosen.name) : t('mobile.categoryPlaceholder')}</span>
        <RightOutlined className="rm-field-chevron" />
      </button>
      <Drawer
        placement="bottom"
        size="75%"
        open={isOpen}
        onClose={() => setOpen(false)}
        title={t('mobile.categoryTitle')}
        styles={{ body: { paddingTop: 8 } }}
      >
        {categories.error ? <ErrorAlert error={categories.error} onRetry={categories.reload} /> : null}
        <Spin spinning={categories.isLoading}>
          <div data-testid="resident-m-category-sheet">
            {groups.map((group) => (
              <section key={group.code} className="rm-category-group">
                <Typography.Text type="secondary">{group.name}</Typography.Text>
                <div className="rm-category-grid">
                  {group.items.map((item) => (
                    <Button
                      key={item.code}
                      type={item.code === value ? 'primary' : 'default'}
                      className="rm-category-option"
                      onClick={() => {
                        onChange(item.code);
                        setOpen(false);
                      }}
                      data-testid="resident-m-category-option"
                      data-code={item.code}
                    >
                      {nameIn(item.name)}
                    </Button>
                  ))}
                </div>
              </section>
            ))}
          </div>
        </Spin>
      </Drawer>
    </>
  );
}
