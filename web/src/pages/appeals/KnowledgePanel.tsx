import { CheckOutlined } from '@ant-design/icons';
import { Button, Empty, Input, List, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { knowledgeEndpoint, type KnowledgeHit } from '../../api/knowledge';
import { ErrorAlert } from '../../components/ErrorAlert';
import { appealCategoryName } from '../../domain/appealCategories';
import { useJson } from '../../hooks/useJson';

// Searching on every keystroke would send a request per character typed during a call.
const SEARCH_DELAY_MS = 350;
const HITS = 6;

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

interface KnowledgePanelProps {
  /** What the agent has typed about the call (title and description); searched unless the agent types words of their own. */
  callText: string;
  categoryCode: string | undefined;
  selectedId: number | null;
  onSelect: (article: KnowledgeHit) => void;
}

/** 知识库: answers that match the call as the agent types it, best first, to answer directly (直办). */
export function KnowledgePanel({ callText, categoryCode, selectedId, onSelect }: KnowledgePanelProps) {
  const { t } = useTranslation();
  const [words, setWords] = useState('');
  const q = useDebounced((words.trim() || callText).trim().slice(0, 200), SEARCH_DELAY_MS);
  const hasQuery = q !== '' || Boolean(categoryCode);
  const hits = useJson(hasQuery ? knowledgeEndpoint({ q: q || undefined, categoryCode, page: 1, pageSize: HITS }) : null);
  const items = hits.data?.items ?? [];

  return (
    <div data-testid="agent-knowledge">
      <Input.Search
        allowClear
        value={words}
        onChange={(event) => setWords(event.target.value)}
        placeholder={t('agent.knowledgePlaceholder')}
        maxLength={200}
        data-testid="agent-knowledge-search"
        style={{ marginBottom: 12 }}
      />
      {hits.error ? <ErrorAlert error={hits.error} onRetry={hits.reload} /> : null}
      <Spin spinning={hits.isLoading}>
        {!hasQuery ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('agent.knowledgeHint')} />
        ) : items.length === 0 && !hits.isLoading ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('agent.knowledgeNone')} data-testid="agent-knowledge-empty" />
        ) : (
          <List<KnowledgeHit>
            dataSource={items}
            renderItem={(article) => (
              <List.Item
                key={article.id}
                data-testid="agent-knowledge-item"
                data-article-id={article.id}
                style={article.id === selectedId ? { background: '#f0f7ff' } : undefined}
                actions={[
                  article.id === selectedId ? (
                    <Tag key="chosen" icon={<CheckOutlined />} color="success">
                      {t('agent.chosen')}
                    </Tag>
                  ) : (
                    <Button key="use" size="small" onClick={() => onSelect(article)} data-testid="agent-knowledge-use">
                      {t('agent.useArticle')}
                    </Button>
                  ),
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space size={6} wrap>
                      <Typography.Text strong data-testid="agent-knowledge-title">
                        {article.title}
                      </Typography.Text>
                      {article.categoryCode ? <Tag>{appealCategoryName(article.categoryCode)}</Tag> : null}
                    </Space>
                  }
                  description={
                    <Typography.Paragraph type="secondary" ellipsis={{ rows: 3, expandable: true, symbol: t('agent.more') }} style={{ marginBottom: 0 }}>
                      {article.body}
                    </Typography.Paragraph>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Spin>
    </div>
  );
}
