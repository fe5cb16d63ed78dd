import { ArrowUpOutlined, HomeOutlined, TeamOutlined } from '@ant-design/icons';
import { App as AntApp, Breadcrumb, Button, Card, Col, Descriptions, Empty, Row, Space, Table, Tabs, Tag, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { placeEndpoint } from '../../api/places';
import type { Id, Place } from '../../api/types';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoading } from '../../components/PageLoading';
import { enumLabel } from '../../domain/labels';
import { errorText } from '../../i18n/errors';
import { useJson } from '../../hooks/useJson';
import { ROOT_KEY, usePlaceTree, type PlaceTree } from '../../hooks/usePlaceTree';
import { PageHeader } from '../../layout/PageHeader';

const PlaceMap = lazy(() => import('./PlaceMap'));

/** antd tree nodes for the loaded part of the administrative tree. */
function buildTreeNodes(childrenOf: PlaceTree['childrenOf'], key: string): TreeDataNode[] | undefined {
  const children = childrenOf(key);
  return children?.map((place) => ({
    key: String(place.id),
    isLeaf: place.childCount === 0,
    title: (
      <span className="ms-tree-node">
        <span>{place.name}</span>
        <span className="ms-tree-level">{enumLabel('levels', place.level)}</span>
      </span>
    ),
    children: buildTreeNodes(childrenOf, String(place.id)),
  }));
}

/** The administrative tree on the left, the selected place's details and map of children on the right. */
export function PlacesPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { can } = useSession();
  const tree = usePlaceTree();
  const [searchParams, setSearchParams] = useSearchParams();
  const selectedId = searchParams.get('place');
  const [expandedKeys, setExpandedKeys] = useState<string[]>([]);
  const [rootError, setRootError] = useState<unknown>(null);
  const detail = useJson(selectedId ? placeEndpoint(selectedId) : null);
  const { loadChildren, revealPlace, childrenOf, version } = tree;

  const selectPlace = useCallback(
    (placeId: Id) => {
      setSearchParams((previous) => {
        const next = new URLSearchParams(previous);
        next.set('place', String(placeId));
        return next;
      });
    },
    [setSearchParams],
  );

  const loadRoots = useCallback(() => {
    setRootError(null);
    loadChildren(ROOT_KEY).then(
      (roots) => {
        const first = roots[0];
        if (!selectedId && first) {
          setSearchParams({ place: String(first.id) }, { replace: true });
          setExpandedKeys((keys) => [...new Set([...keys, String(first.id)])]);
        }
      },
      (error: unknown) => setRootError(error),
    );
  }, [loadChildren, selectedId, setSearchParams]);

  useEffect(() => {
    loadRoots();
  }, [loadRoots]);

  // Opening a deep link or clicking the map: unfold the tree down to the place.
  useEffect(() => {
    const place = detail.data;
    if (!place) return;
    let isCurrent = true;
    revealPlace(place).then(
      (keys) => {
        const opened = place.childCount > 0 ? keys : keys.slice(0, -1);
        if (isCurrent) setExpandedKeys((previous) => [...new Set([...previous, ...opened])]);
      },
      (error: unknown) => message.error(errorText(error)),
    );
    if (place.childCount > 0) void loadChildren(String(place.id)).catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [detail.data, revealPlace, loadChildren, message]);

  // `version` changes whenever a level arrives in the cache behind `childrenOf`.
  const treeData = useMemo(() => buildTreeNodes(childrenOf, ROOT_KEY) ?? [], [childrenOf, version, t]);
  const roots = childrenOf(ROOT_KEY) ?? [];
  const rootIds = new Set(roots.map((root) => String(root.id)));
  const place = detail.data && String(detail.data.id) === selectedId ? detail.data : undefined;
  const children: Place[] = (selectedId ? childrenOf(selectedId) : undefined) ?? [];
  const parentInScope = place && place.parentId !== null && !rootIds.has(String(place.id)) ? place.parentId : null;

  // Ancestors above the account's scope root are shown but not linked.
  const ancestors = place?.ancestors ?? [];
  const firstVisible = ancestors.findIndex((ancestor) => rootIds.has(String(ancestor.id)));
  const breadcrumbItems = [
    ...ancestors.map((ancestor, index) => ({
      title:
        firstVisible >= 0 && index >= firstVisible ? (
          <a onClick={() => selectPlace(ancestor.id)}>{ancestor.name}</a>
        ) : (
          <span className="ms-muted">{ancestor.name}</span>
        ),
    })),
    ...(place ? [{ title: <strong>{place.name}</strong> }] : []),
  ];

  return (
    <>
      <PageHeader title={t('places.title')} crumbs={[{ title: t('nav.registry') }, { title: t('places.title') }]} />
      <Row gutter={16} className="ms-places">
        <Col xs={24} lg={9} xl={7} xxl={6}>
          <Card title={t('places.tree')} className="ms-tree-card" styles={{ body: { padding: 12 } }}>
            {rootError ? <ErrorAlert error={rootError} onRetry={loadRoots} /> : null}
            {treeData.length === 0 && !rootError ? (
              roots.length === 0 && childrenOf(ROOT_KEY) ? (
                <Empty description={t('places.treeEmpty')} />
              ) : (
                <PageLoading minHeight={160} />
              )
            ) : (
              <Tree
                data-testid="place-tree"
                blockNode
                showLine
                treeData={treeData}
                selectedKeys={selectedId ? [selectedId] : []}
                expandedKeys={expandedKeys}
                loadedKeys={tree.loadedKeys()}
                onExpand={(keys) => setExpandedKeys(keys.map(String))}
                onSelect={(keys) => {
                  const key = keys[0];
                  if (key !== undefined) selectPlace(String(key));
                }}
                loadData={async (node) => {
                  try {
                    await loadChildren(String(node.key));
                  } catch (error) {
                    message.error(errorText(error));
                  }
                }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={15} xl={17} xxl={18}>
          {detail.error ? <ErrorAlert error={detail.error} onRetry={detail.reload} /> : null}
          {!selectedId ? (
            <Card>
              <Empty description={t('places.noSelection')} />
            </Card>
          ) : (
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              <Card title={t('places.detail')} loading={!place && detail.isLoading}>
                {place ? (
                  <>
                    <Breadcrumb className="ms-place-path" items={breadcrumbItems} data-testid="place-breadcrumb" />
                    <Descriptions column={{ xs: 1, sm: 2, xl: 4 }} size="small" data-testid="place-detail">
                      <Descriptions.Item label={t('places.name')}>{place.name}</Descriptions.Item>
                      <Descriptions.Item label={t('places.code')}>
                        <Typography.Text copyable className="ms-mono">
                          {place.code}
                        </Typography.Text>
                      </Descriptions.Item>
                      <Descriptions.Item label={t('places.level')}>
                        <Tag color="blue">{enumLabel('levels', place.level)}</Tag>
                      </Descriptions.Item>
                      <Descriptions.Item label={t('places.childCount')}>{place.childCount.toLocaleString()}</Descriptions.Item>
                    </Descriptions>
                    <Space wrap style={{ marginTop: 4 }}>
                      {parentInScope !== null ? (
                        <Button icon={<ArrowUpOutlined />} onClick={() => selectPlace(parentInScope)} data-testid="place-up">
                          {t('places.up')}
                        </Button>
                      ) : null}
                      {can(PERMISSION.residentRead) ? (
                        <Link to={`/residents?placeId=${encodeURIComponent(String(place.id))}`}>
                          <Button icon={<TeamOutlined />}>{t('places.viewResidents')}</Button>
                        </Link>
                      ) : null}
                      {can(PERMISSION.householdRead) ? (
                        <Link to={`/households?placeId=${encodeURIComponent(String(place.id))}`}>
                          <Button icon={<HomeOutlined />}>{t('places.viewHouseholds')}</Button>
                        </Link>
                      ) : null}
                    </Space>
                  </>
                ) : null}
              </Card>
              <Card styles={{ body: { paddingTop: 0 } }}>
                <Tabs
                  defaultActiveKey="map"
                  items={[
                    {
                      key: 'map',
                      label: t('places.map'),
                      children: (
                        <>
                          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                            {t('places.mapHint')}
                          </Typography.Paragraph>
                          <Suspense fallback={<PageLoading minHeight={480} />}>
                            <PlaceMap placeId={selectedId} onSelectPlace={selectPlace} />
                          </Suspense>
                        </>
                      ),
                    },
                    {
                      key: 'list',
                      label: `${t('places.children')}（${children.length}）`,
                      children: (
                        <Table<Place>
                          rowKey={(row) => String(row.id)}
                          size="small"
                          dataSource={children}
                          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
                          onRow={(row) => ({ onClick: () => selectPlace(row.id), style: { cursor: 'pointer' } })}
                          columns={[
                            { title: t('places.name'), dataIndex: 'name' },
                            { title: t('places.code'), dataIndex: 'code', render: (code: string) => <span className="ms-mono">{code}</span> },
                            { title: t('places.level'), dataIndex: 'level', render: (level: string) => enumLabel('levels', level) },
                            { title: t('places.childCount'), dataIndex: 'childCount', align: 'right' },
                          ]}
                        />
                      ),
                    },
                  ]}
                />
              </Card>
            </Space>
          )}
        </Col>
      </Row>
    </>
  );
}
