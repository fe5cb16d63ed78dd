import { EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import {
  App as AntApp,
  Badge,
  Button,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
  type ButtonProps,
  type TableColumnsType,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import {
  createKnowledgeArticle,
  deactivateKnowledgeArticle,
  KNOWLEDGE_LIMITS,
  knowledgeEndpoint,
  updateKnowledgeArticle,
  type KnowledgeArticle,
  type KnowledgeArticleInput,
  type KnowledgeHit,
} from '../../api/knowledge';
import { useSession } from '../../auth/session-context';
import { PERMISSION } from '../../auth/permissions';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { serverPagination } from '../../components/pagination';
import { SearchBox } from '../../components/SearchBox';
import { appealCategoryName, appealCategoryTree, type CategoryTreeOption } from '../../domain/appealCategories';
import { useJson } from '../../hooks/useJson';
import { useListState } from '../../hooks/useListState';
import { errorText } from '../../i18n/errors';
import { PageHeader } from '../../layout/PageHeader';

const FILTER_KEYS = ['q', 'categoryCode', 'inactive'] as const;
const UPDATED_TIME = 'YYYY-MM-DD HH:mm';
// The server stores keywords space-separated, so a keyword is one run of non-blank characters.
const KEYWORD_PATTERN = new RegExp(`^\\S{1,${KNOWLEDGE_LIMITS.keywordMax}}$`);
const FORM_FIELDS = ['title', 'categoryCode', 'keywords', 'body', 'isActive'] as const;

type FormField = (typeof FORM_FIELDS)[number];

interface ArticleForm {
  title: string;
  categoryCode?: string;
  keywords: string[];
  body: string;
  isActive: boolean;
}

/** The article being edited, or `'new'` for one being written. */
type Editing = KnowledgeArticle | 'new' | null;

// The filter may narrow to a whole branch (the server matches sub-categories by prefix).
function selectableEverywhere(options: CategoryTreeOption[]): CategoryTreeOption[] {
  return options.map((option) => ({ ...option, selectable: true, children: option.children && selectableEverywhere(option.children) }));
}

function isFormField(name: string): name is FormField {
  return (FORM_FIELDS as readonly string[]).includes(name);
}

/**
 * 知识库管理: the articles the 12345 agents answer from, searched and paged like every list; editors
 * (`appeals:knowledge:write`) add, rewrite and withdraw them.
 */
export function KnowledgeListPage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const { can } = useSession();
  const canWrite = can(PERMISSION.knowledgeWrite);
  const list = useListState(FILTER_KEYS);
  const { filters } = list;
  const [query, setQuery] = useState(filters.q);
  const [editing, setEditing] = useState<Editing>(null);
  const [deactivatingId, setDeactivatingId] = useState<number | null>(null);
  const categoryFilterTree = useMemo(() => selectableEverywhere(appealCategoryTree()), [i18n.language]);
  const showInactive = canWrite && filters.inactive === '1';
  const articles = useJson(
    knowledgeEndpoint({
      q: filters.q || undefined,
      categoryCode: filters.categoryCode || undefined,
      includeInactive: showInactive || undefined,
      page: list.page,
      pageSize: list.pageSize,
    }),
  );
  const hasFilters = Boolean(filters.q || filters.categoryCode);

  useEffect(() => setQuery(filters.q), [filters.q]);

  const deactivate = async (article: KnowledgeArticle) => {
    setDeactivatingId(article.id);
    try {
      await deactivateKnowledgeArticle(article.id);
      message.success(t('knowledge.deactivated', { title: article.title }));
      articles.reload();
    } catch (failure) {
      message.error(errorText(failure));
    } finally {
      setDeactivatingId(null);
    }
  };

  const columns: TableColumnsType<KnowledgeHit> = [
    { title: t('knowledge.articleTitle'), dataIndex: 'title', ellipsis: true, render: (title: string) => <span data-testid="knowledge-row-title">{title}</span> },
    {
      title: t('knowledge.category'),
      dataIndex: 'categoryCode',
      width: 160,
      render: (code: string | null) => (code ? <Tag>{appealCategoryName(code)}</Tag> : <span className="ms-muted">—</span>),
    },
    {
      title: t('knowledge.keywords'),
      dataIndex: 'keywords',
      width: 280,
      render: (keywords: string[]) =>
        keywords.length > 0 ? (
          <Space size={[0, 4]} wrap>
            {keywords.map((keyword) => (
              <Tag key={keyword} color="blue">
                {keyword}
              </Tag>
            ))}
          </Space>
        ) : (
          <span className="ms-muted">—</span>
        ),
    },
    {
      title: t('knowledge.status'),
      dataIndex: 'isActive',
      width: 100,
      render: (isActive: boolean) => (
        <Badge status={isActive ? 'success' : 'default'} text={isActive ? t('knowledge.active') : t('knowledge.inactive')} data-testid="knowledge-row-status" />
      ),
    },
    { title: t('knowledge.updatedAt'), dataIndex: 'updatedAt', width: 150, render: (at: string) => dayjs(at).format(UPDATED_TIME) },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 170,
            render: (_: unknown, article: KnowledgeHit) => (
              <Space size={4}>
                <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(article)} data-testid="knowledge-edit">
                  {t('knowledge.edit')}
                </Button>
                {article.isActive ? (
                  <Popconfirm
                    title={t('knowledge.deactivateTitle')}
                    description={t('knowledge.deactivateText', { title: article.title })}
                    okText={t('knowledge.deactivate')}
                    cancelText={t('common.cancel')}
                    okButtonProps={{ danger: true, 'data-testid': 'knowledge-deactivate-confirm' } as ButtonProps}
                    onConfirm={() => deactivate(article)}
                  >
                    <Button size="small" type="link" danger icon={<StopOutlined />} loading={deactivatingId === article.id} data-testid="knowledge-deactivate">
                      {t('knowledge.deactivate')}
                    </Button>
                  </Popconfirm>
                ) : null}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('knowledge.title')}
        subtitle={t('knowledge.subtitle')}
        crumbs={[{ title: t('nav.appeals') }, { title: t('knowledge.title') }]}
        extra={
          canWrite ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="knowledge-new">
              {t('knowledge.new')}
            </Button>
          ) : null
        }
      />
      <FilterBar
        onReset={() => {
          setQuery('');
          list.resetFilters();
        }}
      >
        <SearchBox value={query} onChange={setQuery} onSearch={(q) => list.setFilters({ q })} placeholder={t('knowledge.searchPlaceholder')} width={360} testId="knowledge" />
        <TreeSelect
          allowClear
          style={{ width: 220 }}
          treeData={categoryFilterTree}
          showSearch={{ treeNodeFilterProp: 'title' }}
          treeDefaultExpandAll
          placeholder={t('knowledge.categoryFilter')}
          value={filters.categoryCode || undefined}
          onChange={(code: string | undefined) => list.setFilters({ categoryCode: code ?? '' })}
          data-testid="knowledge-category-filter"
        />
        {canWrite ? (
          <Space size={8}>
            <Switch checked={showInactive} onChange={(checked) => list.setFilters({ inactive: checked ? '1' : '' })} data-testid="knowledge-inactive-toggle" />
            <span>{t('knowledge.showInactive')}</span>
          </Space>
        ) : null}
      </FilterBar>
      {articles.error ? <ErrorAlert error={articles.error} onRetry={articles.reload} /> : null}
      <div className="ms-table-card" data-testid="knowledge-table">
        <Table<KnowledgeHit>
          rowKey={(row) => String(row.id)}
          columns={columns}
          dataSource={articles.data?.items ?? []}
          loading={articles.isLoading}
          scroll={{ x: 1000 }}
          pagination={serverPagination(list.page, list.pageSize, articles.data?.total, list.setPage)}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={hasFilters ? t('knowledge.noneFound') : t('knowledge.empty')}
                data-testid="knowledge-empty"
              />
            ),
          }}
        />
      </div>
      {editing !== null ? (
        <ArticleModal
          key={editing === 'new' ? 'new' : editing.id}
          article={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved, isNew) => {
            message.success(t(isNew ? 'knowledge.created' : 'knowledge.updated', { title: saved.title }));
            setEditing(null);
            articles.reload();
          }}
        />
      ) : null}
    </>
  );
}

interface ArticleModalProps {
  /** The article to rewrite; null to write a new one. */
  article: KnowledgeArticle | null;
  onClose: () => void;
  onSaved: (article: KnowledgeArticle, isNew: boolean) => void;
}

/** The form of one article, checked against the server's limits before it is sent. */
function ArticleModal({ article, onClose, onSaved }: ArticleModalProps) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<ArticleForm>();
  const [isSubmitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const categories = useMemo(() => appealCategoryTree(), [i18n.language]);
  const initialValues: ArticleForm = {
    title: article?.title ?? '',
    categoryCode: article?.categoryCode ?? undefined,
    keywords: article?.keywords ?? [],
    body: article?.body ?? '',
    isActive: article?.isActive ?? true,
  };

  // The server's own field complaints go on the fields they name; the rest stay in the alert.
  const showServerErrors = (failure: unknown): boolean => {
    if (!(failure instanceof ApiError) || failure.code !== 'VALIDATION_FAILED' || !Array.isArray(failure.details?.fields)) return false;
    const byField = new Map<FormField, string[]>();
    for (const entry of failure.details.fields as unknown[]) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { field, message } = entry as Record<string, unknown>;
      const name = typeof field === 'string' ? (field.split('.')[0] ?? '') : '';
      if (!isFormField(name)) return false;
      const text = message === 'unknown' && name === 'categoryCode' ? t('knowledge.categoryUnknown') : t('knowledge.serverSays', { message: String(message) });
      byField.set(name, [...(byField.get(name) ?? []), text]);
    }
    if (byField.size === 0) return false;
    form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
    return true;
  };

  const submit = async () => {
    const values = await form.validateFields();
    const input: KnowledgeArticleInput = {
      title: values.title.trim(),
      categoryCode: values.categoryCode ?? null,
      keywords: [...new Set(values.keywords.map((keyword) => keyword.trim()).filter(Boolean))],
      body: values.body.trim(),
      isActive: values.isActive,
    };
    setSubmitting(true);
    setError(null);
    try {
      const saved = article ? await updateKnowledgeArticle(article.id, input) : await createKnowledgeArticle(input);
      onSaved(saved, article === null);
    } catch (failure) {
      if (!showServerErrors(failure)) setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  const trimmedLength = (min: number, max: number, messageKey: 'knowledge.titleLength' | 'knowledge.bodyLength') => ({
    validator: async (_: unknown, value: string | undefined) => {
      const length = (value ?? '').trim().length;
      if (length > 0 && (length < min || length > max)) throw new Error(t(messageKey, { min, max }));
    },
  });

  return (
    <Modal
      open
      width={720}
      title={article ? t('knowledge.editTitle') : t('knowledge.newTitle')}
      okText={t('knowledge.save')}
      cancelText={t('common.cancel')}
      confirmLoading={isSubmitting}
      okButtonProps={{ 'data-testid': 'knowledge-save' } as ButtonProps}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
    >
      {error ? <ErrorAlert error={error} /> : null}
      <Form<ArticleForm> form={form} layout="vertical" requiredMark initialValues={initialValues} data-testid="knowledge-form">
        <Form.Item
          name="title"
          label={t('knowledge.articleTitle')}
          rules={[{ required: true, whitespace: true, message: t('knowledge.titleRequired') }, trimmedLength(KNOWLEDGE_LIMITS.titleMin, KNOWLEDGE_LIMITS.titleMax, 'knowledge.titleLength')]}
        >
          <Input maxLength={KNOWLEDGE_LIMITS.titleMax} showCount placeholder={t('knowledge.titlePlaceholder')} data-testid="knowledge-title" />
        </Form.Item>
        <Form.Item name="categoryCode" label={t('knowledge.category')} extra={t('knowledge.categoryHint')}>
          <TreeSelect
            allowClear
            treeData={categories}
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeDefaultExpandAll
            placeholder={t('knowledge.categoryPlaceholder')}
            data-testid="knowledge-category"
          />
        </Form.Item>
        <Form.Item
          name="keywords"
          label={t('knowledge.keywords')}
          extra={t('knowledge.keywordsHint', { max: KNOWLEDGE_LIMITS.keywordsMax })}
          rules={[
            {
              validator: async (_: unknown, value: string[] | undefined) => {
                const keywords = value ?? [];
                if (keywords.length > KNOWLEDGE_LIMITS.keywordsMax) throw new Error(t('knowledge.keywordsTooMany', { max: KNOWLEDGE_LIMITS.keywordsMax }));
                const wrong = keywords.find((keyword) => !KEYWORD_PATTERN.test(keyword.trim()));
                if (wrong !== undefined) throw new Error(t('knowledge.keywordInvalid', { keyword: wrong, max: KNOWLEDGE_LIMITS.keywordMax }));
              },
            },
          ]}
        >
          <Select
            mode="tags"
            // A blank or a comma ends a keyword, since a stored keyword holds no blank.
            tokenSeparators={[' ', ',', '，', '、']}
            placeholder={t('knowledge.keywordsPlaceholder')}
            data-testid="knowledge-keywords"
          />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('knowledge.body')}
          rules={[{ required: true, whitespace: true, message: t('knowledge.bodyRequired') }, trimmedLength(KNOWLEDGE_LIMITS.bodyMin, KNOWLEDGE_LIMITS.bodyMax, 'knowledge.bodyLength')]}
        >
          <Input.TextArea rows={8} maxLength={KNOWLEDGE_LIMITS.bodyMax} showCount placeholder={t('knowledge.bodyPlaceholder')} data-testid="knowledge-body" />
        </Form.Item>
        <Form.Item name="isActive" label={t('knowledge.status')} valuePropName="checked">
          <Switch checkedChildren={t('knowledge.active')} unCheckedChildren={t('knowledge.inactive')} data-testid="knowledge-active" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
