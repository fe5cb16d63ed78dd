import { Breadcrumb, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

/** One step of the page breadcrumb; the last one is the page itself and has no link. */
export interface Crumb {
  title: string;
  to?: string;
}

interface PageHeaderProps {
  title: string;
  /** Steps between 首页 and the page. */
  crumbs?: Crumb[];
  subtitle?: ReactNode;
  extra?: ReactNode;
}

/** Breadcrumb, page title and page actions, identical on every page; also sets the tab title. */
export function PageHeader({ title, crumbs = [], subtitle, extra }: PageHeaderProps) {
  const { t } = useTranslation();
  useDocumentTitle(title);
  const items = [{ title: <Link to="/">{t('common.home')}</Link> }, ...crumbs.map((crumb) => ({
    title: crumb.to ? <Link to={crumb.to}>{crumb.title}</Link> : crumb.title,
  }))];
  return (
    <div className="ms-page-header">
      <Breadcrumb items={items} />
      <div className="ms-page-header-row">
        <div className="ms-page-header-heading">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {subtitle ? <Typography.Text type="secondary">{subtitle}</Typography.Text> : null}
        </div>
        {extra ? <div className="ms-page-header-extra">{extra}</div> : null}
      </div>
    </div>
  );
}
